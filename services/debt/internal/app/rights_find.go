package app

import (
	"context"
	"fmt"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/rightsdata"
)

// Find lists each debtor of each case who matches the identifiers: name, e-mail, phone,
// address, or the case's, the client's or the order's reference. A joint case gives one
// candidate per matching debtor, or per debtor when no name was given to tell them apart.
// Each case read is audited on its trail.
func (r *Rights) Find(ctx context.Context, requestID string, ids rights.Identifiers) ([]rights.Candidate, error) {
	w, found, err := rightsdata.Search(ctx, rightsdata.Wanted(ids), r.svc.repo.FindDebtors) // the same fields, by design
	if err != nil || len(found) == 0 {
		return nil, err
	}
	var out []rights.Candidate
	var recordIDs []string
	for _, id := range found {
		c, err := r.svc.repo.Read(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := r.svc.repo.Audit(ctx, id, rightsdata.Actor(requestID), "case.rights.matched", r.svc.Now(), nil); err != nil {
			return nil, err
		}
		for n, name := range c.Debtor.Names {
			if name == "" {
				continue // erased at their request
			}
			matched := w.Matched(rightsdata.Person{Names: []string{name}, Email: c.Debtor.Email, Phone: c.Debtor.Phone,
				Address: c.Debtor.Address, References: []string{c.Reference, c.ClientReference, c.Order.Reference}})
			if !rightsdata.IsCandidate(matched) || (w.Name != "" && len(c.Debtor.Names) > 1 && matched[0] != "name") {
				continue
			}
			rec := recordOf(c, n)
			recordIDs = append(recordIDs, rec.id)
			out = append(out, rights.Candidate{RecordID: rec.id, Kind: recordKind, Reference: c.Reference, Role: "debtor",
				Matched: matched, Summary: fmt.Sprintf("%s debt referred %s, %s", casework.Readable(c.DebtType),
					calendar.DateOf(c.ReferredAt), casework.Readable(c.Status))})
		}
	}
	restricted, err := r.svc.repo.Restrictions(ctx, recordIDs)
	if err != nil {
		return nil, err
	}
	for i := range out {
		_, out[i].Restricted = restricted[out[i].RecordID]
	}
	return out, nil
}
