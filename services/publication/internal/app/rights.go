package app

import (
	"context"
	"errors"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/publication/internal/domain"
)

// Rights answers the council's rights service for the offenders in publication decisions
// (casework.dev/contracts/rights), one use case a file (rights_*.go). A record is a
// decision, whose one data subject is the offender.
type Rights struct{ svc *Service }

// NewRights answers for svc's decisions.
func NewRights(svc *Service) *Rights { return &Rights{svc: svc} }

var _ rights.Holder = (*Rights)(nil)

// recordKind is what the rights service calls a decision: "decision" alone would not say
// about what.
const recordKind = "publication_decision"

// dataSubject is how the disclosure log names the offender of a decision.
func dataSubject(id string) string { return "offender:" + id }

// Disclosures lists the decision's disclosure log (the register, the press release): every
// disclosure carried the offender's data.
func (r *Rights) Disclosures(ctx context.Context, id string) ([]rights.Disclosure, error) {
	logged, err := r.svc.repo.LoggedDisclosures(ctx, dataSubject(id))
	out := make([]rights.Disclosure, len(logged))
	for i, d := range logged {
		out[i] = rights.Disclosure(d)
		out[i].InPlace = d.Recipient == RegisterRecipient // the register shows the entry as it is now
	}
	return out, err
}

// Refusal words a refusal of one decision as the rights protocol carries it.
func (r *Rights) Refusal(err error) *rights.Refusal {
	return (*rights.Refusal)(rightsdata.Refuse(r.svc.notice, err))
}

// change applies one of the offender's requests to the decision with its event; a request
// that finds nothing to change writes nothing.
func (r *Rights) change(ctx context.Context, requestID, id string, apply func(d *domain.Decision, a domain.Actor) (domain.Event, bool, error)) error {
	_, err := r.svc.change(ctx, rightsdata.Actor(requestID), id, func(d *domain.Decision, a domain.Actor) (Change, error) {
		e, changed, err := apply(d, a)
		switch {
		case err != nil:
			return Change{}, err
		case !changed:
			return Change{}, errNothingToDo
		}
		return Change{Event: e}, nil
	})
	if errors.Is(err, errNothingToDo) {
		return nil
	}
	return err
}
