// Package adapters persists publication decisions in PostgreSQL and consumes the
// investigations service's conviction disclosures. The repository owns the transaction:
// state, outbox messages, disclosure log rows and audit rows commit together.
package adapters

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/services/publication/internal/app"
	"casework.dev/services/publication/internal/domain"
)

// Notifier wakes the outbox relay after a commit.
type Notifier interface{ Notify() }

// Repository implements app.Repository over PostgreSQL.
type Repository struct {
	db    *sqlx.DB
	relay Notifier
}

// NewRepository builds the repository; relay may be nil (the relay's poll still runs).
func NewRepository(db *sqlx.DB, relay Notifier) *Repository {
	return &Repository{db: db, relay: relay}
}

var _ app.Repository = (*Repository)(nil)

type txKey struct{}

// WithTx makes the repository write inside tx for calls with the returned context: a
// consumed event's effect commits with the record that it was processed.
func WithTx(ctx context.Context, tx *sqlx.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// inTx runs fn in the caller's transaction when ctx carries one, else in a new one.
func (r *Repository) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	if tx, ok := ctx.Value(txKey{}).(*sqlx.Tx); ok {
		return fn(tx)
	}
	if err := postgres.InTx(ctx, r.db, fn); err != nil {
		return err
	}
	if r.relay != nil {
		r.relay.Notify()
	}
	return nil
}

// Add stores a new decision with its personal data, event and audit row, unless a decision
// for the same source and source ref exists: then it returns that one's id.
func (r *Repository) Add(ctx context.Context, d *domain.Decision, ch app.Change) (string, error) {
	var existing string
	err := r.inTx(ctx, func(tx *sqlx.Tx) error {
		var n int64
		if err := tx.GetContext(ctx, &n, `SELECT nextval('publication_reference_seq')`); err != nil {
			return fmt.Errorf("next reference: %w", err)
		}
		d.Reference, d.Version = fmt.Sprintf("PUB-%d-%06d", calendar.DateOf(d.ReceivedAt).Year, n), 1
		res, err := tx.ExecContext(ctx, `INSERT INTO publication_decisions (id, reference, source, source_ref, source_team,
			source_case_reference, conviction_date, status, received_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1) ON CONFLICT (source, source_ref) DO NOTHING`,
			d.ID, d.Reference, d.Source.Kind, d.Source.Ref, d.Source.Team, d.Source.CaseReference, d.Conviction.Date, d.Status, d.ReceivedAt)
		if err != nil {
			return fmt.Errorf("insert decision: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tx.GetContext(ctx, &existing, `SELECT id FROM publication_decisions WHERE source = $1 AND source_ref = $2`, d.Source.Kind, d.Source.Ref)
		}
		c := d.Conviction
		if _, err := tx.ExecContext(ctx, `INSERT INTO publication_personal_data (decision_id, name, town, offence, court, sentence)
			VALUES ($1, $2, $3, $4, $5, $6)`, d.ID, c.Name, c.Town, c.Offence, c.Court, c.Sentence); err != nil {
			return fmt.Errorf("insert personal data: %w", err)
		}
		return record(ctx, tx, d, ch)
	})
	return existing, err
}

// Update locks the decision, lets fn change it and saves what changed with fn's event,
// disclosure and audit row in one transaction. If fn fails, nothing is written.
func (r *Repository) Update(ctx context.Context, id string, fn func(d *domain.Decision) (app.Change, error)) (*domain.Decision, error) {
	var after *domain.Decision
	err := r.inTx(ctx, func(tx *sqlx.Tx) error {
		d, err := load(ctx, tx, id, " FOR UPDATE OF d")
		if err != nil {
			return err
		}
		ch, err := fn(d)
		if err != nil {
			return err
		}
		d.Version++
		if err := save(ctx, tx, d, ch.At); err != nil {
			return err
		}
		after = d
		return record(ctx, tx, d, ch)
	})
	return after, err
}

func save(ctx context.Context, tx *sqlx.Tx, d *domain.Decision, at time.Time) error {
	s, err := storedOf(d)
	if err != nil {
		return fmt.Errorf("decision %s: %w", d.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE publication_decisions SET status = $2, outcome = $3, drafted_by = $4, drafted_at = $5,
		approved_by = $6, approved_at = $7, published_on = $8, takedown_on = $9, takedown = $10, taken_down_at = $11,
		taken_down_by = $12, taken_down_reason = $13, press_release_id = $14, retention_due = $15, erased_at = $16,
		updated_at = $17, version = $18 WHERE id = $1`,
		d.ID, d.Status, s.outcome, d.DraftedBy, d.DraftedAt, d.ApprovedBy, d.ApprovedAt, s.publishedOn, s.takedownOn, s.takedown,
		s.takenDownAt, s.takenDownBy, d.TakedownReason, s.pressID, s.retention, d.ErasedAt, at, d.Version); err != nil {
		return fmt.Errorf("save decision %s: %w", d.ID, err)
	}
	if d.Erased() {
		_, err = tx.ExecContext(ctx, `DELETE FROM publication_personal_data WHERE decision_id = $1`, d.ID)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE publication_personal_data SET draft = $2, notes = $3 WHERE decision_id = $1`, d.ID, s.draft, s.notes)
	}
	if err != nil {
		return fmt.Errorf("save personal data of %s: %w", d.ID, err)
	}
	return nil
}

// record writes the change's outbox messages, disclosure log row and audit row.
func record(ctx context.Context, tx *sqlx.Tx, d *domain.Decision, ch app.Change) error {
	msgs, err := messagesFor(d, ch)
	if err != nil {
		return err
	}
	if err := messaging.AddToOutbox(ctx, tx, msgs...); err != nil {
		return err
	}
	if dl := ch.Disclosure; dl != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO disclosure_log (id, case_id, data_subject, recipient, purpose, condition,
			categories, notice_version, subject, event_id, disclosed_by, disclosed_at)
			VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $1::text, $10, $11)`,
			dl.ID, d.ID, "offender:"+d.ID, dl.Recipient, dl.Purpose, dl.Condition, pqArray(dl.Categories), dl.NoticeVersion,
			dl.Subject, ch.Actor, ch.At); err != nil {
			return fmt.Errorf("log disclosure: %w", err)
		}
	}
	return audit.Append(ctx, tx, audit.Entry{Chain: chain(d.ID), At: ch.At, Actor: ch.Actor,
		Action: "decision." + ch.Event.Type, Subject: d.ID, Detail: ch.Event.Detail})
}

// Read loads a decision and records the read in its audit trail.
func (r *Repository) Read(ctx context.Context, id, reader string, at time.Time) (*domain.Decision, error) {
	var d *domain.Decision
	err := postgres.InTx(ctx, r.db, func(tx *sqlx.Tx) error {
		var err error
		if d, err = load(ctx, tx, id, ""); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Chain: chain(id), At: at, Actor: reader, Action: "decision.read", Subject: id})
	})
	return d, err
}

func chain(id string) string { return "publication:" + id }

const loadSQL = `
SELECT d.id, d.reference, d.source, d.source_ref, d.source_team, d.source_case_reference, d.conviction_date, d.status,
    d.outcome, d.drafted_by, d.drafted_at, d.approved_by, d.approved_at, d.published_on, d.takedown_on, d.takedown,
    d.taken_down_at, d.taken_down_by, d.taken_down_reason, d.press_release_id::text AS press_release_id, d.retention_due,
    d.erased_at, d.received_at, d.version, p.name, p.town, p.offence, p.court, p.sentence, p.draft, p.notes
FROM publication_decisions d LEFT JOIN publication_personal_data p ON p.decision_id = d.id
WHERE d.id = $1`

func load(ctx context.Context, q sqlx.QueryerContext, id, lock string) (*domain.Decision, error) {
	if len(id) != 36 || uuid.Validate(id) != nil {
		return nil, domain.ErrNotFound // not a UUID: no such decision, and no type error from PostgreSQL
	}
	var row decisionRow
	if err := sqlx.GetContext(ctx, q, &row, loadSQL+lock, id); errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("load decision %s: %w", id, err)
	}
	return row.toDomain()
}
