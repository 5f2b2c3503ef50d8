package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/investigations/internal/domain"
)

// Rights answers the council's rights service for the people in investigations
// (casework.dev/contracts/rights), one use case a file (rights_*.go). A record is one
// person in one case, "<case id>/<person id>": a witness's request concerns their own entry
// and what they supplied, never the other people's.
type Rights struct{ svc *Service }

// NewRights answers for svc's cases.
func NewRights(svc *Service) *Rights { return &Rights{svc: svc} }

var _ rights.Holder = (*Rights)(nil)

// rightsCaller is who a rights request acts as: the DPO's request reaches need-to-know
// cases too, and every read and change is recorded under it.
func rightsCaller(requestID string) domain.Caller {
	return domain.Caller{Officer: rightsdata.Actor(requestID), Manager: true}
}

func personRecord(caseID, personID string) string { return caseID + "/" + personID }

// auditRead records on the case's trail that a rights request read its personal data.
func (r *Rights) auditRead(ctx context.Context, requestID, caseID string) error {
	return r.svc.repo.Audit(ctx, auditRead(rightsCaller(requestID), caseID, r.svc.Now()))
}

// person reads the case a record names and the person in it.
func (r *Rights) person(ctx context.Context, recordID string) (*domain.Investigation, domain.Person, error) {
	caseID, personID, ok := strings.Cut(recordID, "/")
	if !ok {
		return nil, domain.Person{}, domain.ErrNotFound
	}
	c, err := r.svc.repo.Load(ctx, caseID)
	if err != nil {
		return nil, domain.Person{}, err
	}
	p := c.Person(personID)
	if p == nil {
		return nil, domain.Person{}, domain.ErrNotFound
	}
	return c, *p, nil
}

// Disclosures lists the case's disclosures that carried data about the person: those that
// recorded the people they carried name them; for one made before that was recorded, the
// notice says whom its recipient may hear about with the categories it received.
func (r *Rights) Disclosures(ctx context.Context, recordID string) ([]rights.Disclosure, error) {
	c, p, err := r.person(ctx, recordID)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	logged, err := r.svc.repo.LoggedDisclosures(ctx, "investigation:"+c.ID) // the log names the case as its data subject
	if err != nil {
		return nil, err
	}
	carried, err := r.svc.repo.CarriedPeople(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	var out []rights.Disclosure
	for _, d := range logged {
		people, recorded := carried[d.DisclosureID]
		if recorded && slices.Contains(people, p.ID) ||
			!recorded && slices.Contains(r.svc.notice.PeopleFor(d.Recipient, d.Categories), string(p.Role)) {
			out = append(out, rights.Disclosure(d))
		}
	}
	return out, nil
}

// Refusal words a refusal of one person's record as the rights protocol carries it.
func (r *Rights) Refusal(err error) *rights.Refusal {
	return (*rights.Refusal)(rightsdata.Refuse(r.svc.notice, err))
}

// change applies one of a person's requests to their case with its event; a request that
// finds nothing to change writes nothing. purge, for an erasure, also deletes the case's
// share messages still in the outbox, as the retention sweep does: a disclosure made before
// may carry what was just erased.
func (r *Rights) change(ctx context.Context, requestID, recordID, attempt string, purge bool, apply func(c *domain.Investigation, personID string, now time.Time) (domain.Event, bool, error)) error {
	caseID, personID, ok := strings.Cut(recordID, "/")
	if !ok {
		return domain.ErrNotFound
	}
	_, err := r.svc.change(ctx, rightsCaller(requestID), caseID, attempt, func(c *domain.Investigation, now time.Time) (Change, error) {
		e, changed, err := apply(c, personID, now)
		switch {
		case err != nil:
			return Change{}, err
		case !changed:
			return Change{}, errNothingToDo
		}
		ch := Change{Events: []domain.Event{e}, PurgeShares: purge}
		if purge && !c.Erased() {
			ch.PurgeOf = personID // one person's erasure; the case file's own takes every message
		}
		return ch, nil
	})
	if errors.Is(err, errNothingToDo) {
		return nil
	}
	return err
}
