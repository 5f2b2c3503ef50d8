package domain

import (
	"fmt"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
)

// RequesterWaitMonths is how long a request whose clock is stopped waits for the requester
// (proof of identity, a representative's authority, clarification) before it lapses. UK
// GDPR Article 12A lets the month wait but sets no end to the wait; without one a request
// whose requester never answers would keep their details for ever, against storage
// limitation (Article 5(1)(e)) and the notice's 2 years. Three calendar months, as for an
// FOI/EIR request whose clarification never came (ClarificationWaitMonths): the council's
// choice.
const RequesterWaitMonths = ClarificationWaitMonths

// LapseDay is the London day a request waiting for the requester lapses: RequesterWaitMonths
// after the day it was asked for (the day the clock last stopped), counted as the calendar
// counts months (from 30 November, the last day of February). Zero while the clock runs.
func (r *Request) LapseDay() calendar.Date {
	if !r.Deadline.Stopped() {
		return calendar.Date{}
	}
	return r.askedOn().AddMonths(RequesterWaitMonths)
}

// askedOn is the day the clock last stopped: the day what it waits for was asked for.
func (r *Request) askedOn() calendar.Date {
	return r.Deadline.Stops[len(r.Deadline.Stops)-1].StoppedOn
}

// Lapse closes a request whose clock has waited for the requester RequesterWaitMonths
// without what was asked for arriving; the retention sweep does it (LapseDue) from that
// day. Its retention runs from the day it lapsed (LapseDay), however late the sweep ran,
// so the requester's details are kept no longer than the notice's period. What never came
// stays recorded (Awaiting). A request whose clock runs never lapses, nor one the services
// are acting on (their answers, and the Article 19 notices they call for, must still be
// recorded): it lapses once they have answered. A lifting under way goes on after the
// lapse, as it does after an answer.
func (r *Request) Lapse(retentionYears int, a Actor) (Event, error) {
	if err := r.allow("close as lapsed", StatusClockStopped); err != nil {
		return Event{}, err
	}
	on := r.LapseDay()
	if calendar.DateOf(a.Now).Before(on) {
		return Event{}, &RuleError{Rule: "requester_awaited", Detail: fmt.Sprintf(
			"%s was asked for on %s: the request lapses on %s, %d months on, if it has not come by then",
			awaitingWords[r.Awaiting], r.askedOn(), on, RequesterWaitMonths)}
	}
	if r.Phase == PhaseActioning && r.Action != nil && r.Action.Verb != rights.Lift {
		return Event{}, &RuleError{Rule: "services_acting", Detail: fmt.Sprintf(
			"the services are still acting on the request (%s, waiting for: %v): it lapses once they have answered", r.Action.Verb, r.Pending())}
	}
	r.Status = StatusLapsed
	r.Closed = &Closure{At: a.Now, By: a.Officer, Outcome: StatusLapsed, OnTime: !r.Deadline.IsOverdue(a.Now)}
	r.RetentionDue = a.Cal.AddYears(on.StartOfDay(), retentionYears).DueDate
	return Event{Type: "request.lapsed", Detail: map[string]any{"awaited": string(r.Awaiting), "asked_on": r.askedOn().String(),
		"lapsed_on": on.String(), "retention_due": r.RetentionDue.String()}}, nil
}

// LapseDue is Lapse for the retention sweep: false when the request is not (or no longer)
// waiting for the requester, not for long enough, or the services are acting on it.
func (r *Request) LapseDue(retentionYears int, a Actor) (Event, bool) {
	e, err := r.Lapse(retentionYears, a)
	return e, err == nil
}

// lapsedError refuses what arrives from the requester once the request lapsed: the request
// is closed, and what arrived starts a new one.
func (r *Request) lapsedError() error {
	return &RuleError{Rule: "request_lapsed", Detail: fmt.Sprintf(
		"the request lapsed on %s: %s was asked for on %s and had not come %d months on, so the request is closed; "+
			"what arrives now is a new request", r.LapseDay(), awaitingWords[r.Awaiting], r.askedOn(), RequesterWaitMonths)}
}
