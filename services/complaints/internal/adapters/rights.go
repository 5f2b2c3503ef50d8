package adapters

import (
	"context"

	"casework.dev/pkg/rightsdata"
	"casework.dev/services/complaints/internal/app"
)

var _ app.Repository = (*Repository)(nil)

// findComplainantsSQL is the first filter of a rights search, in the forms of
// casework.dev/pkg/rightsdata; the app then decides which identifiers matched. A postcode
// or a date of birth alone makes no candidate, so neither is searched here. An erased
// complaint has no personal data row, so it is never found. The details and the
// references are searched apart and united: an OR across the join of both tables could use
// no index, and read every complaint (migration 00007 indexes each normalised form).
var findComplainantsSQL = `
SELECT c.id FROM complaints c JOIN complaint_personal_data p ON p.complaint_id = c.id
WHERE c.id IN (
    SELECT complaint_id FROM complaint_personal_data
    WHERE ` + rightsdata.PersonMatchSQL(nameMatchSQL, "email", "phone", "address") + `
    UNION SELECT id FROM complaints WHERE reference = ANY($5))
ORDER BY c.received_at, c.id LIMIT $6`

// nameMatchSQL compares the stored name's normalised form with $1 (rightsdata.Name's).
// A name is kept as the complainant gave it, white space around it included, and
// rightsdata.NameSQL trims spaces only before it folds runs of white space into one: a
// name stored as "  Ada Lovelace\t" reads "ada lovelace " there, where rightsdata.Name
// reads "ada lovelace". So the padded forms are compared too, on the same expression,
// which migration 00007's index serves; the app's match (rightsdata.Matched) then decides.
var nameMatchSQL = rightsdata.NameSQL("name") + ` IN ($1::text, ' ' || $1::text, $1::text || ' ', ' ' || $1::text || ' ')`

// FindComplainants returns the complaints a rights search may be about.
func (r *Repository) FindComplainants(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error) {
	return r.Find(ctx, findComplainantsSQL, w, limit)
}
