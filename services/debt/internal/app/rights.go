package app

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/debt/internal/domain"
)

// Rights answers the council's rights service for the debtors' data
// (casework.dev/contracts/rights), one use case a file (rights_*.go). A record is one
// debtor of one case: the case id, with "/debtor-N" (N from 1) when the case names more
// than one jointly liable debtor, as each is a data subject of their own.
type Rights struct{ svc *Service }

// NewRights answers for svc's cases.
func NewRights(svc *Service) *Rights { return &Rights{svc: svc} }

var (
	_ rights.Holder   = (*Rights)(nil)
	_ rights.Objector = (*Rights)(nil)
)

// recordKind is what the rights service calls a debtor's record: "case" alone would not
// say whose.
const recordKind = "debt_case"

// debtorRecord is one debtor of one case as the rights service names it; n is the debtor's
// position in the case's names, -1 for a joint case named as a whole (no one debtor).
type debtorRecord struct {
	id     string
	caseID string
	n      int
}

// maxJointDebtors is how many debtors one case may name.
const maxJointDebtors = 4

func recordOf(c *domain.Case, n int) debtorRecord {
	if len(c.Debtor.Names) <= 1 {
		return debtorRecord{id: c.ID, caseID: c.ID, n: n}
	}
	return debtorRecord{id: c.ID + "/debtor-" + strconv.Itoa(n+1), caseID: c.ID, n: n}
}

func parseRecord(id string) (debtorRecord, error) {
	caseID, position, joint := strings.Cut(id, "/debtor-")
	if !joint {
		return debtorRecord{id: id, caseID: id}, nil
	}
	n, err := strconv.Atoi(position)
	if err != nil || n < 1 || n > maxJointDebtors {
		return debtorRecord{}, domain.ErrNotFound
	}
	return debtorRecord{id: id, caseID: caseID, n: n - 1}, nil
}

// load reads the case a record names; a debtor the case does not name is not found.
func (r *Rights) load(ctx context.Context, id string) (debtorRecord, *domain.Case, error) {
	rec, err := parseRecord(id)
	if err != nil {
		return rec, nil, err
	}
	c, err := r.svc.repo.Read(ctx, rec.caseID)
	if err != nil {
		return rec, nil, err
	}
	switch {
	case len(c.Debtor.Names) > 1 && rec.id == c.ID:
		rec.n = -1
	case rec.n >= len(c.Debtor.Names) && !c.Erased():
		return rec, nil, domain.ErrNotFound
	}
	return rec, c, nil
}

// dataSubject is how the disclosure log names whose data a disclosure carried: a case's
// debtors (by the case id), or one joint debtor alone (by their record id).
func dataSubject(id string) string { return "debtor:" + id }

// debtorsSubject is how the disclosure log names the debtors (positions from 1, in order)
// whose data a disclosure carried: the case's debtors when they are every debtor the case
// still names, one joint debtor by their record id, several by theirs together
// ("debtor:<case id>/debtor-1+3").
func debtorsSubject(c *domain.Case, debtors []int) string {
	var named []int
	for n, name := range c.Debtor.Names {
		if name != "" {
			named = append(named, n+1)
		}
	}
	if slices.Equal(debtors, named) {
		return dataSubject(c.ID)
	}
	return jointSubject(c.ID, debtors)
}

func jointSubject(caseID string, debtors []int) string {
	words := make([]string, len(debtors))
	for i, d := range debtors {
		words[i] = strconv.Itoa(d)
	}
	return dataSubject(caseID + "/debtor-" + strings.Join(words, "+"))
}

// SubjectsCarrying are the names the disclosure log may give disclosures that carried joint
// debtor debtor's data (a position from 1): the case's debtors', their own, and every set of
// debtors they are one of (debtorsSubject).
func SubjectsCarrying(caseID string, debtor int) []string {
	out := []string{dataSubject(caseID)}
	for set := 1; set < 1<<maxJointDebtors; set++ {
		if set&(1<<(debtor-1)) == 0 {
			continue
		}
		var debtors []int
		for d := 1; d <= maxJointDebtors; d++ {
			if set&(1<<(d-1)) != 0 {
				debtors = append(debtors, d)
			}
		}
		out = append(out, jointSubject(caseID, debtors))
	}
	return out
}

// Disclosures lists the disclosures that carried the debtor's data: those of the case's
// debtors, and a joint debtor's own (a referral to the welfare team about them, or one on
// their consent, alone or with other debtors'), never another joint debtor's.
func (r *Rights) Disclosures(ctx context.Context, id string) ([]rights.Disclosure, error) {
	rec, err := parseRecord(id)
	if err != nil {
		return nil, nil
	}
	subjects := []string{dataSubject(rec.caseID)}
	if rec.id != rec.caseID {
		subjects = SubjectsCarrying(rec.caseID, rec.n+1)
	}
	logged, err := r.svc.repo.LoggedDisclosuresOf(ctx, subjects)
	if err != nil {
		return nil, err
	}
	out := make([]rights.Disclosure, len(logged))
	for i, d := range logged {
		out[i] = rights.Disclosure(d)
	}
	return out, nil
}

// Refusal words a refusal of one debtor's record as the rights protocol carries it.
func (r *Rights) Refusal(err error) *rights.Refusal {
	return (*rights.Refusal)(rightsdata.Refuse(r.svc.notice, err))
}

// change applies one of a debtor's requests to their case with its event; a request that
// finds nothing to change writes nothing.
func (r *Rights) change(ctx context.Context, requestID, id string, apply func(c *domain.Case, rec debtorRecord, a domain.Actor) (domain.Event, bool, error)) error {
	rec, _, err := r.load(ctx, id)
	if err != nil {
		return err
	}
	who := rightsdata.Actor(requestID)
	_, err = r.svc.repo.Update(ctx, rec.caseID, func(c *domain.Case) (Change, error) {
		a := r.svc.actor(who)
		e, changed, err := apply(c, rec, a)
		switch {
		case err != nil:
			return Change{}, err
		case !changed:
			return Change{}, errNothingToDo
		}
		return Change{Actor: who, At: a.Now, Event: e}, nil
	})
	if errors.Is(err, errNothingToDo) {
		return nil
	}
	return err
}
