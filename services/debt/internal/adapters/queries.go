package adapters

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/services/debt/internal/app"
	"casework.dev/services/debt/internal/domain"
)

// List returns case summaries (no personal data) matching the filter, by reference.
func (r *Repository) List(ctx context.Context, f app.Filter) ([]app.Summary, error) {
	where, args := []string{"true"}, []any{}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.ClientID != "" {
		where = append(where, "client_id = "+arg(f.ClientID))
	}
	if f.Status != "" {
		where = append(where, "status = "+arg(f.Status))
	}
	if f.Stage != "" {
		where = append(where, "stage = "+arg(f.Stage))
	}
	if f.ArrangementReview != nil {
		where = append(where, "(closed_at IS NULL AND arrangement->>'breached_at' IS NOT NULL AND arrangement->>'defaulted_at' IS NULL) = "+arg(*f.ArrangementReview))
	}
	if f.After != "" {
		where = append(where, "reference > "+arg(f.After))
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var rows []struct {
		ID              string    `db:"id"`
		Reference       string    `db:"reference"`
		ClientID        string    `db:"client_id"`
		ClientReference string    `db:"client_reference"`
		DebtType        string    `db:"debt_type"`
		Stage           string    `db:"stage"`
		Status          string    `db:"status"`
		ReferredAt      time.Time `db:"referred_at"`
		Returned        string    `db:"returned"`
		Hold            bool      `db:"hold"`
		Review          bool      `db:"review"`
		Erased          bool      `db:"erased"`
	}
	q := `SELECT id, reference, client_id, client_reference, debt_type, stage, status, referred_at,
		coalesce(returned->>'reason', '') AS returned,
		coalesce(closed_at IS NULL AND EXISTS (SELECT 1 FROM jsonb_array_elements(vulnerabilities) v WHERE v->>'reviewed_at' IS NULL), false) AS hold,
		coalesce(closed_at IS NULL AND arrangement->>'breached_at' IS NOT NULL AND arrangement->>'defaulted_at' IS NULL, false) AS review,
		erased_at IS NOT NULL AS erased
		FROM debt_cases WHERE ` + strings.Join(where, " AND ") + ` ORDER BY reference LIMIT ` + arg(limit)
	if err := r.db.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	out := make([]app.Summary, len(rows))
	for i, row := range rows {
		out[i] = app.Summary{ID: row.ID, Reference: row.Reference, ClientID: row.ClientID, ClientReference: row.ClientReference,
			DebtType: row.DebtType, Stage: row.Stage, Status: row.Status, ReferredAt: row.ReferredAt.UTC(), Returned: row.Returned,
			Hold: row.Hold, ArrangementReview: row.Review, Erased: row.Erased}
	}
	return out, nil
}

// History is the case's audit trail, oldest first.
func (r *Repository) History(ctx context.Context, id string) ([]app.HistoryEntry, error) {
	return audit.History(ctx, r.db, chain(id))
}

// Disclosures lists the disclosure log rows of one case, its debtors' together (a referral
// to the welfare team is logged as one joint debtor's), oldest first. The log holds
// category names, never values, so it survives erasure.
func (r *Repository) Disclosures(ctx context.Context, id string) ([]app.DisclosureRecord, error) {
	if _, err := loadRow(ctx, r.prepared, id); err != nil {
		return nil, err
	}
	var rows []struct {
		ID            string         `db:"id"`
		Recipient     string         `db:"recipient"`
		Purpose       string         `db:"purpose"`
		Condition     string         `db:"condition"`
		Categories    pq.StringArray `db:"categories"`
		NoticeVersion string         `db:"notice_version"`
		DisclosedAt   time.Time      `db:"disclosed_at"`
		DisclosedBy   string         `db:"disclosed_by"`
		FoundBy       sql.NullString `db:"found_by"`
		FoundAt       sql.NullTime   `db:"found_at"`
		Reason        sql.NullString `db:"reason"`
	}
	err := r.db.SelectContext(ctx, &rows, `SELECT l.id, l.recipient, l.purpose, l.condition, l.categories, l.notice_version, l.disclosed_at,
		l.disclosed_by, n.found_by, n.found_at, n.reason
		FROM disclosure_log l LEFT JOIN debt_necessity_findings n ON n.disclosure_id = l.id
		WHERE l.case_id = $1 ORDER BY l.disclosed_at, l.id`, id)
	if err != nil {
		return nil, fmt.Errorf("disclosures of %s: %w", id, err)
	}
	out := make([]app.DisclosureRecord, len(rows))
	for i, row := range rows {
		out[i] = app.DisclosureRecord{ID: row.ID, Recipient: row.Recipient, Purpose: row.Purpose, Condition: row.Condition,
			Categories: append([]string{}, row.Categories...), NoticeVersion: row.NoticeVersion, DisclosedAt: row.DisclosedAt.UTC(), DisclosedBy: row.DisclosedBy}
		if row.FoundAt.Valid {
			out[i].Necessity = &app.NecessityRecord{FoundBy: row.FoundBy.String, FoundAt: row.FoundAt.Time.UTC(), Reason: row.Reason.String}
		}
	}
	return out, nil
}

// Remittance sums one client's payments by month received (Europe/London), debt and each
// fee apart. Payment rows hold no personal data, so the figures survive erasure.
func (r *Repository) Remittance(ctx context.Context, clientID string, from, to time.Time) ([]app.RemittanceLine, error) {
	var lines []app.RemittanceLine
	err := r.db.SelectContext(ctx, &lines, `SELECT to_char(received_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS month,
		count(*) AS payments, sum(amount_pence - refund_pence) AS collected_pence, sum(to_debt_pence) AS debt_pence,
		sum(to_compliance_pence + to_enforcement_pence + to_sale_pence) AS fees_pence, sum(to_compliance_pence) AS compliance_pence,
		sum(to_enforcement_pence) AS enforcement_pence, sum(to_sale_pence) AS sale_pence, sum(refund_pence) AS refunded_pence
		FROM debt_payments WHERE client_id = $1 AND received_at >= $2 AND received_at < $3 GROUP BY 1 ORDER BY 1`, clientID, from, to)
	if err != nil {
		return nil, fmt.Errorf("remittance of %s: %w", clientID, err)
	}
	return lines, nil
}

// Statistics counts cases referred in the period by client and the stage reached, with
// their debt and the part of it collected.
func (r *Repository) Statistics(ctx context.Context, clientID string, from, to time.Time) ([]app.StatsRow, error) {
	var rows []app.StatsRow
	err := r.db.SelectContext(ctx, &rows, `SELECT c.client_id, c.stage, count(*) AS cases, sum(c.debt_pence) AS debt_pence,
		coalesce(sum(p.debt), 0) AS collected_pence
		FROM debt_cases c LEFT JOIN (SELECT case_id, sum(to_debt_pence) AS debt FROM debt_payments GROUP BY case_id) p ON p.case_id = c.id
		WHERE c.referred_at >= $1 AND c.referred_at < $2 AND ($3 = '' OR c.client_id = $3)
		GROUP BY 1, 2 ORDER BY 1, 2`, from, to, clientID)
	if err != nil {
		return nil, fmt.Errorf("statistics: %w", err)
	}
	return rows, nil
}

// InstalmentChecksBefore lists open cases with an instalment due before today and not yet
// covered or raised.
func (r *Repository) InstalmentChecksBefore(ctx context.Context, today calendar.Date, limit int) ([]string, error) {
	return r.ids(ctx, `SELECT id FROM debt_cases WHERE next_instalment_check < $1::date AND closed_at IS NULL
		ORDER BY next_instalment_check LIMIT $2`, today.String(), limit)
}

// PastControlLimit lists open cases whose 12 months for taking control ended before today
// without control being taken, leaving out those whose arrangement is being kept (as
// domain.Case.ControlLimitPassed does, so they never fill a batch the sweep skips).
func (r *Repository) PastControlLimit(ctx context.Context, today calendar.Date, limit int) ([]string, error) {
	return r.ids(ctx, `SELECT id FROM debt_cases WHERE control_limit < $1::date AND closed_at IS NULL AND goods_controlled IS NULL
		AND (arrangement IS NULL OR arrangement->>'defaulted_at' IS NOT NULL) ORDER BY control_limit LIMIT $2`, today.String(), limit)
}

// RunningNoticePeriodsCountedWithOtherTable lists open cases still in the compliance stage
// (domain.Case.NoticePeriodRunning) whose earliest day of control was counted with a bank
// holiday table other than version, the earliest referred first.
func (r *Repository) RunningNoticePeriodsCountedWithOtherTable(ctx context.Context, version string, limit int) ([]string, error) {
	// The stage is written into the statement so that the partial index on it is used.
	return r.ids(ctx, `SELECT id FROM debt_cases WHERE closed_at IS NULL AND stage = '`+string(domain.StageCompliance)+`'
		AND notice->'earliest_control'->>'holiday_table_version' IS DISTINCT FROM $1 ORDER BY referred_at LIMIT $2`, version, limit)
}

// DueForErasure lists closed cases whose retention ended and that no legal hold keeps.
func (r *Repository) DueForErasure(ctx context.Context, today calendar.Date, limit int) ([]string, error) {
	return r.ids(ctx, `SELECT id FROM debt_cases WHERE erased_at IS NULL AND retention_due <= $1::date AND legal_hold IS NULL
		ORDER BY retention_due LIMIT $2`, today.String(), limit)
}

func (r *Repository) ids(ctx context.Context, q string, args ...any) ([]string, error) {
	var ids []string
	if err := r.db.SelectContext(ctx, &ids, q, args...); err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	return ids, nil
}
