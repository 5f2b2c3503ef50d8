package domain

import (
	"fmt"
	"time"

	"casework.dev/pkg/calendar"
)

// StopClock stops the month while the council waits for the requester: proof of identity
// or a representative's authority (the month then runs again from the day it arrives), or
// clarification of what the request is about (the days from asking to the answer arriving
// do not count). UK GDPR Art 12A; see calendar.StopPause and calendar.StopRestart.
func (r *Request) StopClock(awaiting Awaiting, a Actor) (Event, error) {
	if _, ok := awaitingWords[awaiting]; !ok {
		return Event{}, &ValidationError{Field: "awaiting", Detail: fmt.Sprintf("unknown %q: identity, authority or clarification", awaiting)}
	}
	if err := r.allow("stop the clock of", StatusOpen); err != nil {
		return Event{}, err
	}
	switch {
	case awaiting == AwaitingClarification && r.Kind != KindAccess:
		return Event{}, &RuleError{Rule: "clarification_for_access_only", Detail: fmt.Sprintf(
			"the month pauses for clarification only of a subject access request (UK GDPR Article 12A), not of a %s request", r.Kind)}
	case r.Deadline.IsOverdue(a.Now):
		return Event{}, &RuleError{Rule: "deadline_passed", Detail: fmt.Sprintf(
			"the month ended on %s: what the council needs from the person is asked for within it, and the clock cannot stop once it has run out", r.Deadline.DueDate)}
	case awaiting == AwaitingIdentity && r.Identity.Verified:
		return Event{}, &RuleError{Rule: "identity_verified", Detail: "the person's identity is already verified"}
	case awaiting == AwaitingAuthority && (r.Representative == nil || r.Representative.Authority != ""):
		return Event{}, &RuleError{Rule: "no_authority_awaited", Detail: "no representative's authority is awaited on this request"}
	}
	if err := r.stop(awaiting, a.Now, a); err != nil {
		return Event{}, err
	}
	return Event{Type: "request.clock_stopped", Detail: map[string]any{"awaiting": string(awaiting)}}, nil
}

func (r *Request) stop(awaiting Awaiting, at time.Time, a Actor) error {
	kind := calendar.StopRestart
	if awaiting == AwaitingClarification {
		kind = calendar.StopPause
	}
	d, err := a.Cal.StopClock(r.Deadline, at, kind, awaitingWords[awaiting])
	if err != nil {
		return err
	}
	r.Deadline, r.Status, r.Awaiting = d, StatusClockStopped, awaiting
	return nil
}

// Restart is what arrived to restart the clock.
type Restart struct {
	ReceivedAt time.Time
	// IdentityMethod is how identity was checked: only while proof of identity is awaited.
	IdentityMethod string
	// Authority describes the representative's form of authority: only while it is
	// awaited, alone or with the proof of identity.
	Authority string
}

// RestartClock records that what the council waited for arrived at in.ReceivedAt, and
// counts the deadline again from there. It must arrive before the day the request lapses
// (LapseDay): what arrives from then on, or once the sweep closed the request as lapsed,
// is refused (rule request_lapsed).
func (r *Request) RestartClock(in Restart, a Actor) (Event, error) {
	if r.Status == StatusLapsed && !r.Erased() {
		return Event{}, r.lapsedError()
	}
	if err := r.allow("restart the clock of", StatusClockStopped); err != nil {
		return Event{}, err
	}
	if err := arrivedSinceStop("received_at", in.ReceivedAt, r.Deadline, a.Now); err != nil {
		return Event{}, err
	}
	if !calendar.DateOf(in.ReceivedAt).Before(r.LapseDay()) {
		// It came too late, though the sweep has not closed the request yet.
		return Event{}, r.lapsedError()
	}
	switch {
	case r.Awaiting == AwaitingIdentity && trimmed(in.IdentityMethod) == "":
		return Event{}, &ValidationError{Field: "identity_method", Detail: "say how the identity was checked (the documents seen)"}
	case r.Awaiting == AwaitingAuthority && trimmed(in.Authority) == "":
		return Event{}, &ValidationError{Field: "authority", Detail: "describe the representative's form of authority"}
	}
	// What arrived is recorded where the request awaits it, and refused where it does not,
	// never dropped: an authority sent with the proof of identity is the representative's
	// when theirs is awaited too (Received stops for identity first).
	switch {
	case in.IdentityMethod != "" && r.Identity.Verified:
		return Event{}, &RuleError{Rule: "identity_verified", Detail: "the person's identity is already verified: leave identity_method out"}
	case in.Authority != "" && r.Representative == nil:
		return Event{}, &RuleError{Rule: "no_authority_awaited", Detail: "the person asks for themselves: no representative's authority is awaited on this request; leave authority out"}
	case in.Authority != "" && r.Representative.Authority != "":
		return Event{}, &RuleError{Rule: "no_authority_awaited", Detail: "the representative's authority to act was already recorded: leave authority out"}
	case in.Authority != "" && blank(in.Authority):
		return Event{}, &ValidationError{Field: "authority", Detail: "is blank: describe the form of authority seen, or leave it out while it is awaited"}
	}
	d, err := a.Cal.RestartClock(r.Deadline, in.ReceivedAt)
	if err != nil {
		return Event{}, calendarRefusal("received_at", err)
	}
	awaited := r.Awaiting
	if in.IdentityMethod != "" {
		at := a.Now
		r.Identity = Identity{Verified: true, Method: in.IdentityMethod, VerifiedAt: &at, VerifiedBy: a.Officer}
	}
	if in.Authority != "" {
		r.Representative.Authority = in.Authority
	}
	r.Deadline, r.Status, r.Awaiting = d, StatusOpen, ""
	if r.Representative != nil && r.Representative.Authority == "" && awaited == AwaitingIdentity {
		// Both were awaited and only the identity came: the month waits for the authority
		// too (Art 12A: the latest of them).
		if err := r.stop(AwaitingAuthority, in.ReceivedAt, a); err != nil {
			return Event{}, err
		}
	}
	return Event{Type: "request.clock_restarted", Detail: map[string]any{"awaited": string(awaited),
		"due_date": r.Deadline.DueDate.String(), "status": string(r.Status)}}, nil
}

// ExtendRequest is the DPO's extension of the month.
type ExtendRequest struct {
	Months  int
	Reason  string
	ToldOn  calendar.Date
	ToldHow string
}

// MaxExtensionMonths is UK GDPR Art 12A's "by two further months".
const MaxExtensionMonths = 2

// Extend extends the month by up to two further months for a complex request or a number
// of requests, counted from the start like the first month (ICO: "three months from the
// original start date"). The person must be told, with the reason, within the first month
// (Art 12A; DPA 2018 s54(3B) in the same words), so the extension is made while the month
// runs and the clock is not stopped, and ToldOn is no later than today nor before receipt.
func (r *Request) Extend(in ExtendRequest, a Actor) (Event, error) {
	if err := r.allow("extend", StatusOpen); err != nil {
		return Event{}, err
	}
	switch {
	case r.Extension != nil:
		return Event{}, &RuleError{Rule: "already_extended", Detail: fmt.Sprintf("the deadline was already extended by %d month(s) on %s", r.Extension.Months, r.Extension.At.Format(time.DateOnly))}
	case in.Months < 1 || in.Months > MaxExtensionMonths:
		return Event{}, &ValidationError{Field: "months", Detail: "must be 1 or 2: the month may be extended by up to two further months"}
	case trimmed(in.Reason) == "":
		return Event{}, &ValidationError{Field: "reason", Detail: "say why the request is complex or numerous"}
	}
	if err := within("told_on", in.ToldOn, dayOf(r.ReceivedAt, "the day the request was received"), today(a.Now)); err != nil {
		return Event{}, err
	}
	if r.Deadline.IsOverdue(a.Now) {
		return Event{}, &RuleError{Rule: "deadline_passed", Detail: fmt.Sprintf(
			"the month ended on %s: the person must be told of an extension within it (UK GDPR Article 12A)", r.Deadline.DueDate)}
	}
	d, err := a.Cal.Extend(r.Deadline, in.Months, "")
	if err != nil {
		return Event{}, calendarRefusal("months", err)
	}
	r.Deadline = d
	r.Extension = &Extension{Months: in.Months, Reason: in.Reason, ToldOn: in.ToldOn, ToldHow: in.ToldHow, By: a.Officer, At: a.Now}
	return Event{Type: "request.extended", Detail: map[string]any{"months": in.Months, "due_date": d.DueDate.String()}}, nil
}
