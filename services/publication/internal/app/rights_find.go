package app

import (
	"context"
	"fmt"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/publication/internal/domain"
)

// Find lists the decisions whose offender matches the identifiers: by name (the register
// holds no other contact detail), or the decision's or the prosecuting team's reference.
// Each read is audited on the decision's trail.
func (r *Rights) Find(ctx context.Context, requestID string, ids rights.Identifiers) ([]rights.Candidate, error) {
	return rightsdata.Find(ctx, rightsdata.Wanted(ids), rightsdata.Finder[*domain.Decision, rights.Candidate]{ // the same fields, by design
		Search: r.svc.repo.FindOffenders,
		Read: func(ctx context.Context, id string) (*domain.Decision, error) {
			return r.svc.repo.Read(ctx, id, rightsdata.Actor(requestID), r.svc.now())
		},
		Match:        matchOffender,
		Restrictions: r.svc.repo.Restrictions,
		As:           func(c rightsdata.Candidate) rights.Candidate { return rights.Candidate(c) },
	})
}

// matchOffender is the decision as a candidate when its offender matches w.
func matchOffender(w rightsdata.Wanted, d *domain.Decision) []rightsdata.Candidate {
	matched := w.Matched(rightsdata.Person{Names: []string{d.Conviction.Name}, References: []string{d.Reference, d.Source.CaseReference}})
	if !rightsdata.IsCandidate(matched) {
		return nil
	}
	return []rightsdata.Candidate{{RecordID: d.ID, Kind: recordKind, Reference: d.Reference, Role: "offender", Matched: matched,
		Summary: fmt.Sprintf("conviction of %s, decision %s", d.Conviction.Date, casework.Readable(d.Status))}}
}
