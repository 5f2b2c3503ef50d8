// Package adapters persists complaints in PostgreSQL. The repository owns the transaction:
// state, outbox messages, disclosure log rows and audit rows commit together.
package adapters

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/complaints/internal/app"
	"casework.dev/services/complaints/internal/domain"
)

// Repository implements app.Repository over PostgreSQL.
type Repository struct {
	// Register is the restriction register and the disclosure log as the rights service's
	// requests read and change them.
	rightsdata.Register
	db       *sqlx.DB
	prepared *postgres.Prepared // the hot path's statements, planned once per connection
	store    casestore.Store
}

// NewRepository builds the repository; relay may be nil (the relay's poll still runs).
func NewRepository(db *sqlx.DB, relay casestore.Notifier) *Repository {
	prepared := postgres.NewPrepared(db, 256)
	return &Repository{Register: rightsdata.Register{DB: db, Table: "complaints", Chain: chain, AuditPrefix: "complaint.", NotFound: domain.ErrNotFound},
		db: db, prepared: prepared, store: casestore.Store{Kind: domain.Kind, DB: prepared, Relay: relay,
			Reference: casestore.Reference{Sequence: "complaint_reference_seq", Prefix: "CMP"}}}
}

// Add stores a new complaint in one statement. When the officer used the idempotency key
// before, it stores nothing and returns the id of the complaint that key created.
func (r *Repository) Add(ctx context.Context, c *domain.Complaint, key casework.IdempotencyKey, ch app.Change) (string, error) {
	return r.store.Add(ctx, c.ID, c.ReceivedAt, key, ch.At, insertion(c, ch))
}

// Update reads the complaint, lets fn change it, and saves what changed with fn's events,
// disclosures and audit row in one statement that applies only if nobody else wrote the
// case meanwhile; otherwise it reads again and retries fn. If fn fails, nothing is written.
func (r *Repository) Update(ctx context.Context, id string, fn func(c *domain.Complaint) (app.Change, error)) (*domain.Complaint, error) {
	return casestore.Update(ctx, r.store, id, r.loadTwice(id), fn, updateStatement)
}

// loadTwice reads and decodes the complaint once into two independent copies: as stored,
// and for fn.
func (r *Repository) loadTwice(id string) casestore.Load[*domain.Complaint] {
	return func(ctx context.Context) (before, after *domain.Complaint, err error) {
		loaded, err := loadRow(ctx, r.prepared, id)
		if err != nil {
			return nil, nil, err
		}
		row, err := loaded.decode()
		if err != nil {
			return nil, nil, err
		}
		if before, err = row.toDomain(); err != nil {
			return nil, nil, err
		}
		after, err = row.toDomain()
		return before, after, err
	}
}

// Read loads a complaint; when audited, the read itself is recorded in the case's trail.
func (r *Repository) Read(ctx context.Context, id, reader string, at time.Time, audited bool) (*domain.Complaint, error) {
	if !audited {
		tx, err := r.db.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return nil, fmt.Errorf("begin read: %w", err)
		}
		defer tx.Rollback() //nolint:errcheck // read-only
		return load(ctx, tx, id)
	}
	var c *domain.Complaint
	err := postgres.InTx(ctx, r.db, func(tx *sqlx.Tx) error {
		var err error
		if c, err = load(ctx, tx, id); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Chain: chain(id), At: at, Actor: reader, Action: "complaint.read", Subject: id})
	})
	return c, err
}

// Audit appends e to the audit chain of the complaint e.Subject names.
func (r *Repository) Audit(ctx context.Context, e audit.Entry) error {
	e.Chain = chain(e.Subject)
	return postgres.InTx(ctx, r.db, func(tx *sqlx.Tx) error { return audit.Append(ctx, tx, e) })
}

// CheckDisclosure refuses a disclosure of a case whose processing is restricted; it runs
// before every disclosure, so as a prepared statement.
func (r *Repository) CheckDisclosure(ctx context.Context, caseID string) error {
	return rightsdata.CheckDisclosure(ctx, r.prepared, caseID)
}

func chain(id string) string { return "complaint:" + id }

const loadSQL = `
SELECT c.id, c.reference, c.stage, c.status, c.service, c.channel, c.received_at, c.anonymity_requested,
    c.stage1_handler, c.stage2_handler, c.stage1_outcome, c.stage1_responded_at, c.stage1_on_time, c.stage1_responded_by,
    c.stage2_outcome, c.stage2_responded_at, c.stage2_on_time, c.stage2_responded_by, c.closed_at, c.retention_due::text AS retention_due,
    c.legal_hold_reason, c.legal_hold_set_at, c.legal_hold_set_by, c.erased_at, c.version, c.updated_at,
    p.name, p.address, p.phone, p.email, p.details, p.special_details, p.stage2_details, p.stage1_summary, p.stage1_remedies,
    p.stage2_summary, p.stage2_remedies, p.closure_reason, c.stage3::text AS stage3, p.stage3::text AS stage3_texts,
    (SELECT coalesce(json_agg(json_build_object('stage', d.stage, 'kind', d.kind, 'due_at', d.due_at,
        'computation', d.computation, 'met_at', d.met_at, 'met_by', coalesce(d.met_by, ''),
        'extended_by', coalesce(d.extended_by, ''), 'overdue_at', d.overdue_at, 'ended_at', d.ended_at) ORDER BY d.stage, d.kind), '[]')
     FROM complaint_deadlines d WHERE d.complaint_id = c.id) AS deadlines,
    (SELECT coalesce(json_agg(json_build_object('recipient', k.recipient, 'given_at', k.given_at,
        'recorded_by', k.recorded_by, 'withdrawn_at', k.withdrawn_at, 'explicit', k.explicit)), '[]')
     FROM complaint_consents k WHERE k.complaint_id = c.id) AS consents
FROM complaints c LEFT JOIN complaint_personal_data p ON p.complaint_id = c.id
WHERE c.id = $1`

func load(ctx context.Context, q sqlx.QueryerContext, id string) (*domain.Complaint, error) {
	row, err := loadRow(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return row.toDomain()
}

func loadRow(ctx context.Context, q sqlx.QueryerContext, id string) (loadedRow, error) {
	var row loadedRow
	err := casestore.GetCase(ctx, q, &row, domain.ErrNotFound, loadSQL, id)
	return row, err
}
