package adapters

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"casework.dev/pkg/rightsdata"
	"casework.dev/services/complaints/internal/app"
)

var _ app.RightsStore = (*Repository)(nil)

// findComplainantsSQL is the first filter of a rights search, in the forms of
// casework.dev/pkg/rightsdata; the app then decides which identifiers matched. A postcode
// or a date of birth alone makes no candidate, so neither is searched here. An erased
// complaint has no personal data row, so it is never found.
var findComplainantsSQL = `
SELECT c.id FROM complaints c JOIN complaint_personal_data p ON p.complaint_id = c.id
WHERE ($1 <> '' AND ` + rightsdata.NameSQL("p.name") + ` = $1)
   OR ($2 <> '' AND ` + rightsdata.EmailSQL("p.email") + ` = $2)
   OR ($3 <> '' AND ` + rightsdata.PhoneSQL("p.phone") + ` = $3)
   OR ($4 <> '' AND ` + rightsdata.CompactSQL("p.address") + ` = $4)
   OR c.reference = ANY($5)
ORDER BY c.received_at, c.id LIMIT $6`

// FindComplainants returns the complaints a rights search may be about.
func (r *Repository) FindComplainants(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error) {
	var ids []string
	if err := r.db.SelectContext(ctx, &ids, findComplainantsSQL, w.Name, w.Email, w.Phone, w.Address, pq.StringArray(w.References), limit); err != nil {
		return nil, fmt.Errorf("find complainants: %w", err)
	}
	return ids, nil
}
