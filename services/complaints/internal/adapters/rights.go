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
// complaint has no personal data row, so it is never found.
var findComplainantsSQL = `
SELECT c.id FROM complaints c JOIN complaint_personal_data p ON p.complaint_id = c.id
WHERE ` + rightsdata.PersonFilterSQL("p.name", "p.email", "p.phone", "p.address") + ` OR c.reference = ANY($5)
ORDER BY c.received_at, c.id LIMIT $6`

// FindComplainants returns the complaints a rights search may be about.
func (r *Repository) FindComplainants(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error) {
	return r.Find(ctx, findComplainantsSQL, w, limit)
}
