package rightsdata

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Disclosure is one disclosure log row about a data subject: who received which categories
// of their data, when, under which notice version. Its fields are those of the rights
// protocol's Disclosure (casework.dev/contracts/rights), so a service converts one to the
// other with a type conversion.
type Disclosure struct {
	DisclosureID  string    `json:"disclosure_id"`
	Recipient     string    `json:"recipient"`
	Purpose       string    `json:"purpose"`
	Categories    []string  `json:"categories"`
	DisclosedAt   time.Time `json:"disclosed_at"`
	NoticeVersion string    `json:"notice_version"`
	InPlace       bool      `json:"in_place,omitempty"` // as rights.Disclosure: set by the service that knows
}

// Disclosures reads the disclosure log rows of the data subjects named (the log's
// data_subject, e.g. "complainant:<id>"), oldest first, by data subject. A subject with no
// row has none in the map.
func Disclosures(ctx context.Context, q sqlx.QueryerContext, dataSubjects []string) (map[string][]Disclosure, error) {
	var rows []struct {
		DataSubject   string         `db:"data_subject"`
		ID            string         `db:"id"`
		Recipient     string         `db:"recipient"`
		Purpose       string         `db:"purpose"`
		Categories    pq.StringArray `db:"categories"`
		DisclosedAt   time.Time      `db:"disclosed_at"`
		NoticeVersion string         `db:"notice_version"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT data_subject, id, recipient, purpose, categories, disclosed_at, notice_version
		FROM disclosure_log WHERE data_subject = ANY($1) ORDER BY disclosed_at, id`, pq.StringArray(dataSubjects)); err != nil {
		return nil, fmt.Errorf("disclosure log of data subjects: %w", err)
	}
	out := map[string][]Disclosure{}
	for _, r := range rows {
		out[r.DataSubject] = append(out[r.DataSubject], Disclosure{DisclosureID: r.ID, Recipient: r.Recipient, Purpose: r.Purpose,
			Categories: append([]string{}, r.Categories...), DisclosedAt: r.DisclosedAt.UTC(), NoticeVersion: r.NoticeVersion})
	}
	return out, nil
}
