package app

import (
	"context"

	"casework.dev/pkg/rightsdata"
)

// Restrict takes the decision's entry off the register and stops its publication and press
// release until lifted (UK GDPR Art 18); a decision restricted already stays as it is.
func (r *Rights) Restrict(ctx context.Context, requestID, id string) error {
	_, err := r.svc.repo.Restrict(ctx, rightsdata.Restriction{RecordID: id, CaseID: id, RequestID: requestID, Since: r.svc.now()},
		rightsdata.Actor(requestID))
	return err
}

// Lift lifts the decision's restriction (Art 18(3)); one not restricted stays as it is.
func (r *Rights) Lift(ctx context.Context, requestID, id string) error {
	_, err := r.svc.repo.Lift(ctx, id, id, rightsdata.Actor(requestID), r.svc.now())
	return err
}
