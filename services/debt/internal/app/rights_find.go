package app

import (
	"context"
	"fmt"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/debt/internal/domain"
)

// Find lists each debtor of each case who matches the identifiers: name, e-mail, phone,
// address, or the case's, the client's or the order's reference. A joint case gives one
// candidate per matching debtor, or per debtor when no name was given to tell them apart.
// Each case read is audited on its trail.
func (r *Rights) Find(ctx context.Context, requestID string, ids rights.Identifiers) ([]rights.Candidate, error) {
	return rightsdata.Find(ctx, rightsdata.Wanted(ids), rightsdata.Finder[*domain.Case, rights.Candidate]{ // the same fields, by design
		Search: r.svc.repo.FindDebtors,
		Read: func(ctx context.Context, id string) (*domain.Case, error) {
			c, err := r.svc.repo.Read(ctx, id)
			if err != nil {
				return nil, err
			}
			return c, r.svc.repo.Audit(ctx, id, rightsdata.Actor(requestID), "case.rights.matched", r.svc.Now(), nil)
		},
		Match:        matchDebtors,
		Restrictions: r.svc.repo.Restrictions,
		As:           func(c rightsdata.Candidate) rights.Candidate { return rights.Candidate(c) },
	})
}

// matchDebtors lists the debtors of the case whom w matches; of a joint case, when w gives
// a name, only those matched by it.
func matchDebtors(w rightsdata.Wanted, c *domain.Case) []rightsdata.Candidate {
	var out []rightsdata.Candidate
	for n, name := range c.Debtor.Names {
		if name == "" {
			continue // erased at their request
		}
		matched := w.Matched(rightsdata.Person{Names: []string{name}, Email: c.Debtor.Email, Phone: c.Debtor.Phone,
			Address: c.Debtor.Address, References: []string{c.Reference, c.ClientReference, c.Order.Reference}})
		if !rightsdata.IsCandidate(matched) || (w.Name != "" && len(c.Debtor.Names) > 1 && matched[0] != "name") {
			continue
		}
		out = append(out, rightsdata.Candidate{RecordID: recordOf(c, n).id, Kind: recordKind, Reference: c.Reference, Role: "debtor",
			Matched: matched, Summary: fmt.Sprintf("%s debt referred %s, %s", casework.Readable(c.DebtType),
				calendar.DateOf(c.ReferredAt), casework.Readable(c.Status))})
	}
	return out
}
