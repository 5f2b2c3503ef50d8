package adapters

import (
	"context"
	"fmt"
	"strings"
	"time"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/postgres"
	"casework.dev/services/complaints/internal/app"
	"casework.dev/services/complaints/internal/domain"
)

// List returns case summaries (no personal data) matching the filter, by reference.
func (r *Repository) List(ctx context.Context, f app.Filter, now time.Time) ([]app.Summary, error) {
	where := []string{"true"}
	args := []any{now}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Status != "" {
		where = append(where, "c.status = "+arg(f.Status))
	}
	if f.Stage != 0 {
		where = append(where, "c.stage = "+arg(f.Stage))
	}
	if f.Service != "" {
		where = append(where, "c.service = "+arg(f.Service))
	}
	if f.Officer != "" {
		where = append(where, "(CASE WHEN c.stage = 2 THEN c.stage2_handler ELSE c.stage1_handler END) = "+arg(f.Officer))
	}
	if f.DueBefore != nil {
		where = append(where, "upcoming.due_at < "+arg(*f.DueBefore))
	}
	if f.Overdue != nil {
		if *f.Overdue {
			where = append(where, "upcoming.due_at <= $1")
		} else {
			where = append(where, "(upcoming.due_at IS NULL OR upcoming.due_at > $1)")
		}
	}
	if f.After != "" {
		where = append(where, "c.reference > "+arg(f.After))
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := `SELECT c.id, c.reference, c.stage, c.status, c.service, c.channel,
		CASE WHEN c.stage = 2 THEN c.stage2_handler ELSE c.stage1_handler END AS handler,
		c.received_at, upcoming.due_at, coalesce(upcoming.stage || '.' || upcoming.kind, '') AS next_due,
		coalesce(upcoming.due_at <= $1, false) AS overdue, c.legal_hold_reason IS NOT NULL AS legal_hold, c.erased_at IS NOT NULL AS erased
		FROM complaints c
		LEFT JOIN LATERAL (SELECT 'stage' || d.stage AS stage, d.kind, d.due_at FROM complaint_deadlines d
			WHERE d.complaint_id = c.id AND ` + runningDeadline + ` ORDER BY d.due_at LIMIT 1) upcoming ON true
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY c.reference LIMIT ` + arg(limit)
	var rows []struct {
		ID         string     `db:"id"`
		Reference  string     `db:"reference"`
		Stage      int        `db:"stage"`
		Status     string     `db:"status"`
		Service    string     `db:"service"`
		Channel    string     `db:"channel"`
		Handler    string     `db:"handler"`
		ReceivedAt time.Time  `db:"received_at"`
		DueAt      *time.Time `db:"due_at"`
		NextDue    string     `db:"next_due"`
		Overdue    bool       `db:"overdue"`
		LegalHold  bool       `db:"legal_hold"`
		Erased     bool       `db:"erased"`
	}
	if err := r.db.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("list complaints: %w", err)
	}
	out := make([]app.Summary, len(rows))
	for i, row := range rows {
		out[i] = app.Summary{ID: row.ID, Reference: row.Reference, Stage: row.Stage, Status: row.Status, Service: row.Service,
			Channel: row.Channel, Handler: row.Handler, ReceivedAt: row.ReceivedAt.UTC(), NextDueAt: postgres.UTCPtr(row.DueAt),
			NextDue: row.NextDue, Overdue: row.Overdue, LegalHold: row.LegalHold, Erased: row.Erased}
	}
	return out, nil
}

// History is the case's audit trail, oldest first.
func (r *Repository) History(ctx context.Context, id string) ([]app.HistoryEntry, error) {
	return audit.History(ctx, r.db, chain(id))
}

// Statistics counts complaints received and responses given, by month of receipt
// (Europe/London), service and stage; at stage 3, referrals to the Ombudsman and its
// decisions. Only non-personal columns are read, so the figures
// survive erasure.
func (r *Repository) Statistics(ctx context.Context, from, to time.Time) (received, responses []app.StatsCell, err error) {
	err = r.db.SelectContext(ctx, &received, `
		SELECT to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month, service, 1 AS stage, '' AS outcome,
			count(*) AS count, 0 AS on_time
		FROM complaints WHERE received_at >= $1 AND received_at < $2 GROUP BY 1, 2
		UNION ALL
		SELECT to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), service, 2, '', count(*), 0
		FROM complaints WHERE stage2_handler IS NOT NULL AND received_at >= $1 AND received_at < $2 GROUP BY 1, 2 -- escalated, even if now at stage 3
		UNION ALL
		SELECT to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), service, 3, '', count(*), 0
		FROM complaints WHERE stage3 IS NOT NULL AND received_at >= $1 AND received_at < $2 GROUP BY 1, 2 -- taken to the Ombudsman
		ORDER BY 1, 2, 3`, from, to)
	if err != nil {
		return nil, nil, fmt.Errorf("statistics received: %w", err)
	}
	err = r.db.SelectContext(ctx, &responses, `
		SELECT month, service, stage, outcome, count(*) AS count, count(*) FILTER (WHERE on_time) AS on_time FROM (
			SELECT to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month, service, 1 AS stage,
				stage1_outcome AS outcome, stage1_on_time AS on_time
			FROM complaints WHERE stage1_outcome IS NOT NULL AND received_at >= $1 AND received_at < $2
			UNION ALL
			SELECT to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), service, 2, stage2_outcome, stage2_on_time
			FROM complaints WHERE stage2_outcome IS NOT NULL AND received_at >= $1 AND received_at < $2
			UNION ALL -- the Ombudsman's decisions: no council deadline, so no on-time figure
			SELECT to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), service, 3, stage3->'decision'->>'outcome', NULL::boolean
			FROM complaints WHERE stage3->'decision' IS NOT NULL AND received_at >= $1 AND received_at < $2
		) s GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`, from, to)
	if err != nil {
		return nil, nil, fmt.Errorf("statistics responses: %w", err)
	}
	return received, responses, nil
}

// runningDeadline is domain.Complaint.Running for deadline d of complaint c. A stopped clock
// is one of stage 1 or 2 while the complaint is at stage 3, so the stage test covers it.
const runningDeadline = `d.met_at IS NULL AND d.ended_at IS NULL AND d.stage = c.stage AND c.status <> '` + string(domain.StatusClosed) + `'`

// RunningDeadlinesDue lists running, unreported deadlines that have passed.
func (r *Repository) RunningDeadlinesDue(ctx context.Context, now time.Time, limit int) ([]app.DeadlineRef, error) {
	var refs []app.DeadlineRef
	err := r.db.SelectContext(ctx, &refs, `SELECT d.complaint_id, d.stage, d.kind FROM complaint_deadlines d
		JOIN complaints c ON c.id = d.complaint_id
		WHERE d.overdue_at IS NULL AND d.due_at <= $1 AND `+runningDeadline+`
		ORDER BY d.due_at LIMIT $2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("list overdue deadlines: %w", err)
	}
	return refs, nil
}

// DueForErasure lists closed complaints whose retention has ended and that no legal hold keeps.
func (r *Repository) DueForErasure(ctx context.Context, today calendar.Date, limit int) ([]string, error) {
	var ids []string
	err := r.db.SelectContext(ctx, &ids, `SELECT id FROM complaints
		WHERE erased_at IS NULL AND retention_due IS NOT NULL AND retention_due <= $1::date AND legal_hold_reason IS NULL
		ORDER BY retention_due LIMIT $2`, today.String(), limit)
	if err != nil {
		return nil, fmt.Errorf("list complaints due for erasure: %w", err)
	}
	return ids, nil
}

// RespondedUnchangedSince lists the complaints answered at stage 1 or 2, awaiting the
// complainant, not erased, and not changed since before: the candidates for closure when
// no further contact came (domain.CloseNoFurtherContact decides), oldest change first.
func (r *Repository) RespondedUnchangedSince(ctx context.Context, before time.Time, limit int) ([]string, error) {
	var ids []string
	err := r.db.SelectContext(ctx, &ids, `SELECT id FROM complaints
		WHERE status IN ('stage1_responded', 'stage2_responded') AND erased_at IS NULL AND updated_at < $1
		ORDER BY updated_at, id LIMIT $2`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("list answered complaints with no further contact: %w", err)
	}
	return ids, nil
}

// RunningDeadlinesComputedWithOtherTable lists open complaints with a running deadline
// computed under a different bank-holiday table version.
func (r *Repository) RunningDeadlinesComputedWithOtherTable(ctx context.Context, version string, limit int) ([]string, error) {
	var ids []string
	err := r.db.SelectContext(ctx, &ids, `SELECT DISTINCT d.complaint_id FROM complaint_deadlines d
		JOIN complaints c ON c.id = d.complaint_id
		WHERE `+runningDeadline+` AND d.computation->>'holiday_table_version' <> $1
		ORDER BY d.complaint_id LIMIT $2`, version, limit)
	if err != nil {
		return nil, fmt.Errorf("list deadlines to recompute: %w", err)
	}
	return ids, nil
}

// ReferredDeadlinesToSettle lists open complaints with a deadline a referral found unmet at
// its stage (the current referral or an earlier one) that records neither the clock stop
// that referral made nor an end: saved before referrals stopped clocks (migration 00010).
func (r *Repository) ReferredDeadlinesToSettle(ctx context.Context, limit int) ([]string, error) {
	var ids []string
	err := r.db.SelectContext(ctx, &ids, `SELECT DISTINCT d.complaint_id FROM complaint_deadlines d
		JOIN complaints c ON c.id = d.complaint_id
		CROSS JOIN LATERAL (SELECT c.stage3 AS facts UNION ALL
			SELECT e FROM jsonb_array_elements(coalesce(c.stage3->'earlier', '[]')) e) r
		WHERE c.stage3 IS NOT NULL AND c.status <> $1 AND d.stage < 3 AND d.met_at IS NULL AND d.ended_at IS NULL
			AND d.stage = (r.facts->>'from_stage')::smallint
			AND (d.computation->>'start')::timestamptz <= (r.facts->>'referred_at')::timestamptz
			AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(d.computation->'stops', '[]')) s
				WHERE (s->>'stopped_at')::timestamptz = (r.facts->>'referred_at')::timestamptz)
		LIMIT $2`, domain.StatusClosed, limit)
	if err != nil {
		return nil, fmt.Errorf("list referred deadlines to settle: %w", err)
	}
	return ids, nil
}
