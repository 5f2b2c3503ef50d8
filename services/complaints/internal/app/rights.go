package app

import (
	"context"
	"errors"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/complaints/internal/domain"
)

// Rights answers the council's rights service for the complainants' data
// (casework.dev/contracts/rights), one use case a file (rights_*.go). A record is a
// complaint, whose one data subject is the complainant.
type Rights struct{ svc *Service }

// NewRights answers for svc's complaints.
func NewRights(svc *Service) *Rights { return &Rights{svc: svc} }

var _ rights.Holder = (*Rights)(nil)

// dataSubject is how the disclosure log names the complainant of a complaint.
func dataSubject(id string) string { return "complainant:" + id }

// Disclosures lists the complaint's disclosure log: every disclosure carried the
// complainant's data.
func (r *Rights) Disclosures(ctx context.Context, id string) ([]rights.Disclosure, error) {
	logged, err := r.svc.repo.LoggedDisclosures(ctx, dataSubject(id))
	out := make([]rights.Disclosure, len(logged))
	for i, d := range logged {
		out[i] = rights.Disclosure(d)
	}
	return out, err
}

// Refusal words a refusal of one complaint as the rights protocol carries it.
func (r *Rights) Refusal(err error) *rights.Refusal {
	return (*rights.Refusal)(rightsdata.Refuse(r.svc.notice, err))
}

// change applies one of the complainant's requests to the complaint with its event; a
// request that finds nothing to change writes nothing.
func (r *Rights) change(ctx context.Context, requestID, id string, apply func(c *domain.Complaint, a domain.Actor) (domain.Event, bool, error)) error {
	who := rightsdata.Actor(requestID)
	_, err := r.svc.repo.Update(ctx, id, func(c *domain.Complaint) (Change, error) {
		a := r.svc.actor(who)
		e, changed, err := apply(c, a)
		switch {
		case err != nil:
			return Change{}, err
		case !changed:
			return Change{}, errNothingToDo
		}
		return Change{Actor: who, At: a.Now, Events: []domain.Event{e}}, nil
	})
	if errors.Is(err, errNothingToDo) {
		return nil
	}
	return err
}
