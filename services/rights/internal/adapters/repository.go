// Package adapters persists the rights service's cases in PostgreSQL and asks the other
// services over NATS request-reply. The repository owns the transaction: state, outbox
// messages, disclosure log rows and audit rows commit together.
package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/messaging"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
)

// Notifier wakes the outbox relay after a commit.
type Notifier interface{ Notify() }

// Requests implements app.Requests over PostgreSQL.
type Requests struct{ cases[*domain.Request] }

// NewRequests builds the repository; relay may be nil (the relay's poll still runs).
func NewRequests(db *sqlx.DB, relay Notifier) *Requests {
	return &Requests{cases[*domain.Request]{caseStore[*domain.Request]{db: db, relay: relay, load: loadRequest, save: saveRequest,
		messages: requestMessages, id: func(r *domain.Request) string { return r.ID }, bump: func(r *domain.Request) { r.Version++ },
		readAction: "request.read", reference: casestore.Reference{Sequence: "rights_request_reference_seq", Prefix: "RR"}}}}
}

var _ app.Requests = (*Requests)(nil)

// Add stores a new request with its personal data, events and audit rows.
func (q *Requests) Add(ctx context.Context, r *domain.Request, ch app.Change) error {
	return q.store.insert(ctx, r, ch, r.ReceivedAt, func(tx *sqlx.Tx, reference string) error {
		r.Reference = reference
		if _, err := tx.ExecContext(ctx, `INSERT INTO rights_requests (id, reference, kind, status, phase, on_behalf,
			identity_verified, received_at, deadline, due_at, due_date, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '{}', $9, $10, $11, 0)`,
			r.ID, r.Reference, r.Kind, r.Status, r.Phase, r.Representative != nil, r.Identity.Verified, r.ReceivedAt,
			r.Deadline.Due, r.Deadline.DueDate, ch.At); err != nil {
			return fmt.Errorf("insert request: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rights_request_personal_data (request_id, requester, subject, identity)
			VALUES ($1, '{}', '{}', '{}')`, r.ID); err != nil {
			return fmt.Errorf("insert personal data: %w", err)
		}
		return nil
	})
}

func saveRequest(ctx context.Context, tx *sqlx.Tx, r *domain.Request, at time.Time) error {
	s, err := storedOf(r)
	if err != nil {
		return fmt.Errorf("request %s: %w", r.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE rights_requests SET status = $2, phase = $3, awaiting = $4, identity_verified = $5,
		deadline = $6, due_at = $7, due_date = $8, extension_months = $9, extension = $10, overdue_at = $11, search = $12,
		action = $13, retry_at = $14, confirmed_by = $15, confirmed_at = $16, notices = $17, closure = $18, retention_due = $19,
		erased_at = $20, updated_at = $21, version = $22, lift = $23 WHERE id = $1`,
		r.ID, r.Status, r.Phase, r.Awaiting, r.Identity.Verified, s.deadline, r.Deadline.Due, r.Deadline.DueDate, s.extensionMonths,
		s.extension, r.OverdueAt, s.search, s.action, s.retryAt, r.ConfirmedBy, r.ConfirmedAt, s.notices, s.closure, s.retention,
		r.ErasedAt, at, r.Version, s.lift); err != nil {
		return fmt.Errorf("save request %s: %w", r.ID, err)
	}
	if r.Erased() {
		_, err = tx.ExecContext(ctx, `DELETE FROM rights_request_personal_data WHERE request_id = $1`, r.ID)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE rights_request_personal_data SET requester = $2, subject = $3, representative = $4,
			identity = $5, details = $6, rectification = $7, extension_reason = $8, candidates = $9, matches = $10, exports = $11,
			outcomes = $12 WHERE request_id = $1`,
			r.ID, s.requester, s.subject, s.representative, s.identity, r.Details, s.rectification, s.extensionReason,
			s.candidates, s.matches, s.exports, s.outcomes)
	}
	if err != nil {
		return fmt.Errorf("save personal data of %s: %w", r.ID, err)
	}
	return nil
}

// record is what every case's change writes besides its state: outbox, disclosure log,
// one audit row per event.
func record(ctx context.Context, tx *sqlx.Tx, caseID string, msgs []messaging.Message, ch app.Change) error {
	if err := messaging.AddToOutbox(ctx, tx, msgs...); err != nil {
		return err
	}
	for _, dl := range ch.Disclosures {
		if _, err := tx.ExecContext(ctx, `INSERT INTO disclosure_log (id, case_id, data_subject, recipient, purpose, condition,
			categories, notice_version, subject, event_id, disclosed_by, disclosed_at)
			VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $1::text, $10, $11)`,
			dl.ID, caseID, dl.DataSubject, dl.Recipient, dl.Purpose, dl.Condition, pq.Array(dl.Categories), dl.NoticeVersion,
			dl.Subject, ch.Actor, ch.At); err != nil {
			return fmt.Errorf("log disclosure: %w", err)
		}
	}
	for _, e := range ch.Events {
		detail := map[string]any{}
		for k, v := range e.Detail {
			detail[k] = v
		}
		if e.Service != "" {
			detail["service"] = e.Service
		}
		if e.Recipient != "" {
			detail["recipient"] = e.Recipient
		}
		if e.Count != 0 {
			detail["count"] = e.Count
		}
		if err := audit.Append(ctx, tx, audit.Entry{Chain: chain(caseID), At: ch.At, Actor: ch.Actor,
			Action: e.Type, Subject: caseID, Detail: detail}); err != nil {
			return err
		}
	}
	return nil
}

// Load loads a request for the system's own work, unaudited.
func (q *Requests) Load(ctx context.Context, id string) (*domain.Request, error) {
	return loadRequest(ctx, q.store.db, id, "")
}

func chain(id string) string { return "rights:" + id }

const loadRequestSQL = `
SELECT c.id, c.reference, c.kind, c.status, c.phase, c.awaiting, c.identity_verified, c.received_at, c.deadline, c.extension, c.lift,
    c.overdue_at, c.search, c.action, c.confirmed_by, c.confirmed_at, c.notices, c.closure, c.retention_due, c.erased_at, c.version,
    p.requester, p.subject, p.representative, p.identity, p.details, p.rectification, p.extension_reason, p.candidates,
    p.matches, p.exports, p.outcomes
FROM rights_requests c LEFT JOIN rights_request_personal_data p ON p.request_id = c.id
WHERE c.id = $1`

func loadRequest(ctx context.Context, q sqlx.QueryerContext, id, lock string) (*domain.Request, error) {
	var row requestRow
	if err := casestore.GetCase(ctx, q, &row, domain.ErrNotFound, loadRequestSQL+lock, id); err != nil {
		return nil, err
	}
	return row.toDomain()
}
