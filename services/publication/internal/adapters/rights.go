package adapters

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"casework.dev/pkg/rightsdata"
)

// rightsRegister is rightsdata.Register under a name of its own, so the repository can
// embed it beside its Register (the public register's entries).
type rightsRegister = rightsdata.Register

// findOffendersSQL is the first filter of a rights search, in the forms of
// casework.dev/pkg/rightsdata, served by the indexes of migration 00003_rights: a decision
// holds the offender's name and no contact detail, so only the name and the references are
// searched. An erased decision has no personal data row, so it is never found.
var findOffendersSQL = `
SELECT d.id FROM publication_decisions d JOIN publication_personal_data p ON p.decision_id = d.id
WHERE ($1 <> '' AND ` + rightsdata.NameSQL("p.name") + ` = $1)
   OR d.reference = ANY($2) OR upper(d.source_case_reference) = ANY($2)
ORDER BY d.received_at, d.id LIMIT $3`

// FindOffenders returns the decisions a rights search may be about.
func (r *Repository) FindOffenders(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error) {
	var ids []string
	if err := r.db.SelectContext(ctx, &ids, findOffendersSQL, w.Name, pq.StringArray(w.References), limit); err != nil {
		return nil, fmt.Errorf("rights search in publication_decisions: %w", err)
	}
	return ids, nil
}
