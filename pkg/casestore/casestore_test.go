package casestore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"casework.dev/migrations"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
)

var errNotFound = casework.NotFound("widget")

type widget struct {
	ID      string `db:"id"`
	Count   int    `db:"count"`
	Version int    `db:"version"`
}

func (w *widget) CaseVersion() int { return w.Version }

func newStore(t *testing.T) (*sqlx.DB, casestore.Store) {
	t.Helper()
	db, _ := testkit.NewDatabase(t, postgres.Migration{FS: migrations.Platform(), VersionTable: "goose_platform"})
	if _, err := db.Exec(`CREATE SEQUENCE widget_seq; CREATE TABLE widgets (id UUID PRIMARY KEY, reference TEXT NOT NULL,
		count INTEGER NOT NULL, version INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return db, casestore.Store{Kind: "widget", DB: db, Reference: casestore.Reference{Sequence: "widget_seq", Prefix: "W"}}
}

func load(db *sqlx.DB, id string) casestore.Load[*widget] {
	return casestore.LoadTwice(func(ctx context.Context) (widget, error) {
		var w widget
		return w, casestore.GetCase(ctx, db, &w, errNotFound, `SELECT id, count, version FROM widgets WHERE id = $1`, id)
	}, func(w widget) (*widget, error) { return &w, nil })
}

func increment(w *widget) (int, error) {
	w.Count++
	return 1, nil
}

func save(before, after *widget, _ int) (*postgres.Statement, error) {
	after.Version = before.Version + 1
	st := &postgres.Statement{}
	st.With("c", `UPDATE widgets SET count = `+st.Arg(after.Count)+`, version = `+st.Arg(after.Version)+`
		WHERE id = `+st.Arg(before.ID)+` AND version = `+st.Arg(before.Version)+` RETURNING id`)
	return st, nil
}

func insert(id string) func(st *postgres.Statement, claimed, reference string) error {
	return func(st *postgres.Statement, claimed, reference string) error {
		st.With("c", `INSERT INTO widgets (id, reference, count, version) SELECT `+st.Arg(id)+`::uuid, `+st.Arg(reference)+`, 0, 1
			WHERE `+claimed+` RETURNING id`)
		// A service names the parts of its insert as it likes ("k": complaints' consents).
		st.With("k", `SELECT id FROM c`)
		return nil
	}
}

// Writers racing on one case all land: each lost race reads again and applies its change
// to what the winner wrote.
func TestUpdateRetriesALostRace(t *testing.T) {
	db, s := newStore(t)
	s.MaxAttempts = 100
	id := uuid.NewString()
	if _, err := s.Add(context.Background(), id, time.Now(), casework.IdempotencyKey{}, time.Now(), insert(id)); err != nil {
		t.Fatal(err)
	}
	const writers = 8
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for range writers {
		wg.Go(func() {
			_, err := casestore.Update(context.Background(), s, id, load(db, id), increment, save)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var w widget
	if err := db.Get(&w, `SELECT id, count, version FROM widgets WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if w.Count != writers || w.Version != writers+1 {
		t.Fatalf("count %d version %d, want %d and %d", w.Count, w.Version, writers, writers+1)
	}
}

// A change asked for at the versions the caller read (If-Match) applies at one of them,
// and is refused at any other with a *casework.PreconditionFailedError, writing nothing.
func TestUpdateAppliesOnlyAtAnExpectedVersion(t *testing.T) {
	db, s := newStore(t)
	id := uuid.NewString()
	if _, err := s.Add(context.Background(), id, time.Now(), casework.IdempotencyKey{}, time.Now(), insert(id)); err != nil {
		t.Fatal(err)
	}
	at := func(versions ...int) context.Context {
		return casework.WithExpectedVersions(context.Background(), versions)
	}
	if _, err := casestore.Update(at(1, 7), s, id, load(db, id), increment, save); err != nil {
		t.Fatalf("at version 1 as read: %v", err)
	}
	for _, ctx := range []context.Context{at(1), at()} {
		var failed *casework.PreconditionFailedError
		if _, err := casestore.Update(ctx, s, id, load(db, id), increment, save); !errors.As(err, &failed) || failed.Current != 2 {
			t.Fatalf("at a version no longer current: %v, want a precondition failure at version 2", err)
		}
	}
	var w widget
	if err := db.Get(&w, `SELECT id, count, version FROM widgets WHERE id = $1`, id); err != nil || w.Count != 1 || w.Version != 2 {
		t.Fatalf("count %d version %d (%v), want 1 and 2: a refused change wrote", w.Count, w.Version, err)
	}
}

// A save that never takes effect gives up after MaxAttempts reads with ErrConcurrentUpdate.
func TestUpdateGivesUpWithErrConcurrentUpdate(t *testing.T) {
	db, s := newStore(t)
	s.MaxAttempts = 3
	id := uuid.NewString()
	if _, err := s.Add(context.Background(), id, time.Now(), casework.IdempotencyKey{}, time.Now(), insert(id)); err != nil {
		t.Fatal(err)
	}
	loads := 0
	counted := func(ctx context.Context) (*widget, *widget, error) { loads++; return load(db, id)(ctx) }
	stale := func(before, after *widget, n int) (*postgres.Statement, error) {
		before.Version = -1 // as if another writer moved the version on since the read
		return save(before, after, n)
	}
	_, err := casestore.Update(context.Background(), s, id, counted, increment, stale)
	if !errors.Is(err, casework.ErrConcurrentUpdate) || loads != 3 {
		t.Fatalf("err %v after %d loads, want ErrConcurrentUpdate after 3", err, loads)
	}
	if _, err := casestore.Update(context.Background(), s, uuid.NewString(), load(db, "x"), increment, save); !errors.Is(err, errNotFound) {
		t.Fatalf("missing case: %v, want not found", err)
	}
}

// A save PostgreSQL ends as a lost race (a serialization failure or a deadlock) wrote
// nothing and is read and tried again like a stale version; losing every time is
// ErrConcurrentUpdate (a retryable 409), never an unavailable database.
func TestUpdateRetriesASerializationFailureOrDeadlock(t *testing.T) {
	db, s := newStore(t)
	s.MaxAttempts = 3
	if _, err := db.Exec(`CREATE FUNCTION lose_race(code text) RETURNS uuid LANGUAGE plpgsql AS
		$$ BEGIN RAISE EXCEPTION 'lost a race' USING ERRCODE = code; END $$`); err != nil {
		t.Fatal(err)
	}
	id := uuid.NewString()
	if _, err := s.Add(context.Background(), id, time.Now(), casework.IdempotencyKey{}, time.Now(), insert(id)); err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"40001", "40P01"} {
		losses := 0
		losing := func(times int) casestore.Save[*widget, int] {
			return func(before, after *widget, n int) (*postgres.Statement, error) {
				if losses == times {
					return save(before, after, n)
				}
				losses++
				st := &postgres.Statement{}
				st.With("c", `SELECT lose_race(`+st.Arg(code)+`) AS id`)
				return st, nil
			}
		}
		w, err := casestore.Update(context.Background(), s, id, load(db, id), increment, losing(2))
		if err != nil || losses != 2 || w.Count == 0 {
			t.Fatalf("%s: %v after %d losses, want the third attempt saved", code, err, losses)
		}
		losses = 0
		_, err = casestore.Update(context.Background(), s, id, load(db, id), increment, losing(3))
		if !errors.Is(err, casework.ErrConcurrentUpdate) || postgres.IsUnavailable(err) || losses != 3 {
			t.Fatalf("%s: %v after %d losses, want ErrConcurrentUpdate after 3", code, err, losses)
		}
	}
	var w widget
	if err := db.Get(&w, `SELECT id, count, version FROM widgets WHERE id = $1`, id); err != nil || w.Count != 2 || w.Version != 3 {
		t.Fatalf("widget %+v (%v): want the two saved increments only", w, err)
	}
}

// A key replays its case for the same actor and request, is refused with another request,
// and is another key for another actor.
func TestAddIsIdempotentPerActorAndRequest(t *testing.T) {
	db, s := newStore(t)
	ctx := context.Background()
	key := casework.IdempotencyKey{Actor: "alice", Key: "k-1", RequestDigest: "d1"}
	first := uuid.NewString()
	if existing, err := s.Add(ctx, first, time.Now(), key, time.Now(), insert(first)); err != nil || existing != "" {
		t.Fatalf("first add: %q %v", existing, err)
	}
	if existing, err := s.Add(ctx, uuid.NewString(), time.Now(), key, time.Now(), insert(uuid.NewString())); err != nil || existing != first {
		t.Fatalf("retry: %q %v, want %s", existing, err, first)
	}
	other := key
	other.RequestDigest = "d2"
	if _, err := s.Add(ctx, uuid.NewString(), time.Now(), other, time.Now(), insert(uuid.NewString())); !errors.Is(err, casework.ErrIdempotencyKeyReused) {
		t.Fatalf("another request: %v, want ErrIdempotencyKeyReused", err)
	}
	bob := key
	bob.Actor = "bob"
	second := uuid.NewString()
	if existing, err := s.Add(ctx, second, time.Now(), bob, time.Now(), insert(second)); err != nil || existing != "" {
		t.Fatalf("bob's key: %q %v", existing, err)
	}
	var ref string
	if err := db.Get(&ref, `SELECT reference FROM widgets WHERE id = $1`, first); err != nil || ref != fmt.Sprintf("W-%d-000001", calendar.DateOf(time.Now()).Year) {
		t.Fatalf("reference %q (%v)", ref, err)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM widgets`); err != nil || n != 2 {
		t.Fatalf("%d widgets (%v), want 2", n, err)
	}
	// A key stored before requests were digested replays whatever comes.
	if _, err := db.Exec(`INSERT INTO idempotency_keys VALUES ('carol|old', '', $1, now())`, first); err != nil {
		t.Fatal(err)
	}
	old := casework.IdempotencyKey{Actor: "carol", Key: "old", RequestDigest: "d9"}
	if existing, err := s.Add(ctx, uuid.NewString(), time.Now(), old, time.Now(), insert(uuid.NewString())); err != nil || existing != first {
		t.Fatalf("undigested key: %q %v, want %s", existing, err, first)
	}
}

// LoadTwice converts one read into two copies that share nothing, and passes a read's
// error on as it is.
func TestLoadTwiceGivesIndependentCopies(t *testing.T) {
	reads := 0
	load := casestore.LoadTwice(func(context.Context) (widget, error) { reads++; return widget{ID: "w", Count: 1}, nil },
		func(w widget) (*widget, error) { return &w, nil })
	before, after, err := load(context.Background())
	if err != nil || reads != 1 || before == after || *before != *after {
		t.Fatalf("before %v after %v (%v) after %d reads", before, after, err, reads)
	}
	failing := casestore.LoadTwice(func(context.Context) (widget, error) { return widget{}, errNotFound },
		func(w widget) (*widget, error) { return &w, nil })
	if _, _, err := failing(context.Background()); !errors.Is(err, errNotFound) {
		t.Fatalf("read error %v, want not found", err)
	}
}
