package adapters

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
)

// FOIRequests implements app.FOIRequests over PostgreSQL.
type FOIRequests struct{ cases[*domain.FOIRequest] }

// NewFOIRequests builds the FOI/EIR repository.
func NewFOIRequests(db *sqlx.DB, relay Notifier) *FOIRequests {
	return &FOIRequests{cases[*domain.FOIRequest]{caseStore[*domain.FOIRequest]{db: db, relay: relay, load: loadFOI, save: saveFOI,
		messages: foiMessages, id: func(f *domain.FOIRequest) string { return f.ID }, bump: func(f *domain.FOIRequest) { f.Version++ },
		readAction: "foi.read", reference: casestore.Reference{Sequence: "rights_foi_reference_seq", Prefix: "FOI"}}}}
}

var _ app.FOIRequests = (*FOIRequests)(nil)

type foiRow struct {
	ID              string         `db:"id"`
	Reference       string         `db:"reference"`
	Regime          string         `db:"regime"`
	RegimeReason    string         `db:"regime_reason"`
	Status          string         `db:"status"`
	ReceivedAt      time.Time      `db:"received_at"`
	Summary         string         `db:"summary"`
	Deadline        []byte         `db:"deadline"`
	ExtensionReason string         `db:"extension_reason"`
	OverdueAt       *time.Time     `db:"overdue_at"`
	Parts           []byte         `db:"parts"`
	RespondedAt     *time.Time     `db:"responded_at"`
	RespondedBy     string         `db:"responded_by"`
	OnTime          bool           `db:"on_time"`
	Publish         bool           `db:"publish"`
	Review          []byte         `db:"review"`
	RetentionDue    *calendar.Date `db:"retention_due"`
	ErasedAt        *time.Time     `db:"erased_at"`
	Version         int            `db:"version"`

	Requester []byte         `db:"requester"`
	Details   sql.NullString `db:"details"`
}

type publicInterestRow struct {
	ForDisclosure   string `json:"for_disclosure"`
	ForWithholding  string `json:"for_withholding"`
	FavoursWithhold bool   `json:"favours_withholding"`
	Conclusion      string `json:"conclusion"`
}

type partRow struct {
	Description    string             `json:"description"`
	Outcome        string             `json:"outcome"`
	Exemption      string             `json:"exemption,omitempty"`
	PublicInterest *publicInterestRow `json:"public_interest,omitempty"`
}

type reviewRow struct {
	RequestedAt time.Time         `json:"requested_at"`
	Deadline    calendar.Deadline `json:"deadline"`
	Extended    bool              `json:"extended"`
	Outcome     string            `json:"outcome,omitempty"`
	Reasons     string            `json:"reasons,omitempty"`
	DecidedAt   *time.Time        `json:"decided_at,omitempty"`
	DecidedBy   string            `json:"decided_by,omitempty"`
	OverdueAt   *time.Time        `json:"overdue_at,omitempty"`
}

const loadFOISQL = `
SELECT c.id, c.reference, c.regime, c.regime_reason, c.status, c.received_at, c.summary, c.deadline, c.extension_reason,
    c.overdue_at, c.parts, c.responded_at, c.responded_by, c.on_time, c.publish, c.review, c.retention_due, c.erased_at, c.version,
    p.requester, p.details
FROM rights_foi_requests c LEFT JOIN rights_foi_personal_data p ON p.request_id = c.id
WHERE c.id = $1`

func loadFOI(ctx context.Context, q sqlx.QueryerContext, id, lock string) (*domain.FOIRequest, error) {
	var row foiRow
	if err := casestore.GetCase(ctx, q, &row, domain.ErrFOINotFound, loadFOISQL+lock, id); err != nil {
		return nil, err
	}
	f := &domain.FOIRequest{ID: row.ID, Reference: row.Reference, Regime: domain.Regime(row.Regime), RegimeReason: row.RegimeReason,
		Status: domain.FOIStatus(row.Status), ReceivedAt: row.ReceivedAt.UTC(), Summary: row.Summary, Extension: row.ExtensionReason,
		OverdueAt: postgres.UTCPtr(row.OverdueAt), RespondedAt: postgres.UTCPtr(row.RespondedAt), RespondedBy: row.RespondedBy, OnTime: row.OnTime,
		Publish: row.Publish, ErasedAt: postgres.UTCPtr(row.ErasedAt), Details: row.Details.String, Version: row.Version}
	if row.RetentionDue != nil {
		f.RetentionDue = *row.RetentionDue
	}
	var (
		parts     []partRow
		review    *reviewRow
		requester personRow
	)
	for _, d := range []struct {
		raw  []byte
		dst  any
		what string
	}{{row.Deadline, &f.Deadline, "deadline"}, {row.Parts, &parts, "parts"}, {row.Review, &review, "review"}, {row.Requester, &requester, "requester"}} {
		if err := unmarshalInto(d.raw, d.dst, d.what); err != nil {
			return nil, fmt.Errorf("FOI request %s: %w", row.ID, err)
		}
	}
	f.Requester = personOf(requester)
	for _, p := range parts {
		part := domain.Part{Description: p.Description, Outcome: p.Outcome, Exemption: p.Exemption}
		if pi := p.PublicInterest; pi != nil {
			part.PublicInterest = &domain.PublicInterest{ForDisclosure: pi.ForDisclosure, ForWithholding: pi.ForWithholding,
				FavoursWithhold: pi.FavoursWithhold, Conclusion: pi.Conclusion}
		}
		f.Parts = append(f.Parts, part)
	}
	if r := review; r != nil {
		f.Review = &domain.InternalReview{RequestedAt: r.RequestedAt.UTC(), Deadline: r.Deadline, Extended: r.Extended, Outcome: r.Outcome,
			Reasons: r.Reasons, DecidedAt: postgres.UTCPtr(r.DecidedAt), DecidedBy: r.DecidedBy, OverdueAt: postgres.UTCPtr(r.OverdueAt)}
	}
	return f, nil
}

func partRowsOf(parts []domain.Part) []partRow {
	rows := []partRow{}
	for _, p := range parts {
		r := partRow{Description: p.Description, Outcome: p.Outcome, Exemption: p.Exemption}
		if pi := p.PublicInterest; pi != nil {
			r.PublicInterest = &publicInterestRow{ForDisclosure: pi.ForDisclosure, ForWithholding: pi.ForWithholding,
				FavoursWithhold: pi.FavoursWithhold, Conclusion: pi.Conclusion}
		}
		rows = append(rows, r)
	}
	return rows
}

func saveFOI(ctx context.Context, tx *sqlx.Tx, f *domain.FOIRequest, at time.Time) error {
	deadline, err := json.Marshal(f.Deadline)
	if err != nil {
		return err
	}
	parts, err := json.Marshal(partRowsOf(f.Parts))
	if err != nil {
		return err
	}
	var review []byte
	var reviewDue *time.Time
	if r := f.Review; r != nil {
		if review, err = json.Marshal(reviewRow{RequestedAt: r.RequestedAt, Deadline: r.Deadline, Extended: r.Extended, Outcome: r.Outcome,
			Reasons: r.Reasons, DecidedAt: r.DecidedAt, DecidedBy: r.DecidedBy, OverdueAt: r.OverdueAt}); err != nil {
			return err
		}
		if r.DecidedAt == nil && r.OverdueAt == nil {
			due := r.Deadline.Due
			reviewDue = &due
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE rights_foi_requests SET regime = $2, regime_reason = $3, status = $4, deadline = $5,
		due_at = $6, extension_reason = $7, overdue_at = $8, parts = $9, responded_at = $10, responded_by = $11, on_time = $12,
		publish = $13, review = $14, review_due_at = $15, retention_due = $16, erased_at = $17, updated_at = $18, version = $19
		WHERE id = $1`,
		f.ID, f.Regime, f.RegimeReason, f.Status, deadline, f.Deadline.Due, f.Extension, f.OverdueAt, parts, f.RespondedAt,
		f.RespondedBy, f.OnTime, f.Publish, review, reviewDue, dateOrNil(f.RetentionDue), f.ErasedAt, at, f.Version); err != nil {
		return fmt.Errorf("save FOI request %s: %w", f.ID, err)
	}
	if f.ErasedAt != nil {
		_, err = tx.ExecContext(ctx, `DELETE FROM rights_foi_personal_data WHERE request_id = $1`, f.ID)
	} else {
		var requester []byte
		if requester, err = json.Marshal(personRowOf(f.Requester)); err == nil {
			_, err = tx.ExecContext(ctx, `UPDATE rights_foi_personal_data SET requester = $2, details = $3 WHERE request_id = $1`,
				f.ID, requester, f.Details)
		}
	}
	if err != nil {
		return fmt.Errorf("save personal data of FOI request %s: %w", f.ID, err)
	}
	return nil
}

func foiMessages(f *domain.FOIRequest, ch app.Change) ([]messaging.Message, error) {
	var due *time.Time
	switch {
	case f.Status == domain.FOIOpen:
		d := f.Deadline.Due
		due = &d
	case f.Review != nil && f.Review.DecidedAt == nil:
		d := f.Review.Deadline.Due
		due = &d
	}
	overdue := (f.Status == domain.FOIOpen && f.OverdueAt != nil) || (f.Review != nil && f.Review.DecidedAt == nil && f.Review.OverdueAt != nil)
	return caseMessages(caseFacts{id: f.ID, reference: f.Reference, kind: string(f.Regime), status: string(f.Status), due: due, overdue: overdue}, "foi", ch)
}

// Add stores a new request for information.
func (q *FOIRequests) Add(ctx context.Context, f *domain.FOIRequest, ch app.Change) error {
	return q.store.insert(ctx, f, ch, f.ReceivedAt, func(tx *sqlx.Tx, reference string) error {
		f.Reference = reference
		if _, err := tx.ExecContext(ctx, `INSERT INTO rights_foi_requests (id, reference, regime, status, received_at, summary,
			deadline, due_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, '{}', $7, $8, 0)`,
			f.ID, f.Reference, f.Regime, f.Status, f.ReceivedAt, f.Summary, f.Deadline.Due, ch.At); err != nil {
			return fmt.Errorf("insert FOI request: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rights_foi_personal_data (request_id, requester, details) VALUES ($1, '{}', '')`, f.ID); err != nil {
			return fmt.Errorf("insert FOI personal data: %w", err)
		}
		return nil
	})
}

// List returns requests by reference, without personal data.
func (q *FOIRequests) List(ctx context.Context, f app.Filter) ([]app.FOISummary, error) {
	type summaryRow struct {
		ID        string    `db:"id"`
		Reference string    `db:"reference"`
		Regime    string    `db:"regime"`
		Status    string    `db:"status"`
		DueAt     time.Time `db:"due_at"`
		Summary   string    `db:"summary"`
	}
	var found []summaryRow
	if err := q.store.db.SelectContext(ctx, &found, `SELECT id, reference, regime, status, due_at, summary FROM rights_foi_requests
		WHERE ($1 = '' OR status = $1) AND ($2 = '' OR reference > $2) ORDER BY reference LIMIT $3`, f.Status, f.After, f.Limit); err != nil {
		return nil, fmt.Errorf("list FOI requests: %w", err)
	}
	out := make([]app.FOISummary, len(found))
	for i, r := range found {
		out[i] = app.FOISummary{ID: r.ID, Reference: r.Reference, Regime: r.Regime, Status: r.Status, DueAt: r.DueAt.UTC(), Summary: r.Summary}
	}
	return out, nil
}

// DisclosureLog lists released responses for the public, newest first: no requester.
func (q *FOIRequests) DisclosureLog(ctx context.Context, limit int) ([]app.DisclosureLogEntry, error) {
	type logRow struct {
		Reference   string    `db:"reference"`
		Regime      string    `db:"regime"`
		ReceivedAt  time.Time `db:"received_at"`
		RespondedAt time.Time `db:"responded_at"`
		Summary     string    `db:"summary"`
		Parts       []byte    `db:"parts"`
	}
	var found []logRow
	if err := q.store.db.SelectContext(ctx, &found, `SELECT reference, regime, received_at, responded_at, summary, parts
		FROM rights_foi_requests WHERE publish AND responded_at IS NOT NULL ORDER BY responded_at DESC LIMIT $1`, limit); err != nil {
		return nil, fmt.Errorf("disclosure log: %w", err)
	}
	out := make([]app.DisclosureLogEntry, len(found))
	for i, r := range found {
		var parts []partRow
		if err := json.Unmarshal(r.Parts, &parts); err != nil {
			return nil, fmt.Errorf("disclosure log %s: %w", r.Reference, err)
		}
		e := app.DisclosureLogEntry{Reference: r.Reference, Regime: r.Regime, ReceivedOn: calendar.DateOf(r.ReceivedAt),
			RespondedOn: calendar.DateOf(r.RespondedAt), Request: r.Summary, Parts: []app.DisclosureLogPart{}}
		for _, p := range parts {
			e.Parts = append(e.Parts, app.DisclosureLogPart{Description: p.Description, Outcome: p.Outcome, Exemption: p.Exemption})
		}
		out[i] = e
	}
	return out, nil
}

// DueForOverdue lists open requests and running reviews whose working days have passed.
func (q *FOIRequests) DueForOverdue(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return q.store.ids(ctx, `SELECT id FROM rights_foi_requests WHERE (status = 'open' AND overdue_at IS NULL AND due_at <= $1)
		OR review_due_at <= $1 ORDER BY id LIMIT $2`, now, limit)
}

// DueForErasure lists requests whose retention has ended, leaving out those whose internal
// review still runs (domain.FOIRequest.Erase waits for it): a page of them at the head of
// the list would hold back every request after it.
func (q *FOIRequests) DueForErasure(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return q.store.ids(ctx, `SELECT id FROM rights_foi_requests WHERE erased_at IS NULL AND retention_due <= $1
		AND NOT (review IS NOT NULL AND review->'decided_at' IS NULL)
		ORDER BY retention_due LIMIT $2`, calendar.DateOf(now), limit)
}

// DueForRecompute lists requests whose running deadline, the response's (open) or an
// internal review's not yet decided, was counted with a bank-holiday table other than
// version.
func (q *FOIRequests) DueForRecompute(ctx context.Context, version string, limit int) ([]string, error) {
	return q.store.ids(ctx, `SELECT id FROM rights_foi_requests WHERE erased_at IS NULL AND (
		(status = 'open' AND deadline->>'holiday_table_version' <> $1)
		OR (review IS NOT NULL AND review->'decided_at' IS NULL AND review->'deadline'->>'holiday_table_version' <> $1))
		ORDER BY id LIMIT $2`, version, limit)
}

// DueForLapse lists requests waiting for clarification asked for at least
// domain.ClarificationWaitMonths ago (the domain decides on the calendar's months).
func (q *FOIRequests) DueForLapse(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return q.store.ids(ctx, `SELECT id FROM rights_foi_requests WHERE status = 'clock_stopped'
		AND (deadline->'stops'->-1->>'stopped_on')::date + make_interval(months => $3) <= $1
		ORDER BY id LIMIT $2`, calendar.DateOf(now), limit, domain.ClarificationWaitMonths)
}
