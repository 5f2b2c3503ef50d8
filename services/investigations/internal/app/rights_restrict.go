package app

import (
	"context"

	"casework.dev/pkg/rightsdata"
)

// Restrict stops every referral of the person's case until lifted (UK GDPR Art 18), and its
// conviction's publication; a person restricted already stays as they are.
func (r *Rights) Restrict(ctx context.Context, requestID, recordID string) error {
	c, _, err := r.person(ctx, recordID)
	if err != nil {
		return err
	}
	_, err = r.svc.repo.Restrict(ctx, rightsdata.Restriction{RecordID: recordID, CaseID: c.ID, RequestID: requestID, Since: r.svc.Now()},
		rightsCaller(requestID).Officer)
	return err
}

// Lift lifts the person's restriction (Art 18(3)); one not restricted stays as it is. The
// conviction's publication disclosure the restriction withheld then goes, right after the
// lift: also when this lift found the person lifted already (a redelivered request), so a
// release the first attempt did not finish is made, and one it made is not made again.
func (r *Rights) Lift(ctx context.Context, requestID, recordID string) error {
	c, _, err := r.person(ctx, recordID)
	if err != nil {
		return err
	}
	if _, err = r.svc.repo.Lift(ctx, c.ID, recordID, rightsCaller(requestID).Officer, r.svc.Now()); err != nil {
		return err
	}
	return r.svc.ReleasePublication(ctx, rightsCaller(requestID), c.ID)
}
