package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"

	"casework.dev/pkg/casestore"
	"casework.dev/services/complaints/internal/app"
	"casework.dev/services/complaints/internal/domain"
)

// Disclosures lists the disclosure log rows of one complaint's complainant, oldest first:
// which recipients received which categories, when, on what condition. The log holds
// category names, never values, so it survives retention erasure.
func (r *Repository) Disclosures(ctx context.Context, id string) ([]app.DisclosureRecord, error) {
	var found int
	if err := casestore.GetCase(ctx, r.db, &found, domain.ErrNotFound, `SELECT 1 FROM complaints WHERE id = $1`, id); err != nil {
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
	}
	err := r.db.SelectContext(ctx, &rows, `SELECT id, recipient, purpose, condition, categories, notice_version,
		disclosed_at, disclosed_by FROM disclosure_log WHERE data_subject = $1 ORDER BY disclosed_at, id`, "complainant:"+id)
	if err != nil {
		return nil, fmt.Errorf("disclosures of %s: %w", id, err)
	}
	out := make([]app.DisclosureRecord, len(rows))
	for i, row := range rows {
		out[i] = app.DisclosureRecord{ID: row.ID, Recipient: row.Recipient, Purpose: row.Purpose, Condition: row.Condition,
			Categories: append([]string{}, row.Categories...), NoticeVersion: row.NoticeVersion,
			DisclosedAt: row.DisclosedAt.UTC(), DisclosedBy: row.DisclosedBy}
	}
	return out, nil
}
