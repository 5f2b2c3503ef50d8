// Package adapters persists complaints in PostgreSQL. The repository owns the transaction:
// state, outbox messages, disclosure log rows and audit rows commit together.
package adapters

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/services/complaints/internal/app"
	"casework.dev/services/complaints/internal/domain"
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

const insertComplaintSQL = `
INSERT INTO complaints (id, reference, idempotency_key, stage, status, service, channel, received_at,
    anonymity_requested, stage1_handler, created_at, updated_at, version)
VALUES ($1, 'CMP-' || to_char($7::timestamptz AT TIME ZONE 'Europe/London', 'YYYY') || '-' || lpad(nextval('complaint_reference_seq')::text, 6, '0'),
    NULLIF($2, ''), $3, $4, $5, $6, $7, $8, $9, $10, $10, 1)
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING reference`

// Add stores a new complaint. When the idempotency key was used before, it stores nothing
// and returns the id of the complaint that key created.
func (r *Repository) Add(ctx context.Context, c *domain.Complaint, idempotencyKey string, ch app.Change) (string, error) {
	var existing string
	err := postgres.InTx(ctx, r.db, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &c.Reference, insertComplaintSQL, c.ID, idempotencyKey, c.Stage, c.Status, c.Service,
			c.Channel, c.ReceivedAt, c.AnonymityRequested, c.Stage1Handler, ch.At)
		if errors.Is(err, sql.ErrNoRows) {
			return tx.GetContext(ctx, &existing, `SELECT id FROM complaints WHERE idempotency_key = $1`, idempotencyKey)
		}
		if err != nil {
			return fmt.Errorf("insert complaint: %w", err)
		}
		c.Version = 1
		cr, pr, deadlines, consents := rowsFromDomain(c)
		if err := insertPersonal(ctx, tx, cr.ID, pr); err != nil {
			return err
		}
		if err := saveDeadlines(ctx, tx, c.ID, nil, deadlines); err != nil {
			return err
		}
		if err := saveConsents(ctx, tx, c.ID, nil, consents); err != nil {
			return err
		}
		return r.record(ctx, tx, c, ch)
	})
	if err != nil {
		return "", err
	}
	if existing == "" {
		r.notify()
	}
	return existing, nil
}

// Update loads the complaint under a row lock, lets fn change it, and saves what changed
// with fn's events, disclosures and audit rows. If fn fails, nothing is written.
func (r *Repository) Update(ctx context.Context, id string, fn func(c *domain.Complaint) (app.Change, error)) (*domain.Complaint, error) {
	var updated *domain.Complaint
	err := postgres.InTx(ctx, r.db, func(tx *sqlx.Tx) error {
		c, err := load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		beforeC, beforeP, beforeD, beforeK := rowsFromDomain(c)
		ch, err := fn(c)
		if err != nil {
			return err
		}
		c.Version++
		afterC, afterP, afterD, afterK := rowsFromDomain(c)
		if err := updateComplaint(ctx, tx, afterC, beforeC.Version); err != nil {
			return err
		}
		if err := savePersonal(ctx, tx, c, beforeP, afterP); err != nil {
			return err
		}
		if err := saveDeadlines(ctx, tx, id, beforeD, afterD); err != nil {
			return err
		}
		if err := saveConsents(ctx, tx, id, beforeK, afterK); err != nil {
			return err
		}
		if err := r.record(ctx, tx, c, ch); err != nil {
			return err
		}
		updated = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.notify()
	return updated, nil
}

// Read loads a complaint; when audited, the read itself is recorded in the case's trail.
func (r *Repository) Read(ctx context.Context, id, reader string, at time.Time, audited bool) (*domain.Complaint, error) {
	if !audited {
		tx, err := r.db.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return nil, fmt.Errorf("begin read: %w", err)
		}
		defer tx.Rollback() //nolint:errcheck // read-only
		return load(ctx, tx, id, false)
	}
	var c *domain.Complaint
	err := postgres.InTx(ctx, r.db, func(tx *sqlx.Tx) error {
		var err error
		if c, err = load(ctx, tx, id, false); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Chain: chain(id), At: at, Actor: reader, Action: "complaint.read", Subject: id})
	})
	return c, err
}

func (r *Repository) notify() {
	if r.relay != nil {
		r.relay.Notify()
	}
}

func chain(id string) string { return "complaint:" + id }

const loadSQL = `
SELECT c.id, c.reference, c.stage, c.status, c.service, c.channel, c.received_at, c.anonymity_requested,
    c.stage1_handler, c.stage2_handler, c.stage1_outcome, c.stage1_responded_at, c.stage1_on_time, c.stage1_responded_by,
    c.stage2_outcome, c.stage2_responded_at, c.stage2_on_time, c.stage2_responded_by, c.closed_at, c.retention_due::text AS retention_due,
    c.legal_hold_reason, c.legal_hold_set_at, c.legal_hold_set_by, c.erased_at, c.version,
    p.name, p.address, p.phone, p.email, p.details, p.special_details, p.stage2_details, p.stage1_summary, p.stage1_remedies,
    p.stage2_summary, p.stage2_remedies, p.closure_reason,
    (SELECT coalesce(json_agg(json_build_object('stage', d.stage, 'kind', d.kind, 'due_at', d.due_at,
        'computation', d.computation, 'met_at', d.met_at, 'overdue_at', d.overdue_at) ORDER BY d.stage, d.kind), '[]')
     FROM complaint_deadlines d WHERE d.complaint_id = c.id) AS deadlines,
    (SELECT coalesce(json_agg(json_build_object('recipient', k.recipient, 'given_at', k.given_at,
        'recorded_by', k.recorded_by, 'withdrawn_at', k.withdrawn_at)), '[]')
     FROM complaint_consents k WHERE k.complaint_id = c.id) AS consents
FROM complaints c LEFT JOIN complaint_personal_data p ON p.complaint_id = c.id
WHERE c.id = $1`

func load(ctx context.Context, tx *sqlx.Tx, id string, forUpdate bool) (*domain.Complaint, error) {
	if !validUUID(id) {
		return nil, domain.ErrNotFound
	}
	q := loadSQL
	if forUpdate {
		q += " FOR UPDATE OF c"
	}
	var row loadedRow
	if err := tx.GetContext(ctx, &row, q, id); errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("load complaint %s: %w", id, err)
	}
	return row.toDomain()
}

func updateComplaint(ctx context.Context, tx *sqlx.Tx, c complaintRow, version int) error {
	_, err := tx.NamedExecContext(ctx, `UPDATE complaints SET stage = :stage, status = :status,
		stage2_handler = :stage2_handler, stage1_outcome = :stage1_outcome, stage1_responded_at = :stage1_responded_at,
		stage1_on_time = :stage1_on_time, stage1_responded_by = :stage1_responded_by, stage2_outcome = :stage2_outcome, stage2_responded_at = :stage2_responded_at,
		stage2_on_time = :stage2_on_time, stage2_responded_by = :stage2_responded_by, closed_at = :closed_at, retention_due = CAST(:retention_due AS date),
		legal_hold_reason = :legal_hold_reason, legal_hold_set_at = :legal_hold_set_at, legal_hold_set_by = :legal_hold_set_by,
		erased_at = :erased_at, version = :version, updated_at = now()
		WHERE id = :id`, c)
	if err != nil {
		return fmt.Errorf("update complaint %s (version %d): %w", c.ID, version, err)
	}
	return nil
}

func insertPersonal(ctx context.Context, tx *sqlx.Tx, id string, p personalRow) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO complaint_personal_data (complaint_id, name, address, phone, email, details, special_details)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, p.Name, p.Address, p.Phone, p.Email, p.Details, p.SpecialDetails)
	if err != nil {
		return fmt.Errorf("insert personal data: %w", err)
	}
	return nil
}

// savePersonal writes the personal data only when it changed; erasure deletes the row.
func savePersonal(ctx context.Context, tx *sqlx.Tx, c *domain.Complaint, before, after personalRow) error {
	if c.Erased() {
		if _, err := tx.ExecContext(ctx, `DELETE FROM complaint_personal_data WHERE complaint_id = $1`, c.ID); err != nil {
			return fmt.Errorf("erase personal data of %s: %w", c.ID, err)
		}
		return nil
	}
	if reflect.DeepEqual(before, after) {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE complaint_personal_data SET name = $2, address = $3, phone = $4, email = $5,
		details = $6, stage2_details = $7, stage1_summary = $8, stage1_remedies = $9, stage2_summary = $10,
		stage2_remedies = $11, closure_reason = $12, special_details = $13 WHERE complaint_id = $1`,
		c.ID, after.Name, after.Address, after.Phone, after.Email, after.Details, after.Stage2Details,
		after.Stage1Summary, after.Stage1Remedies, after.Stage2Summary, after.Stage2Remedies, after.ClosureReason, after.SpecialDetails)
	if err != nil {
		return fmt.Errorf("update personal data of %s: %w", c.ID, err)
	}
	return nil
}

func saveDeadlines(ctx context.Context, tx *sqlx.Tx, id string, before, after []deadlineRow) error {
	for _, d := range after {
		if containsEqual(before, d) {
			continue
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO complaint_deadlines (complaint_id, stage, kind, due_at, computation, met_at, overdue_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (complaint_id, stage, kind) DO UPDATE SET due_at = EXCLUDED.due_at, computation = EXCLUDED.computation,
			met_at = EXCLUDED.met_at, overdue_at = EXCLUDED.overdue_at`,
			id, d.Stage, d.Kind, d.DueAt, jsonOf(d.Computation), d.MetAt, d.OverdueAt)
		if err != nil {
			return fmt.Errorf("save deadline %d/%s of %s: %w", d.Stage, d.Kind, id, err)
		}
	}
	return nil
}

func saveConsents(ctx context.Context, tx *sqlx.Tx, id string, before, after []consentRow) error {
	if len(after) == 0 && len(before) > 0 { // erased
		_, err := tx.ExecContext(ctx, `DELETE FROM complaint_consents WHERE complaint_id = $1`, id)
		return err
	}
	for _, k := range after {
		if containsEqual(before, k) {
			continue
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO complaint_consents (complaint_id, recipient, given_at, recorded_by, withdrawn_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (complaint_id, recipient) DO UPDATE SET given_at = EXCLUDED.given_at,
			recorded_by = EXCLUDED.recorded_by, withdrawn_at = EXCLUDED.withdrawn_at`,
			id, k.Recipient, k.GivenAt, k.RecordedBy, k.WithdrawnAt)
		if err != nil {
			return fmt.Errorf("save consent %s of %s: %w", k.Recipient, id, err)
		}
	}
	return nil
}

func containsEqual[T any](rows []T, row T) bool {
	for _, r := range rows {
		if reflect.DeepEqual(r, row) {
			return true
		}
	}
	return false
}

// record writes the change's outbox messages, disclosure log rows and audit rows.
func (r *Repository) record(ctx context.Context, tx *sqlx.Tx, c *domain.Complaint, ch app.Change) error {
	msgs, err := messagesFor(c, ch)
	if err != nil {
		return err
	}
	for _, d := range ch.Disclosures {
		_, err := tx.ExecContext(ctx, `INSERT INTO disclosure_log (id, case_id, data_subject, recipient, purpose, condition,
			categories, notice_version, subject, event_id, disclosed_by, disclosed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			d.ID, c.ID, "complainant:"+c.ID, d.Recipient, d.Purpose, d.Condition, pq.Array(d.Categories),
			d.NoticeVersion, d.Subject, d.ID, ch.Actor, ch.At)
		if err != nil {
			return fmt.Errorf("log disclosure to %s: %w", d.Recipient, err)
		}
	}
	if err := messaging.AddToOutbox(ctx, tx, msgs...); err != nil {
		return err
	}
	for _, e := range ch.Events {
		err := audit.Append(ctx, tx, audit.Entry{Chain: chain(c.ID), At: ch.At, Actor: ch.Actor,
			Action: "complaint." + e.Type, Subject: c.ID, Detail: e.Detail})
		if err != nil {
			return err
		}
	}
	return nil
}

// validUUID keeps ids that are not UUIDs from reaching PostgreSQL as a type error.
func validUUID(s string) bool { return len(s) == 36 && uuid.Validate(s) == nil }
