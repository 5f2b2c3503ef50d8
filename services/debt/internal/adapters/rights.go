package adapters

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"casework.dev/pkg/rightsdata"
)

// findDebtorsSQL is the first filter of a rights search, in the forms of
// casework.dev/pkg/rightsdata, each served by an index of migrations 00002_rights and 00008_unicode_forms (a case's
// joint debtors' names compared as one array); the app then decides which identifiers
// matched. A postcode or a date of birth alone makes no candidate, so neither is searched
// here. An erased case has no personal data row, so it is never found.
var findDebtorsSQL = `
SELECT c.id FROM debt_cases c JOIN debt_personal_data p ON p.case_id = c.id
WHERE ` + rightsdata.PersonMatchSQL("debt_compared_names(p.debtor_names) @> ARRAY[$1::text]", "p.email", "p.phone", "p.address") + `
   OR c.reference = ANY($5) OR upper(c.client_reference) = ANY($5) OR upper(c.order_reference) = ANY($5)
ORDER BY c.referred_at, c.id LIMIT $6`

// FindDebtors returns the cases a rights search may be about.
func (r *Repository) FindDebtors(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error) {
	return r.Find(ctx, findDebtorsSQL, w, limit)
}

// LoggedDisclosuresOf reads the disclosure log rows of any of the data subjects, oldest
// first: a joint debtor's data went under the case's debtors' name, their own, or theirs
// with other debtors' (app.SubjectsCarrying).
func (r *Repository) LoggedDisclosuresOf(ctx context.Context, dataSubjects []string) ([]rightsdata.Disclosure, error) {
	bySubject, err := rightsdata.Disclosures(ctx, r.db, dataSubjects)
	if err != nil {
		return nil, err
	}
	var out []rightsdata.Disclosure
	for _, logged := range bySubject {
		out = append(out, logged...)
	}
	slices.SortFunc(out, func(a, b rightsdata.Disclosure) int {
		return cmp.Or(a.DisclosedAt.Compare(b.DisclosedAt), strings.Compare(a.DisclosureID, b.DisclosureID))
	})
	return out, nil
}
