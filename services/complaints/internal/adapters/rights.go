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
    WHERE ` + rightsdata.PersonFilterSQL("name", "email", "phone", "address") + `
    UNION SELECT id FROM complaints WHERE reference = ANY($5))
ORDER BY c.received_at, c.id LIMIT $6`

// FindComplainants returns the complaints a rights search may be about.
func (r *Repository) FindComplainants(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error) {
	return r.Find(ctx, findComplainantsSQL, w, limit)
}
