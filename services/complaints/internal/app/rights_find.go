package app

import (
	"context"
	"fmt"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/complaints/internal/domain"
)

// Find lists the complaints whose complainant matches the identifiers: name, e-mail, phone,
// address or the complaint's reference. Each read is audited on the complaint's trail.
func (r *Rights) Find(ctx context.Context, requestID string, ids rights.Identifiers) ([]rights.Candidate, error) {
	return rightsdata.Find(ctx, rightsdata.Wanted(ids), rightsdata.Finder[*domain.Complaint, rights.Candidate]{ // the same fields, by design
		Search: r.svc.repo.FindComplainants,
		Read: func(ctx context.Context, id string) (*domain.Complaint, error) {
			return r.svc.repo.Read(ctx, id, rightsdata.Actor(requestID), r.svc.now(), true)
		},
		Match:        matchComplainant,
		Restrictions: r.svc.repo.Restrictions,
		As:           func(c rightsdata.Candidate) rights.Candidate { return rights.Candidate(c) },
	})
}

// matchComplainant is the complaint as a candidate when its complainant matches w.
func matchComplainant(w rightsdata.Wanted, c *domain.Complaint) []rightsdata.Candidate {
	p := c.Complainant
	matched := w.Matched(rightsdata.Person{Names: []string{p.Name}, Email: p.Email, Phone: p.Phone, Address: p.Address,
		References: []string{c.Reference}})
	if !rightsdata.IsCandidate(matched) {
		return nil
	}
	return []rightsdata.Candidate{{RecordID: c.ID, Kind: string(domain.Kind), Reference: c.Reference, Role: "complainant",
		Matched: matched, Summary: fmt.Sprintf("complaint about %s received %s, %s", c.Service,
			calendar.DateOf(c.ReceivedAt), casework.Readable(c.Status))}}
}
