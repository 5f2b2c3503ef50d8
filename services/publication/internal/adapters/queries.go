package adapters

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/services/publication/internal/app"
	"casework.dev/services/publication/internal/domain"
)

// List returns decisions by reference, without personal data.
func (r *Repository) List(ctx context.Context, f app.Filter) ([]app.Summary, error) {
	type summaryRow struct {
		ID             string         `db:"id"`
		Reference      string         `db:"reference"`
		Status         string         `db:"status"`
		Source         string         `db:"source"`
		Team           string         `db:"source_team"`
		ConvictionDate calendar.Date  `db:"conviction_date"`
		Outcome        string         `db:"outcome"`
		TakedownOn     *calendar.Date `db:"takedown_on"`
		Erased         bool           `db:"erased"`
	}
	var found []summaryRow
	err := r.db.SelectContext(ctx, &found, `SELECT id, reference, status, source, source_team, conviction_date, outcome,
		takedown_on, erased_at IS NOT NULL AS erased FROM publication_decisions
		WHERE ($1 = '' OR status = $1) AND ($2 = '' OR reference > $2) ORDER BY reference LIMIT $3`, f.Status, f.After, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	out := make([]app.Summary, len(found))
	for i, s := range found {
		out[i] = app.Summary{ID: s.ID, Reference: s.Reference, Status: s.Status, Source: s.Source, Team: s.Team,
			ConvictionDate: s.ConvictionDate, Outcome: s.Outcome, TakedownOn: s.TakedownOn, Erased: s.Erased}
	}
	return out, nil
}

// History is the decision's audit chain.
func (r *Repository) History(ctx context.Context, id string) ([]app.HistoryEntry, error) {
	return audit.History(ctx, r.db, chain(id))
}

// Register selects the six published fields and nothing else, with the fields the entry's
// disclosure to the public register let go, for entries published to the register and
// before their takedown date; an entry held for its sentence to be amended, or restricted
// (UK GDPR Art 18), is not shown.
func (r *Repository) Register(ctx context.Context, today calendar.Date) ([]app.RegisterRow, error) {
	var rows []struct {
		Name     string         `db:"name"`
		Town     string         `db:"town"`
		Offence  string         `db:"offence"`
		Court    string         `db:"court"`
		Date     calendar.Date  `db:"conviction_date"`
		Sentence string         `db:"sentence"`
		Fields   pq.StringArray `db:"register_fields"`
	}
	err := r.db.SelectContext(ctx, &rows, `SELECT p.name, p.town, p.offence, p.court, d.conviction_date, p.sentence, d.register_fields
		FROM publication_decisions d JOIN publication_personal_data p ON p.decision_id = d.id
		WHERE d.status = 'published' AND d.takedown_on > $1 AND d.register_fields IS NOT NULL AND NOT d.sentence_to_amend
			AND NOT EXISTS (SELECT 1 FROM rights_restrictions r WHERE r.case_id = d.id::text)
		ORDER BY d.conviction_date DESC, d.reference DESC`, today)
	if err != nil {
		return nil, fmt.Errorf("register: %w", err)
	}
	out := make([]app.RegisterRow, len(rows))
	for i, e := range rows {
		out[i] = app.RegisterRow{Conviction: domain.Conviction{Name: e.Name, Town: e.Town, Offence: e.Offence, Court: e.Court, Date: e.Date,
			Sentence: e.Sentence}, Fields: append([]string{}, e.Fields...)}
	}
	return out, nil
}

// DueForTakedown lists published decisions whose takedown day has come.
func (r *Repository) DueForTakedown(ctx context.Context, today calendar.Date, limit int) ([]string, error) {
	var ids []string
	err := r.db.SelectContext(ctx, &ids, `SELECT id FROM publication_decisions WHERE status = 'published' AND takedown_on <= $1
		ORDER BY takedown_on, reference LIMIT $2`, today, limit)
	if err != nil {
		return nil, fmt.Errorf("decisions due for takedown: %w", err)
	}
	return ids, nil
}

// DueForErasure lists decisions whose retention has ended.
func (r *Repository) DueForErasure(ctx context.Context, today calendar.Date, limit int) ([]string, error) {
	var ids []string
	err := r.db.SelectContext(ctx, &ids, `SELECT id FROM publication_decisions WHERE erased_at IS NULL AND retention_due <= $1
		ORDER BY retention_due, reference LIMIT $2`, today, limit)
	if err != nil {
		return nil, fmt.Errorf("decisions due for erasure: %w", err)
	}
	return ids, nil
}
