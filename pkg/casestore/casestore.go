// Package casestore is the write path every case service's repository shares: the
// versioned update that retries a lost race, the idempotent add, and what each change
// writes beside the case (outbox messages, disclosure log rows, one audit entry), all in
// one SQL statement (postgres.Statement) so a unit of work commits whole or not at all.
//
// Convention: the statement's case write is the CTE named "c", which returns the case's
// row when it took effect; every other write is guarded by Guard.
package casestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
)

// Guard is true in a statement when its case write (the CTE "c") took effect.
const Guard = "EXISTS (SELECT 1 FROM c)"

// DefaultMaxAttempts bounds how often Update reads again after losing a race.
const DefaultMaxAttempts = 5

// Store is the shared part of one service's case repository.
type Store struct {
	Kind casework.Kind
	// DB runs the statements; a *postgres.Prepared plans the hot ones once per connection.
	DB sqlx.QueryerContext
	// Relay is woken after a commit; nil when the relay's poll is enough.
	Relay Notifier
	// Reference numbers new cases, e.g. CMP-2026-000042.
	Reference Reference
	// MaxAttempts bounds the reads of one Update; DefaultMaxAttempts when zero.
	MaxAttempts int
}

// Notifier wakes the outbox relay after a commit.
type Notifier interface{ Notify() }

// Reference is how a service numbers its cases: Prefix, the year of receipt in
// Europe/London and the next value of Sequence, e.g. CMP-2026-000042.
type Reference struct {
	Sequence string // a PostgreSQL sequence, e.g. complaint_reference_seq
	Prefix   string
}

// Load reads one case twice over: before as stored, and after as an independent copy for
// the change to edit. A missing case is the service's not-found error.
type Load[T any] func(ctx context.Context) (before, after T, err error)

// LoadTwice is the Load of a case read as one row value: read gets it, toDomain converts
// it, twice, so before and after share nothing.
func LoadTwice[R, T any](read func(ctx context.Context) (R, error), toDomain func(R) (T, error)) Load[T] {
	return func(ctx context.Context) (before, after T, err error) {
		row, err := read(ctx)
		if err != nil {
			return before, after, err
		}
		if before, err = toDomain(row); err != nil {
			return before, after, err
		}
		after, err = toDomain(row)
		return before, after, err
	}
}

// Save returns the statement that writes the changed case after with the change ch, its
// case write guarded by before's version.
type Save[T, C any] func(before, after T, ch C) (*postgres.Statement, error)

// Versioned is a case as Update reads it: its version, which every save steps.
type Versioned interface{ CaseVersion() int }

// Update reads the case, lets change edit it, and runs save's statement, which applies
// only if nobody else wrote the case meanwhile; otherwise (or when PostgreSQL gave the
// statement up as a lost race, postgres.IsLostRace) it reads again and retries, at most
// MaxAttempts times, then fails with casework.ErrConcurrentUpdate. If change fails (a
// domain refusal), nothing is written. When ctx names the versions the caller read
// (casework.WithExpectedVersions, from If-Match), a case at another version is refused
// with a *casework.PreconditionFailedError, on a retry too: another writer changed it.
func Update[T Versioned, C any](ctx context.Context, s Store, id string, load Load[T], change func(T) (C, error), save Save[T, C]) (T, error) {
	var zero T
	attempts := s.MaxAttempts
	if attempts <= 0 {
		attempts = DefaultMaxAttempts
	}
	for range attempts {
		before, after, err := load(ctx)
		if err != nil {
			return zero, err
		}
		if err := casework.CheckVersion(ctx, s.Kind, before.CaseVersion()); err != nil {
			return zero, err
		}
		ch, err := change(after)
		if err != nil {
			return zero, err
		}
		st, err := save(before, after, ch)
		if err != nil {
			return zero, err
		}
		var updated int
		err = st.Get(ctx, s.DB, &updated, `SELECT count(*) FROM c`)
		if postgres.IsLostRace(err) {
			continue // a serialization failure or deadlock wrote nothing: read again, as for a moved version
		}
		if err != nil {
			return zero, fmt.Errorf("save %s %s: %w", s.Kind, id, err)
		}
		if updated == 1 {
			s.notify()
			return after, nil
		}
	}
	return zero, fmt.Errorf("save %s %s: still changing after %d attempts: %w", s.Kind, id, attempts, casework.ErrConcurrentUpdate)
}

// Add stores a new case received at received: insert adds to st the case write "c" (an
// INSERT ... SELECT that takes effect only WHERE claimed holds) and whatever goes with it,
// for the case numbered reference. With an idempotency key the statement first claims the
// key for the case; when the actor used the key before, nothing is stored and Add returns
// the id of the case the key created, or casework.ErrIdempotencyKeyReused when it came
// with a different request.
func (s Store) Add(ctx context.Context, caseID string, received time.Time, key casework.IdempotencyKey, at time.Time,
	insert func(st *postgres.Statement, claimed, reference string) error) (existingID string, err error) {
	var n int64
	if err := sqlx.GetContext(ctx, s.DB, &n, `SELECT nextval($1::regclass)`, s.Reference.Sequence); err != nil {
		return "", fmt.Errorf("next %s reference: %w", s.Kind, err)
	}
	reference := fmt.Sprintf("%s-%d-%06d", s.Reference.Prefix, calendar.DateOf(received).Year, n)
	st := &postgres.Statement{}
	claimed := "true"
	if key.Key != "" {
		// A name of its own: the service's insert names its parts freely.
		claim := st.Name("idempotency_claim")
		st.With(claim, `INSERT INTO idempotency_keys (key, request_digest, case_id, created_at)
			VALUES (`+st.Arg(key.Scoped())+`, `+st.Arg(key.RequestDigest)+`, `+st.Arg(caseID)+`, `+st.Arg(at)+`)
			ON CONFLICT (key) DO NOTHING RETURNING case_id`)
		claimed = "EXISTS (SELECT 1 FROM " + claim + ")"
	}
	if err := insert(st, claimed, reference); err != nil {
		return "", err
	}
	var inserted int
	if err := st.Get(ctx, s.DB, &inserted, `SELECT count(*) FROM c`); err != nil {
		return "", fmt.Errorf("insert %s: %w", s.Kind, err)
	}
	if inserted == 1 {
		s.notify()
		return "", nil
	}
	if key.Key == "" {
		return "", fmt.Errorf("insert %s %s: the statement wrote no case", s.Kind, caseID)
	}
	var first struct {
		CaseID string `db:"case_id"`
		Digest string `db:"request_digest"`
	}
	err = sqlx.GetContext(ctx, s.DB, &first, `SELECT case_id, request_digest FROM idempotency_keys WHERE key = $1`, key.Scoped())
	if err != nil {
		return "", fmt.Errorf("%s for idempotency key: %w", s.Kind, err)
	}
	// A key stored before requests were digested has none: it replays as it did then.
	if first.Digest != "" && first.Digest != key.RequestDigest {
		return "", casework.ErrIdempotencyKeyReused
	}
	return first.CaseID, nil
}

func (s Store) notify() {
	if s.Relay != nil {
		s.Relay.Notify()
	}
}

// Change is what one write records beside the case, each part guarded by the case write.
type Change struct {
	CaseID string
	// DataSubject names whose data the disclosures carry, e.g. "complainant:<id>".
	DataSubject string
	Actor       string
	At          time.Time
	Messages    []messaging.Message
	Disclosures []casework.Disclosure
	// Audit is the change's entry in the case's chain: at most one, as a chain advances
	// once per statement.
	Audit []audit.Entry
	// PurgeShares deletes the case's share messages from the outbox (PurgeShares): set by
	// a change that erases the personal data they carry.
	PurgeShares bool
}

// PurgeShares adds to st the deletion of every share message of the case from the outbox,
// guarded by the case write: once its personal data is erased, a disclosure not yet relayed
// never goes, and one relayed is not kept for a replay (an operator rewinding the relay
// for a partner's feed) to send again. The disclosure log names each by its event id, and
// keeps the record that it was made.
func PurgeShares(st *postgres.Statement, caseID string) { PurgeSharesWhere(st, caseID, "") }

// PurgeSharesWhere is PurgeShares for the disclosures that also meet condition, a predicate
// on the disclosure log row l ("" for every one): those that carried one person erased.
func PurgeSharesWhere(st *postgres.Statement, caseID, condition string) {
	where := "l.case_id = " + st.Arg(caseID)
	if condition != "" {
		where += " AND (" + condition + ")"
	}
	st.With(st.Name("purge"), `DELETE FROM watermill_outbox WHERE uuid IN (SELECT l.event_id FROM disclosure_log l
		WHERE `+where+`) AND `+Guard)
}

// Record adds ch's outbox messages, disclosure log rows and audit entry to st.
func Record(st *postgres.Statement, ch Change) error {
	if len(ch.Audit) > 1 {
		return fmt.Errorf("one audited event per change, got %d", len(ch.Audit)) // a chain advances once per statement
	}
	if ch.PurgeShares {
		PurgeShares(st, ch.CaseID)
	}
	if err := messaging.AddToOutboxStatement(st, Guard, ch.Messages...); err != nil {
		return err
	}
	for _, d := range ch.Disclosures {
		st.With(st.Name("disclosure"), `INSERT INTO disclosure_log (id, case_id, data_subject, recipient, purpose, condition,
			categories, notice_version, subject, event_id, disclosed_by, disclosed_at)
			SELECT `+st.Arg(d.ID)+`::uuid, `+st.Arg(ch.CaseID)+`, `+st.Arg(ch.DataSubject)+`, `+st.Arg(d.Recipient)+`, `+
			st.Arg(d.Purpose)+`, `+st.Arg(d.Condition)+`, `+st.Arg(pq.Array(d.Categories))+`::text[], `+st.Arg(d.NoticeVersion)+`, `+
			st.Arg(d.Subject)+`, `+st.Arg(d.ID)+`, `+st.Arg(ch.Actor)+`, `+st.Arg(ch.At)+` WHERE `+Guard)
	}
	for _, e := range ch.Audit {
		if err := audit.AppendStatement(st, Guard, e); err != nil {
			return err
		}
	}
	return nil
}

// GetCase scans one row of query into dest, answering notFound when there is none or when
// id is not a UUID (which would reach PostgreSQL as a type error).
func GetCase(ctx context.Context, q sqlx.QueryerContext, dest any, notFound error, query, id string) error {
	if !validUUID(id) {
		return notFound
	}
	err := sqlx.GetContext(ctx, q, dest, query, id)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound
	}
	if err != nil {
		return fmt.Errorf("load %s: %w", id, err)
	}
	return nil
}

func validUUID(s string) bool { return len(s) == 36 && uuid.Validate(s) == nil }
