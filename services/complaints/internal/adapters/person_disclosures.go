package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/complaints/internal/app"
)

// The person's complaints that still hold personal data: an erased complaint has no
// personal data row, so it no longer matches. E-mails and phones compare in the forms of
// casework.dev/pkg/rightsdata, as app.Person.Normalised gives them.
var personComplaintsSQL = `
SELECT c.id, c.reference FROM complaints c JOIN complaint_personal_data p ON p.complaint_id = c.id
WHERE ($1 <> '' AND ` + rightsdata.EmailSQL("p.email") + ` = $1)
   OR ($2 <> '' AND ` + rightsdata.PhoneSQL("p.phone") + ` = $2)
ORDER BY c.received_at, c.id`

// DisclosuresOfPerson lists the disclosure log rows of every complaint of one person, oldest
// first, and audits the look-up on each complaint found, in one transaction.
func (r *Repository) DisclosuresOfPerson(ctx context.Context, p app.Person, reader string, at time.Time) ([]app.PersonComplaint, []app.PersonDisclosure, error) {
	var complaints []app.PersonComplaint
	var out []app.PersonDisclosure
	err := postgres.InTx(ctx, r.db, func(tx *sqlx.Tx) error {
		complaints, out = nil, nil
		if err := tx.SelectContext(ctx, &complaints, personComplaintsSQL, p.Email, p.Phone); err != nil {
			return fmt.Errorf("complaints of a person: %w", err)
		}
		if len(complaints) == 0 {
			return nil
		}
		subjects := make([]string, len(complaints))
		byID := map[string]string{}
		for i, c := range complaints {
			subjects[i] = "complainant:" + c.ID
			byID[c.ID] = c.Reference
			if err := audit.Append(ctx, tx, audit.Entry{Chain: chain(c.ID), At: at, Actor: reader,
				Action: "complaint.disclosures_of_person", Subject: c.ID}); err != nil {
				return err
			}
		}
		var rows []struct {
			ID            string         `db:"id"`
			CaseID        string         `db:"case_id"`
			Recipient     string         `db:"recipient"`
			Purpose       string         `db:"purpose"`
			Condition     string         `db:"condition"`
			Categories    pq.StringArray `db:"categories"`
			NoticeVersion string         `db:"notice_version"`
			DisclosedAt   time.Time      `db:"disclosed_at"`
			DisclosedBy   string         `db:"disclosed_by"`
		}
		if err := tx.SelectContext(ctx, &rows, `SELECT id, case_id, recipient, purpose, condition, categories, notice_version,
			disclosed_at, disclosed_by FROM disclosure_log WHERE data_subject = ANY($1) ORDER BY disclosed_at, id`,
			pq.StringArray(subjects)); err != nil {
			return fmt.Errorf("disclosures of a person: %w", err)
		}
		for _, row := range rows {
			out = append(out, app.PersonDisclosure{ComplaintID: row.CaseID, Reference: byID[row.CaseID],
				DisclosureRecord: app.DisclosureRecord{ID: row.ID, Recipient: row.Recipient, Purpose: row.Purpose,
					Condition: row.Condition, Categories: append([]string{}, row.Categories...), NoticeVersion: row.NoticeVersion,
					DisclosedAt: row.DisclosedAt.UTC(), DisclosedBy: row.DisclosedBy}})
		}
		return nil
	})
	return complaints, out, err
}
