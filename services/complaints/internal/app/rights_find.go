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
	w, found, err := rightsdata.Search(ctx, rightsdata.Wanted(ids), r.svc.repo.FindComplainants) // the same fields, by design
	if err != nil || len(found) == 0 {
		return nil, err
	}
	restricted, err := r.svc.repo.Restrictions(ctx, found)
	if err != nil {
		return nil, err
	}
	var out []rights.Candidate
	for _, id := range found {
		c, err := r.svc.repo.Read(ctx, id, rightsdata.Actor(requestID), r.svc.now(), true)
		if err != nil {
			return nil, err
		}
		p := c.Complainant
		matched := w.Matched(rightsdata.Person{Names: []string{p.Name}, Email: p.Email, Phone: p.Phone, Address: p.Address,
			References: []string{c.Reference}})
		if !rightsdata.IsCandidate(matched) {
			continue
		}
		_, isRestricted := restricted[id]
		out = append(out, rights.Candidate{RecordID: id, Kind: string(domain.Kind), Reference: c.Reference, Role: "complainant",
			Matched: matched, Restricted: isRestricted, Summary: fmt.Sprintf("complaint about %s received %s, %s", c.Service,
				calendar.DateOf(c.ReceivedAt), casework.Readable(c.Status))})
	}
	return out, nil
}
