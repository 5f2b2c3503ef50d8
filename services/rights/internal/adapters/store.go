package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/services/rights/internal/app"
)

// caseStore is the transaction every kind of case shares: lock the case, let the use case
// change it, save it, and write its outbox messages, disclosure log rows and audit rows in
// the same commit.
type caseStore[T any] struct {
	db    *sqlx.DB
	relay Notifier
	// load reads one case; lock is appended to the query (" FOR UPDATE OF c").
	load func(ctx context.Context, q sqlx.QueryerContext, id, lock string) (T, error)
	// save writes the case's rows.
	save func(ctx context.Context, tx *sqlx.Tx, c T, at time.Time) error
	// messages are the change's outbox messages.
	messages func(c T, ch app.Change) ([]messaging.Message, error)
	id       func(c T) string
	bump     func(c T) // the version, once per update
	// readAction is audited for every read with personal data, e.g. "request.read".
	readAction string
	// reference numbers new cases, e.g. RR-2026-000042.
	reference casestore.Reference
}

// cases is one kind of case's repository: changing, reading and the history are the same
// for every kind; each adds its own Add, lists and work lists.
type cases[T any] struct{ store caseStore[T] }

// Update locks the case, lets fn change it and saves it with fn's change; when fn fails
// nothing is written.
func (c cases[T]) Update(ctx context.Context, id string, fn func(T) (app.Change, error)) (T, error) {
	return c.store.update(ctx, id, fn)
}

// Read loads a case with its personal data and records the read in its audit trail.
func (c cases[T]) Read(ctx context.Context, id, reader string, at time.Time) (T, error) {
	return c.store.read(ctx, id, reader, at)
}

// History is the case's audit chain.
func (c cases[T]) History(ctx context.Context, id string) ([]app.HistoryEntry, error) {
	return history(ctx, c.store.db, id)
}

func (s caseStore[T]) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	if err := postgres.InTx(ctx, s.db, fn); err != nil {
		return err
	}
	if s.relay != nil {
		s.relay.Notify()
	}
	return nil
}

// insert stores a new case received at received: insertRows writes its first rows under
// its new reference, then it is saved and recorded like any change.
func (s caseStore[T]) insert(ctx context.Context, c T, ch app.Change, received time.Time, insertRows func(tx *sqlx.Tx, reference string) error) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		reference, err := nextReference(ctx, tx, s.reference, received)
		if err != nil {
			return err
		}
		if err := insertRows(tx, reference); err != nil {
			return err
		}
		return s.saveAndRecord(ctx, tx, c, ch)
	})
}

// update locks the case, lets fn change it and saves what changed with fn's change. If fn
// fails, nothing is written. A transaction PostgreSQL gave up for a concurrent one (a
// deadlock or serialization failure) is run again, as casestore.Update does after a lost
// race, and after casestore.DefaultMaxAttempts fails with casework.ErrConcurrentUpdate.
func (s caseStore[T]) update(ctx context.Context, id string, fn func(c T) (app.Change, error)) (T, error) {
	for range casestore.DefaultMaxAttempts - 1 {
		if after, err := s.updateOnce(ctx, id, fn); !postgres.IsLostRace(err) {
			return after, err
		}
	}
	after, err := s.updateOnce(ctx, id, fn)
	if postgres.IsLostRace(err) {
		return after, fmt.Errorf("save %s: %w (%w)", id, casework.ErrConcurrentUpdate, err)
	}
	return after, err
}

func (s caseStore[T]) updateOnce(ctx context.Context, id string, fn func(c T) (app.Change, error)) (T, error) {
	var after T
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		c, err := s.load(ctx, tx, id, " FOR UPDATE OF c")
		if err != nil {
			return err
		}
		ch, err := fn(c)
		if err != nil {
			return err
		}
		s.bump(c)
		after = c
		return s.saveAndRecord(ctx, tx, c, ch)
	})
	return after, err
}

func (s caseStore[T]) saveAndRecord(ctx context.Context, tx *sqlx.Tx, c T, ch app.Change) error {
	if err := s.save(ctx, tx, c, ch.At); err != nil {
		return err
	}
	msgs, err := s.messages(c, ch)
	if err != nil {
		return err
	}
	return record(ctx, tx, s.id(c), msgs, ch)
}

// read loads a case and audits the read.
func (s caseStore[T]) read(ctx context.Context, id, reader string, at time.Time) (T, error) {
	var c T
	err := postgres.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var err error
		if c, err = s.load(ctx, tx, id, ""); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Chain: chain(id), At: at, Actor: reader, Action: s.readAction, Subject: id})
	})
	return c, err
}

func (s caseStore[T]) ids(ctx context.Context, query string, args ...any) ([]string, error) {
	var ids []string
	if err := s.db.SelectContext(ctx, &ids, query, args...); err != nil {
		return nil, fmt.Errorf("work list: %w", err)
	}
	return ids, nil
}

// nextReference is PREFIX-YYYY-NNNNNN from the case type's sequence, YYYY the London year
// of at.
func nextReference(ctx context.Context, tx *sqlx.Tx, ref casestore.Reference, at time.Time) (string, error) {
	var n int64
	if err := tx.GetContext(ctx, &n, `SELECT nextval($1::regclass)`, ref.Sequence); err != nil {
		return "", fmt.Errorf("next reference: %w", err)
	}
	return fmt.Sprintf("%s-%d-%06d", ref.Prefix, calendar.DateOf(at).Year, n), nil
}
