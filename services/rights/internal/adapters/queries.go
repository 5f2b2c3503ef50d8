package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
)

// List returns requests by reference, without personal data.
func (q *Requests) List(ctx context.Context, f app.Filter, now time.Time) ([]app.Summary, error) {
	type summaryRow struct {
		ID        string        `db:"id"`
		Reference string        `db:"reference"`
		Kind      string        `db:"kind"`
		Status    string        `db:"status"`
		Phase     string        `db:"phase"`
		DueAt     time.Time     `db:"due_at"`
		DueDate   calendar.Date `db:"due_date"`
		Overdue   bool          `db:"overdue"`
		Erased    bool          `db:"erased"`
	}
	var found []summaryRow
	err := q.store.db.SelectContext(ctx, &found, `SELECT id, reference, kind, status, phase, due_at, due_date,
		status = 'open' AND due_at <= $4 AS overdue, erased_at IS NOT NULL AS erased FROM rights_requests
		WHERE ($1 = '' OR status = $1) AND ($2 = '' OR kind = $2) AND ($3 = '' OR reference > $3) ORDER BY reference LIMIT $5`,
		f.Status, f.Kind, f.After, now, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	out := make([]app.Summary, len(found))
	for i, s := range found {
		out[i] = app.Summary{ID: s.ID, Reference: s.Reference, Kind: s.Kind, Status: s.Status, Phase: s.Phase, DueAt: s.DueAt.UTC(),
			DueDate: s.DueDate.String(), Overdue: s.Overdue, Erased: s.Erased}
	}
	return out, nil
}

func history(ctx context.Context, db sqlx.QueryerContext, id string) ([]app.HistoryEntry, error) {
	return audit.History(ctx, db, chain(id))
}

// DueForRetry lists requests with a service to ask now.
func (q *Requests) DueForRetry(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return q.store.ids(ctx, `SELECT id FROM rights_requests WHERE retry_at <= $1 ORDER BY retry_at LIMIT $2`, now, limit)
}

// DueForOverdue lists open requests whose month has passed and which were not reported.
func (q *Requests) DueForOverdue(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return q.store.ids(ctx, `SELECT id FROM rights_requests WHERE status = 'open' AND overdue_at IS NULL AND due_at <= $1
		ORDER BY due_at LIMIT $2`, now, limit)
}

// DueForErasure lists closed requests whose retention has ended, leaving out those with a
// restriction in force (domain.Request.RestrictionInForce: a record restricted, or
// restricted for an objection, and not lifted) and those still asking the services (a
// lift under way: retry_at is set while a fan-out awaits answers): erasure waits for them,
// and a page of them at the head of the list would hold back every request after it.
func (q *Requests) DueForErasure(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return q.store.ids(ctx, `SELECT c.id FROM rights_requests c WHERE c.erased_at IS NULL AND c.retention_due <= $1
			AND c.retry_at IS NULL
			AND NOT (c.lift IS NULL AND COALESCE(c.action->>'verb', '') IN ('restrict', 'object') AND EXISTS (
				SELECT 1 FROM rights_request_personal_data p, jsonb_array_elements(p.outcomes) o
				WHERE p.request_id = c.id AND o->>'verb' IN ('restrict', 'object') AND (o->>'done')::boolean
					AND COALESCE(o->>'effect', '') <> 'marketing_ended'))
		ORDER BY c.retention_due, c.id LIMIT $2`, calendar.DateOf(now), limit)
}

// DueForLapse lists requests waiting for the requester since a day at least
// domain.RequesterWaitMonths ago (the domain decides on the calendar's months), leaving out
// those the services are acting on (domain.Request.Lapse waits for their answers; a lifting
// is no bar): a page of them at the head of the list would hold back every request after it.
func (q *Requests) DueForLapse(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return q.store.ids(ctx, `SELECT id FROM rights_requests WHERE status = 'clock_stopped' AND erased_at IS NULL
		AND (deadline->'stops'->-1->>'stopped_on')::date + make_interval(months => $3) <= $1
		AND NOT (phase = 'actioning' AND COALESCE(action->>'verb', '') <> 'lift')
		ORDER BY (deadline->'stops'->-1->>'stopped_on')::date, id LIMIT $2`, calendar.DateOf(now), limit, domain.RequesterWaitMonths)
}

// DueForRecompute lists open requests (their month running) whose month was counted with
// a bank-holiday table other than version; a stopped clock is counted when it restarts.
func (q *Requests) DueForRecompute(ctx context.Context, version string, limit int) ([]string, error) {
	return q.store.ids(ctx, `SELECT id FROM rights_requests WHERE status = 'open' AND erased_at IS NULL
		AND deadline->>'holiday_table_version' <> $1 ORDER BY id LIMIT $2`, version, limit)
}

func (q *Requests) ids(ctx context.Context, query string, args ...any) ([]string, error) {
	var ids []string
	if err := q.store.db.SelectContext(ctx, &ids, query, args...); err != nil {
		return nil, fmt.Errorf("work list: %w", err)
	}
	return ids, nil
}
