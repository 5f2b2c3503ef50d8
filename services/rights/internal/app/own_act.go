package app

import (
	"context"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/rights/internal/domain"
)

// groundKeptRecord is the notice's reason for keeping the record of how a request was
// answered for its period (erasure_may_be_refused_for).
const groundKeptRecord = "legal_obligation"

// Erase refuses: the notice keeps the record of how a request was answered for its period
// from the answer, and retention erases it then, as it does every request. One erased
// already is done.
func (o *OwnRecordsHolder) Erase(ctx context.Context, requestID, id string) error {
	fact, erased, err := o.kept(ctx, requestID, id)
	if err != nil || erased {
		return err
	}
	return &casework.ErasureRefusedError{Ground: groundKeptRecord, Fact: fact}
}

// Rectify refuses: a request's record shows what it was given when it was received, which
// was accurate then; the officer handling an open request corrects the details it replies to.
func (o *OwnRecordsHolder) Rectify(ctx context.Context, requestID, id, _, _ string) error {
	fact, erased, err := o.kept(ctx, requestID, id)
	if err != nil {
		return err
	}
	if erased {
		switch rec, _ := parseOwn(id); rec.prefix {
		case OwnFOIPrefix:
			return domain.ErrFOIErased
		case OwnBreachPrefix:
			return domain.ErrBreachErased
		}
		return domain.ErrErased
	}
	return &casework.ErasureRefusedError{Ground: groundKeptRecord,
		Fact: "the record shows the request as it was received; " + fact}
}

// Restrict places the record in the restriction register (UK GDPR Art 18): the person's
// data in it is kept, and used for nothing else, until lifted. Restricted already stays so.
func (o *OwnRecordsHolder) Restrict(ctx context.Context, requestID, id string) error {
	rec, err := parseOwn(id)
	if err != nil {
		return err
	}
	_, err = o.svc.own.Restrict(ctx, rightsdata.Restriction{RecordID: rec.id, CaseID: rec.caseID, RequestID: requestID, Since: o.svc.now()},
		rightsdata.Actor(requestID))
	return err
}

// Lift lifts the record's restriction (Art 18(3)); one not restricted stays as it is.
func (o *OwnRecordsHolder) Lift(ctx context.Context, requestID, id string) error {
	rec, err := parseOwn(id)
	if err != nil {
		return err
	}
	_, err = o.svc.own.Lift(ctx, rec.caseID, rec.id, rightsdata.Actor(requestID), o.svc.now())
	return err
}

// kept says how long the record is kept (the fact of a refusal), or that it is erased.
func (o *OwnRecordsHolder) kept(ctx context.Context, requestID, id string) (fact string, erased bool, err error) {
	rec, err := parseOwn(id)
	if err != nil {
		return "", false, err
	}
	var (
		due      calendar.Date
		isErased bool
	)
	reader := rightsdata.Actor(requestID)
	switch rec.prefix {
	case OwnFOIPrefix:
		f, err := o.svc.foi.Read(ctx, rec.caseID, reader, o.svc.now())
		if err != nil {
			return "", false, err
		}
		due, isErased = f.RetentionDue, f.ErasedAt != nil
	case OwnBreachPrefix:
		b, err := o.svc.breaches.Read(ctx, rec.caseID, reader, o.svc.now())
		if err != nil {
			return "", false, err
		}
		if b.ErasedAt != nil {
			return "", true, nil
		}
		if b.ClosedAt == nil {
			return "the breach is still being handled", false, nil
		}
		return "kept until a data protection officer reviews them on " + b.ReviewDue.String(), false, nil
	default:
		r, err := o.svc.requests.Read(ctx, rec.caseID, reader, o.svc.now())
		if err != nil {
			return "", false, err
		}
		due, isErased = r.RetentionDue, r.Erased()
	}
	switch {
	case isErased:
		return "", true, nil
	case due.IsZero():
		return "the request is still being answered", false, nil
	}
	return "kept until " + due.String() + ", then erased", false, nil
}
