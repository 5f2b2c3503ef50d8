package app

import (
	"context"
	"fmt"
	"slices"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/investigations/internal/domain"
)

// Find lists each person in each case who matches the identifiers by their own details. A
// reference alone names the case: then every person in it is a candidate, for the DPO to
// tell apart by role. Each case read is audited on its trail.
func (r *Rights) Find(ctx context.Context, requestID string, ids rights.Identifiers) ([]rights.Candidate, error) {
	w, found, err := rightsdata.Search(ctx, rightsdata.Wanted(ids), r.svc.repo.FindPeople) // the same fields, by design
	if err != nil || len(found) == 0 {
		return nil, err
	}
	refsOnly := (rightsdata.Wanted{Name: w.Name, Email: w.Email, Phone: w.Phone, Address: w.Address, Postcode: w.Postcode,
		DateOfBirth: w.DateOfBirth}).Empty()
	var out []rights.Candidate
	var recordIDs []string
	for _, caseID := range found {
		c, err := r.svc.repo.Load(ctx, caseID)
		if err != nil {
			return nil, err
		}
		if err := r.auditRead(ctx, requestID, caseID); err != nil {
			return nil, err
		}
		for _, p := range c.People {
			matched := w.Matched(rightsdata.Person{Names: []string{p.Name}, Email: p.Email, Phone: p.Phone, Address: p.Address,
				DateOfBirth: p.DateOfBirth, References: []string{c.Reference}})
			personal := slices.ContainsFunc(matched, func(m string) bool { return m == "name" || m == "email" || m == "phone" || m == "address" })
			if !personal && !(refsOnly && slices.Contains(matched, "reference")) {
				continue
			}
			rec := personRecord(c.ID, p.ID)
			recordIDs = append(recordIDs, rec)
			out = append(out, rights.Candidate{RecordID: rec, Kind: string(domain.Kind), Reference: c.Reference, Role: string(p.Role),
				Matched: matched, Summary: fmt.Sprintf("%s case received %s, %s", casework.Readable(c.Area),
					calendar.DateOf(c.ReceivedAt), casework.Readable(c.Status))})
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
