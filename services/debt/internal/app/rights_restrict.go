package app

import (
	"context"

	"casework.dev/pkg/rightsdata"
)

// Restrict stops every disclosure of the debtor's case until lifted (UK GDPR Art 18); a
// debtor restricted already stays as they are.
func (r *Rights) Restrict(ctx context.Context, requestID, id string) error {
	rec, _, err := r.load(ctx, id)
	if err != nil {
		return err
	}
	_, err = r.svc.repo.Restrict(ctx, rightsdata.Restriction{RecordID: rec.id, CaseID: rec.caseID, RequestID: requestID, Since: r.svc.Now()},
		rightsdata.Actor(requestID))
	return err
}

// Lift lifts the debtor's restriction (Art 18(3)); one not restricted stays as it is.
func (r *Rights) Lift(ctx context.Context, requestID, id string) error {
	rec, _, err := r.load(ctx, id)
	if err != nil {
		return err
	}
	_, err = r.svc.repo.Lift(ctx, rec.caseID, rec.id, rightsdata.Actor(requestID), r.svc.Now())
	return err
}
