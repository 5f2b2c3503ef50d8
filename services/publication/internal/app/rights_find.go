package app

import (
	"context"
	"fmt"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/rightsdata"
)

// Find lists the decisions whose offender matches the identifiers: by name (the register
// holds no other contact detail), or the decision's or the prosecuting team's reference.
// Each read is audited on the decision's trail.
func (r *Rights) Find(ctx context.Context, requestID string, ids rights.Identifiers) ([]rights.Candidate, error) {
	w, found, err := rightsdata.Search(ctx, rightsdata.Wanted(ids), r.svc.repo.FindOffenders) // the same fields, by design
	if err != nil || len(found) == 0 {
		return nil, err
	}
	restricted, err := r.svc.repo.Restrictions(ctx, found)
	if err != nil {
		return nil, err
	}
	var out []rights.Candidate
	for _, id := range found {
		d, err := r.svc.repo.Read(ctx, id, rightsdata.Actor(requestID), r.svc.now())
		if err != nil {
			return nil, err
		}
		matched := w.Matched(rightsdata.Person{Names: []string{d.Conviction.Name}, References: []string{d.Reference, d.Source.CaseReference}})
		if !rightsdata.IsCandidate(matched) {
			continue
		}
		_, isRestricted := restricted[id]
		out = append(out, rights.Candidate{RecordID: id, Kind: recordKind, Reference: d.Reference, Role: "offender", Matched: matched,
			Restricted: isRestricted, Summary: fmt.Sprintf("conviction of %s, decision %s", d.Conviction.Date, casework.Readable(d.Status))})
	}
	return out, nil
}
