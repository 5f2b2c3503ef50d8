package domain

import (
	"fmt"
	"slices"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
)

// Lift is the lifting of a restriction the services applied. UK GDPR Article 18(3): the
// person who obtained the restriction is told before it is lifted, so the day they were
// told is recorded and may not be after the lifting.
type Lift struct {
	ToldOn  calendar.Date
	ToldHow string // letter, email, phone
	By      string
	At      time.Time
}

// LiftRequest is what the DPO gives to lift a restriction.
type LiftRequest struct {
	ToldOn  calendar.Date
	ToldHow string
}

// LiftRestriction asks every service that restricted the person's records to lift the
// restriction (rights.Lift), once the person has been told. Only a restriction request
// whose restriction every service has answered may be lifted, and only once; the request
// then waits for the services' answers as it did for the restriction.
func (r *Request) LiftRestriction(in LiftRequest, a Actor) (Event, error) {
	if err := r.allow("lift the restriction of", StatusOpen); err != nil {
		return Event{}, err
	}
	switch {
	case r.Kind != KindRestriction:
		return Event{}, &RuleError{Rule: "not_restriction", Detail: "only a restriction request can be lifted; this " + string(r.Kind) + " request restricts nothing"}
	case r.Lift != nil:
		return Event{}, &RuleError{Rule: "already_lifted", Detail: fmt.Sprintf("the restriction was lifted on %s", r.Lift.At.Format(time.DateOnly))}
	case r.Phase != PhaseReady || r.Action == nil || r.Action.Verb != rights.Restrict:
		return Event{}, &RuleError{Rule: "not_restricted", Detail: fmt.Sprintf(
			"a restriction is lifted once every service has applied it; the request is %s (waiting for: %v)", r.Phase, r.Pending())}
	case !in.ToldOn.IsValid() || in.ToldOn.After(calendar.DateOf(a.Now)):
		return Event{}, &ValidationError{Field: "told_on", Detail: "the day the person was told, not after today: they are told before the restriction is lifted (UK GDPR Article 18(3))"}
	case in.ToldOn.Before(calendar.DateOf(r.ReceivedAt)):
		return Event{}, &ValidationError{Field: "told_on", Detail: "the person cannot have been told before the request was received"}
	}
	var services []string
	for _, o := range r.Outcomes {
		if o.Verb == rights.Restrict && o.Done && !slices.Contains(services, o.Service) {
			services = append(services, o.Service)
		}
	}
	r.Lift = &Lift{ToldOn: in.ToldOn, ToldHow: in.ToldHow, By: a.Officer, At: a.Now}
	if len(services) == 0 {
		return Event{Type: "request.restriction_lifted", Detail: map[string]any{"services": 0, "phase": string(r.Phase)}}, nil
	}
	r.Action, r.Phase = newFanOut(rights.Lift, services, a.Now), PhaseActioning
	return Event{Type: "request.restriction_lifted", Detail: map[string]any{"services": len(services), "phase": string(r.Phase)}}, nil
}
