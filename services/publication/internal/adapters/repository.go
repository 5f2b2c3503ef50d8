// Package adapters persists publication decisions in PostgreSQL and consumes the
// investigations service's conviction disclosures. Each unit of work (state, outbox
// messages, disclosure log rows, audit row) commits in one statement.
package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/postgres"
	"casework.dev/services/publication/internal/app"
	"casework.dev/services/publication/internal/domain"
)

// Repository implements app.Repository over PostgreSQL.
type Repository struct {
	// rightsRegister is the restriction register and the disclosure log as the rights
	// service's requests read and change them.
	rightsRegister
	db    *sqlx.DB
	store casestore.Store
}

// NewRepository builds the repository; relay may be nil (the relay's poll still runs).
func NewRepository(db *sqlx.DB, relay casestore.Notifier) *Repository {
	return &Repository{rightsRegister: rightsRegister{DB: db, Table: "publication_decisions", Chain: chain, AuditPrefix: "decision.",
		NotFound: domain.ErrNotFound}, db: db, store: casestore.Store{Kind: domain.Kind, DB: db, Relay: relay,
		Reference: casestore.Reference{Sequence: "publication_reference_seq", Prefix: "PUB"}}}
}

var _ app.Repository = (*Repository)(nil)

type txKey struct{}

// WithTx makes the repository write inside tx for calls with the returned context: a
// consumed event's effect commits with the record that it was processed.
func WithTx(ctx context.Context, tx *sqlx.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// Add stores a new decision in one statement (in the caller's transaction when ctx carries
// one). When the key was used before, it stores nothing and returns the id of the decision
// that key opened.
func (r *Repository) Add(ctx context.Context, d *domain.Decision, key casework.IdempotencyKey, ch app.Change) (string, error) {
	store := r.store
	if tx, ok := ctx.Value(txKey{}).(*sqlx.Tx); ok {
		store.DB = tx
	}
	return store.Add(ctx, d.ID, d.ReceivedAt, key, ch.At, insertion(d, ch))
}

// Update reads the decision, lets fn change it, and saves what changed with fn's event,
// disclosure and audit row in one statement that applies only if nobody else wrote the
// decision meanwhile; otherwise it reads again and retries fn. If fn fails, nothing is
// written.
// In the caller's transaction when ctx carries one (WithTx).
func (r *Repository) Update(ctx context.Context, id string, fn func(d *domain.Decision) (app.Change, error)) (*domain.Decision, error) {
	store, q := r.store, sqlx.QueryerContext(r.db)
	if tx, ok := ctx.Value(txKey{}).(*sqlx.Tx); ok {
		store.DB, q = tx, tx
	}
	return casestore.Update(ctx, store, id, casestore.LoadTwice(func(ctx context.Context) (loadedRow, error) {
		return loadRow(ctx, q, id)
	}, loadedRow.toDomain), fn, updateStatement)
}

// DecisionFromDisclosure returns the id of the decision opened from the investigations
// disclosure disclosureID, or "" when none was.
func (r *Repository) DecisionFromDisclosure(ctx context.Context, disclosureID string) (string, error) {
	q := sqlx.QueryerContext(r.db)
	if tx, ok := ctx.Value(txKey{}).(*sqlx.Tx); ok {
		q = tx
	}
	var ids []string
	if err := sqlx.SelectContext(ctx, q, &ids, `SELECT id::text FROM publication_decisions WHERE source = $1 AND source_ref = $2`,
		domain.SourceInvestigations, disclosureID); err != nil {
		return "", fmt.Errorf("decision from disclosure %s: %w", disclosureID, err)
	}
	if len(ids) == 0 {
		return "", nil
	}
	return ids[0], nil
}

// Read loads a decision and records the read in its audit trail.
func (r *Repository) Read(ctx context.Context, id, reader string, at time.Time) (*domain.Decision, error) {
	var d *domain.Decision
	err := postgres.InTx(ctx, r.db, func(tx *sqlx.Tx) error {
		row, err := loadRow(ctx, tx, id)
		if err != nil {
			return err
		}
		if d, err = row.toDomain(); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Chain: chain(id), At: at, Actor: reader, Action: "decision.read", Subject: id})
	})
	return d, err
}

func chain(id string) string { return "publication:" + id }

const loadSQL = `
SELECT d.id, d.reference, d.source, d.source_ref, d.source_team, d.source_case_reference, d.conviction_date, d.status,
    d.outcome, d.drafted_by, d.drafted_at, d.approved_by, d.approved_at, d.published_on,
    d.register_disclosure_id::text AS register_disclosure_id, d.register_fields, d.sentence_to_amend,
    d.takedown_on, coalesce(d.takedown, 'null') AS takedown,
    d.taken_down_at, d.taken_down_by, d.taken_down_reason, d.press_release_id::text AS press_release_id, d.retention_due,
    d.erased_at, d.received_at, d.version,
    (SELECT to_jsonb(p) FROM publication_personal_data p WHERE p.decision_id = d.id) AS personal
FROM publication_decisions d WHERE d.id = $1`

func loadRow(ctx context.Context, q sqlx.QueryerContext, id string) (loadedRow, error) {
	var row loadedRow
	err := casestore.GetCase(ctx, q, &row, domain.ErrNotFound, loadSQL, id)
	return row, err
}
