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
// restriction (rights.Lift), once the person has been told. Only a request whose action
// restricts (a restriction, or an objection while it is considered, Article 18(1)(d))
// and whose restriction every service has answered may be lifted, and only once; the
// request then waits for the services' answers as it did for the restriction. A
// restriction outlives the answer to the request (the person is told within the month
// what was done, Article 12(3); the restriction lasts until it is lifted), so it may be
// lifted whatever the request's status: no restriction is ever left that no one can lift.
func (r *Request) LiftRestriction(in LiftRequest, a Actor) (Event, error) {
	if err := r.allow("lift the restriction of", StatusOpen, StatusClockStopped, StatusCompleted, StatusRefused, StatusLapsed); err != nil {
		return Event{}, err
	}
	switch {
	case !restricting(r.Kind.ActionVerb()):
		return Event{}, &RuleError{Rule: "not_restriction", Detail: "only a restriction (or an objection while it is considered) can be lifted; this " +
			string(r.Kind) + " request restricts nothing"}
	case r.Lift != nil:
		return Event{}, &RuleError{Rule: "already_lifted", Detail: fmt.Sprintf("the restriction was lifted on %s", r.Lift.At.Format(time.DateOnly))}
	case r.Phase != PhaseReady || r.Action == nil || !restricting(r.Action.Verb):
		return Event{}, &RuleError{Rule: "not_restricted", Detail: fmt.Sprintf(
			"a restriction is lifted once every service has applied it; the request is %s (waiting for: %v)", r.Phase, r.Pending())}
	}
	// The person is told before the restriction is lifted (Article 18(3)): by today at the latest.
	if err := within("told_on", in.ToldOn, dayOf(r.ReceivedAt, "the day the request was received"), today(a.Now)); err != nil {
		return Event{}, err
	}
	services := r.restrictedBy()
	if len(services) == 0 {
		// Every record was refused, or an objection only ended direct marketing: a lifting
		// would record, and the person be told of, a restriction that never was.
		return Event{}, &RuleError{Rule: "nothing_restricted", Detail: "no service restricted a record for this request " +
			"(each outcome says what was done): there is nothing to lift"}
	}
	r.Lift = &Lift{ToldOn: in.ToldOn, ToldHow: in.ToldHow, By: a.Officer, At: a.Now}
	r.Action, r.Phase = newFanOut(rights.Lift, services, a.Now), PhaseActioning
	return Event{Type: "request.restriction_lifted", Detail: map[string]any{"services": len(services), "phase": string(r.Phase)}}, nil
}

// RestrictionInForce reports whether a service restricted one of the person's records for
// this request and the restriction has not been lifted (nor is being lifted).
func (r *Request) RestrictionInForce() bool {
	return r.Lift == nil && r.Action != nil && restricting(r.Action.Verb) && len(r.restrictedBy()) > 0
}

// restrictedBy names the services that restricted a record for this request: an objection
// that ended direct marketing restricted nothing.
func (r *Request) restrictedBy() []string {
	var services []string
	for _, o := range r.Outcomes {
		if o.Restricted() && !slices.Contains(services, o.Service) {
			services = append(services, o.Service)
		}
	}
	return services
}
