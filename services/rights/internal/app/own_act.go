package app

import (
	"context"
	"errors"

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

// Rectify corrects one of the requester's details while their request is still being
// answered, so the answer reaches them (UK GDPR Art 16); one answered is the record of what
// was received, and a request's subject or a breach's people are recorded as they were
// received or reported: those are refused on the notice's ground.
func (o *OwnRecordsHolder) Rectify(ctx context.Context, requestID, id, field, value string) error {
	rec, err := parseOwn(id)
	if err != nil {
		return err
	}
	who := rightsdata.Actor(requestID)
	switch {
	case rec.prefix == OwnRequestPrefix && rec.role == roleRequester:
		_, err = o.svc.change(ctx, who, rec.caseID, func(r *domain.Request, a domain.Actor) (Change, error) {
			return changed(r.RectifyRequester(field, value, a))
		})
	case rec.prefix == OwnFOIPrefix:
		_, err = o.svc.changeFOI(ctx, who, rec.caseID, func(f *domain.FOIRequest, a domain.Actor) (Change, error) {
			return changed(f.RectifyRequester(field, value, a))
		})
	default:
		fact, erased, err := o.kept(ctx, requestID, id)
		if err != nil || erased {
			return err
		}
		return &casework.ErasureRefusedError{Ground: groundKeptRecord, Fact: "the record shows the people in it as they were given; " + fact}
	}
	if errors.Is(err, errNothingToDo) {
		return nil
	}
	return err
}

// changed is a change of one event, or nothing to write when nothing changed.
func changed(e domain.Event, did bool, err error) (Change, error) {
	if err == nil && !did {
		return Change{}, errNothingToDo
	}
	return one(e, err)
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
