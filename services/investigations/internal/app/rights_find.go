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
// tell apart by role. A case file whose retention has ended is not searched, as when the
// sweep has erased it. Each case read is audited on its trail.
func (r *Rights) Find(ctx context.Context, requestID string, ids rights.Identifiers) ([]rights.Candidate, error) {
	return rightsdata.Find(ctx, rightsdata.Wanted(ids), rightsdata.Finder[*domain.Investigation, rights.Candidate]{ // the same fields, by design
		Search: r.svc.repo.FindPeople,
		Read: func(ctx context.Context, caseID string) (*domain.Investigation, error) {
			c, err := r.svc.repo.Load(ctx, caseID)
			if err != nil {
				return nil, err
			}
			return c.HeldOn(r.svc.Now(), rightsdata.Email), r.auditRead(ctx, requestID, caseID)
		},
		Match:        matchPeople,
		Restrictions: r.svc.repo.Restrictions,
		As:           func(c rightsdata.Candidate) rights.Candidate { return rights.Candidate(c) },
	})
}

// matchPeople lists the people in the case whom w matches by their own details, or every
// person when w gives references only and one is the case's.
func matchPeople(w rightsdata.Wanted, c *domain.Investigation) []rightsdata.Candidate {
	if c.Erased() {
		return nil // as the search leaves out an erased case file (FindPeople)
	}
	refsOnly := (rightsdata.Wanted{Name: w.Name, Email: w.Email, Phone: w.Phone, Address: w.Address, Postcode: w.Postcode,
		DateOfBirth: w.DateOfBirth}).Empty()
	var out []rightsdata.Candidate
	for _, p := range c.People {
		matched := w.Matched(rightsdata.Person{Names: []string{p.Name}, Email: p.Email, Phone: p.Phone, Address: p.Address,
			DateOfBirth: p.DateOfBirth, References: []string{c.Reference}})
		personal := slices.ContainsFunc(matched, func(m string) bool { return m == "name" || m == "email" || m == "phone" || m == "address" })
		if !personal && !(refsOnly && slices.Contains(matched, "reference")) {
			continue
		}
		out = append(out, rightsdata.Candidate{RecordID: personRecord(c.ID, p.ID), Kind: string(domain.Kind), Reference: c.Reference,
			Role: string(p.Role), Matched: matched, Summary: fmt.Sprintf("%s case received %s, %s", casework.Readable(c.Area),
				calendar.DateOf(c.ReceivedAt), casework.Readable(c.Status))})
	}
	return out
}
