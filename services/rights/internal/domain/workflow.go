package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
)

// allow refuses an action unless the request is in one of statuses.
func (r *Request) allow(action string, statuses ...Status) error {
	if r.Erased() {
		return ErrErased
	}
	if slices.Contains(statuses, r.Status) {
		return nil
	}
	return refusedTransition(CaseRequest, action, string(r.Status), r.allowedActions())
}

func (r *Request) allowedActions() []string {
	var allowed []string
	switch r.Status {
	case StatusOpen:
		return []string{"stop_clock", "extend", "search", "confirm", "lift", "complete", "refuse"}
	case StatusClockStopped:
		allowed = []string{"restart_clock", "refuse"}
	default:
		allowed = []string{"acknowledge_notice"}
	}
	if r.RestrictionInForce() {
		allowed = append(allowed, "lift") // whatever the status (LiftRestriction)
	}
	return allowed
}

// StartSearch asks every service in services for the person's records. The person's
// identity must be verified first (Art 12(6)): nothing is searched for someone who may be
// impersonating them. A new search replaces candidates the DPO has not confirmed yet.
func (r *Request) StartSearch(services []string, a Actor) (Event, error) {
	if err := r.allow("search for", StatusOpen); err != nil {
		return Event{}, err
	}
	switch {
	case !r.Identity.Verified:
		return Event{}, &RuleError{Rule: "identity_not_verified", Detail: "the person's identity is not verified yet"}
	case r.Phase != PhaseNew && r.Phase != PhaseConfirming:
		return Event{}, &RuleError{Rule: "search_" + string(r.Phase), Detail: fmt.Sprintf("the request is %s; a search may start only before the matches are confirmed", r.Phase)}
	case len(services) == 0:
		return Event{}, &RuleError{Rule: "no_services", Detail: "no service is configured to ask"}
	}
	r.Search, r.Candidates, r.Phase = newFanOut(rights.Find, services, a.Now), nil, PhaseSearching
	return Event{Type: "request.search_started", Count: len(services)}, nil
}

// Answer is one service's answer to a fan-out, typed by verb.
type Answer struct {
	Candidates []rights.Candidate // find
	Records    []rights.Record    // export
	Outcomes   []rights.Outcome   // erase, rectify, restrict, lift
}

// RecordAnswer records service's answer to the fan-out for verb. It reports false, changing
// nothing, when that service is not waited for (it answered already). When the last
// service answers, the phase moves on.
func (r *Request) RecordAnswer(verb, service string, ans Answer, a Actor) (Event, bool, error) {
	f, err := r.openFanOut(verb)
	if err != nil || !f.settle(service, StepAnswered, "", a.Now) {
		return Event{}, false, err
	}
	e := Event{Type: "request.answered", Service: service}
	switch verb {
	case rights.Find:
		for _, c := range ans.Candidates {
			r.Candidates = append(r.Candidates, ServiceCandidate{Service: service, Candidate: c})
		}
		e.Count = len(ans.Candidates)
	case rights.Export:
		r.Exports = append(r.Exports, ServiceRecords{Service: service, Records: ans.Records})
		e.Count = len(ans.Records)
	default:
		for _, o := range ans.Outcomes {
			r.Outcomes = append(r.Outcomes, ServiceOutcome{Service: service, Verb: verb, Outcome: o})
		}
		e.Count = len(ans.Outcomes)
	}
	r.advance(f)
	e.Detail = map[string]any{"verb": verb, "phase": string(r.Phase)}
	return e, true, nil
}

// RecordRefusal records that service refused the whole fan-out question: it will never
// answer it, and the response says so.
func (r *Request) RecordRefusal(verb, service, reason string, a Actor) (Event, bool, error) {
	f, err := r.openFanOut(verb)
	if err != nil || !f.settle(service, StepRefused, reason, a.Now) {
		return Event{}, false, err
	}
	r.advance(f)
	return Event{Type: "request.service_refused", Service: service, Detail: map[string]any{"verb": verb, "phase": string(r.Phase)}}, true, nil
}

// RecordNoAnswer records an attempt that got no answer; the service is asked again after
// retry's wait. It raises no event: the request's view shows the attempts.
func (r *Request) RecordNoAnswer(verb, service, reason string, retry Retry, a Actor) (bool, error) {
	f, err := r.openFanOut(verb)
	if err != nil {
		return false, err
	}
	return f.fail(service, reason, a.Now, retry), nil
}

func (r *Request) openFanOut(verb string) (*FanOut, error) {
	if r.Erased() {
		return nil, ErrErased
	}
	f := r.FanOut(verb)
	if r.IsClosed() && f != r.Asking() {
		return nil, nil // a nil fan-out waits for nothing: the answer is not recorded
	}
	return f, nil
}

// Asking is the fan-out whose services are being asked: the search or the action in
// progress; nil when none is. Once the request is closed only the lifting of a restriction
// is asked (LiftRestriction): a restriction outlives the answer to the request.
func (r *Request) Asking() *FanOut {
	var f *FanOut
	switch r.Phase {
	case PhaseSearching:
		f = r.Search
	case PhaseActioning:
		f = r.Action
	}
	if f == nil || (r.IsClosed() && f.Verb != rights.Lift) {
		return nil
	}
	return f
}

// advance moves the phase on when the fan-out in progress has settled.
func (r *Request) advance(f *FanOut) {
	if !f.Settled() {
		return
	}
	switch {
	case f == r.Search && r.Phase == PhaseSearching:
		r.Phase = PhaseConfirming
	case f == r.Action && r.Phase == PhaseActioning:
		r.Phase = PhaseReady
	}
}

// Confirm records which candidates the DPO confirms are the person's and asks the services
// that hold them to act (export, erase, rectify, restrict). Every match must be a candidate
// a service found for this request. Confirming none means the council holds nothing of the
// person's: the response can be sent at once.
//
// offers says whether a service's privacy notice offers a right (Kind.NoticeRight). A
// service that does not offer the right a portability or objection request exercises is
// not asked to act: its step is refused at once and each of its confirmed records is
// refused on the ground that the right does not apply (UK GDPR Art 20(1), 21(1)), so no
// export is compiled and nothing is restricted where the lawful basis excludes the right.
// The events are the confirmation and one service_refused per service so declined.
func (r *Request) Confirm(matches []Match, offers func(service, right string) bool, a Actor) ([]Event, error) {
	if err := r.allow("confirm the matches of", StatusOpen); err != nil {
		return nil, err
	}
	if r.Phase != PhaseConfirming {
		return nil, &RuleError{Rule: "not_confirming", Detail: fmt.Sprintf(
			"matches are confirmed once every service has answered the search; the request is %s (waiting for: %v)", r.Phase, r.Pending())}
	}
	var services []string
	seen := map[Match]bool{}
	for i, m := range matches {
		if !r.IsCandidate(m.Service, m.RecordID) {
			return nil, &ValidationError{Field: fmt.Sprintf("matches/%d", i), Detail: fmt.Sprintf("%s record %s is not a candidate found for this request", m.Service, m.RecordID)}
		}
		if seen[m] {
			return nil, &ValidationError{Field: fmt.Sprintf("matches/%d", i), Detail: "listed twice"}
		}
		seen[m] = true
		if !slices.Contains(services, m.Service) {
			services = append(services, m.Service)
		}
	}
	at := a.Now
	r.Matches, r.ConfirmedBy, r.ConfirmedAt = matches, a.Officer, &at
	r.Exports, r.Outcomes = nil, nil
	if len(services) == 0 {
		r.Action, r.Phase = nil, PhaseReady
		return []Event{{Type: "request.matches_confirmed", Count: len(matches), Detail: map[string]any{"services": 0, "phase": string(r.Phase)}}}, nil
	}
	verb := r.Kind.ActionVerb()
	r.Action, r.Phase = newFanOut(verb, services, a.Now), PhaseActioning
	var declined []Event
	if right := r.Kind.NoticeRight(); right != "" {
		for _, svc := range services {
			if !offers(svc, right) {
				declined = append(declined, r.decline(verb, svc, notApplicable[r.Kind], a.Now))
			}
		}
	}
	r.advance(r.Action)
	for i := range declined {
		declined[i].Detail["phase"] = string(r.Phase)
	}
	confirmed := Event{Type: "request.matches_confirmed", Count: len(matches), Detail: map[string]any{"services": len(services), "phase": string(r.Phase)}}
	return append([]Event{confirmed}, declined...), nil
}

// decline refuses service's step of the action fan-out without asking it, and each of its
// confirmed records on refusal's ground: the right the request exercises does not apply to
// its data.
func (r *Request) decline(verb, service string, refusal rights.Refusal, now time.Time) Event {
	s := r.Action.step(service)
	at := now
	s.State, s.LastError, s.AnsweredAt = StepRefused, refusal.Words, &at
	for _, id := range r.MatchesFor(service) {
		ref := refusal
		r.Outcomes = append(r.Outcomes, ServiceOutcome{Service: service, Verb: verb,
			Outcome: rights.Outcome{RecordID: id, Refusal: &ref, Disclosures: []rights.Disclosure{}}})
	}
	return Event{Type: "request.service_refused", Service: service, Detail: map[string]any{"verb": verb, "ground": refusal.Ground}}
}

// Complete records that the response was sent: only once every service has answered, so a
// partial answer is never sent as complete. The record is kept retentionYears from then
// (the SAR notice: 2 years).
func (r *Request) Complete(retentionYears int, a Actor) (Event, error) {
	if err := r.allow("complete", StatusOpen); err != nil {
		return Event{}, err
	}
	if r.Phase != PhaseReady {
		return Event{}, &RuleError{Rule: "not_ready", Detail: fmt.Sprintf(
			"the response is not complete: the request is %s (waiting for: %v)", r.Phase, r.Pending())}
	}
	return r.close(StatusCompleted, "", retentionYears, a)
}

// RefusalGrounds are the grounds on which a request may be refused as a whole.
var RefusalGrounds = map[string]string{
	"manifestly_unfounded":   "the request is manifestly unfounded (UK GDPR Article 12(5))",
	"manifestly_excessive":   "the request is manifestly excessive (UK GDPR Article 12(5))",
	"identity_not_confirmed": "the person's identity could not be confirmed (UK GDPR Article 12(6))",
	"authority_not_given":    "the representative did not show authority to act for the person",
}

// Refuse refuses the whole request on one of RefusalGrounds; the record is kept
// retentionYears from then. The ground must be one the record allows: not that the
// identity could not be confirmed once it was verified, nor that a representative's
// authority was not given when there is none or it was. A refusal is not to act on the
// request (Article 12(5) and (6)), so it comes before the services act, not while they do
// (their answers would no longer be recorded, nor the Article 19 notices they call for
// sent), nor while a restriction they applied is in force: a refused request could not
// lift it, and lifting it needs the person told first (Article 18(3)), which a refusal
// does not say. The restriction is lifted first; the request may then be refused.
func (r *Request) Refuse(ground, reasons string, retentionYears int, a Actor) (Event, error) {
	if err := r.allow("refuse", StatusOpen, StatusClockStopped); err != nil {
		return Event{}, err
	}
	if _, ok := RefusalGrounds[ground]; !ok {
		return Event{}, &ValidationError{Field: "ground", Detail: fmt.Sprintf("unknown ground %q", ground)}
	}
	if trimmed(reasons) == "" {
		return Event{}, &ValidationError{Field: "reasons", Detail: "say why, as the person will be told it with their right to complain to the ICO (UK GDPR Art 12(4))"}
	}
	switch {
	case ground == "identity_not_confirmed" && r.Identity.Verified:
		return Event{}, &RuleError{Rule: "identity_verified", Detail: "the person's identity was verified: the request cannot be refused because it could not be confirmed"}
	case ground == "authority_not_given" && r.Representative == nil:
		return Event{}, &RuleError{Rule: "no_authority_awaited", Detail: "the person asks for themselves: no representative's authority is awaited on this request"}
	case ground == "authority_not_given" && r.Representative.Authority != "":
		return Event{}, &RuleError{Rule: "no_authority_awaited", Detail: "the representative's authority to act was recorded: it cannot be the ground for refusing the request"}
	case r.Phase == PhaseActioning:
		return Event{}, &RuleError{Rule: "services_acting", Detail: fmt.Sprintf(
			"the services are still acting on the request (%s, waiting for: %v): it cannot be refused until they have answered", r.Action.Verb, r.Pending())}
	case r.RestrictionInForce():
		return Event{}, &RuleError{Rule: "restriction_in_force", Detail: "the services restricted the person's records for this request: " +
			"lift the restriction first (the person told beforehand, UK GDPR Article 18(3)), then refuse the request"}
	}
	if services, did := r.changedBy(); len(services) > 0 {
		return Event{}, &RuleError{Rule: "services_acted", Detail: fmt.Sprintf(
			"%s already %s the person's records for this request, which cannot be undone: it cannot be refused as a whole; "+
				"complete it, the response saying what was done and what was not", strings.Join(services, " and "), did)}
	}
	e, err := r.close(StatusRefused, ground, retentionYears, a)
	if err == nil {
		r.Closed.Reasons = reasons // as the DPO wrote them: the person is told them
	}
	return e, err
}

// pastTense words what the services did for a verb that changes records for good.
var pastTense = map[string]string{rights.Erase: "erased", rights.Rectify: "rectified"}

// changedBy names the services that erased or rectified a record for this request: what
// they did stands, so the request was acted on and is not refused as a whole. A
// restriction is lifted instead (RestrictionInForce), an export changes nothing.
func (r *Request) changedBy() (services []string, did string) {
	for _, o := range r.Outcomes {
		if past, lasting := pastTense[o.Verb]; lasting && o.Done && !slices.Contains(services, o.Service) {
			services, did = append(services, o.Service), past
		}
	}
	return services, did
}

func (r *Request) close(status Status, ground string, retentionYears int, a Actor) (Event, error) {
	onTime := !r.Deadline.IsOverdue(a.Now)
	r.Status, r.Awaiting = status, ""
	r.Closed = &Closure{At: a.Now, By: a.Officer, Outcome: status, Ground: ground, OnTime: onTime}
	r.RetentionDue = a.Cal.AddYears(a.Now, retentionYears).DueDate
	return Event{Type: "request." + string(status), Detail: map[string]any{"on_time": onTime, "ground": ground,
		"retention_due": r.RetentionDue.String()}}, nil
}

// MarkOverdue records, once, that the month passed with the request open and the clock
// running.
func (r *Request) MarkOverdue(now time.Time) (Event, bool) {
	if r.Status != StatusOpen || r.OverdueAt != nil || !r.Deadline.IsOverdue(now) {
		return Event{}, false
	}
	at := now
	r.OverdueAt = &at
	due := r.Deadline.Due
	return Event{Type: "request.deadline.overdue", Detail: map[string]any{"due_at": due, "due_date": r.Deadline.DueDate.String()}}, true
}

// Erase deletes the request's personal data at the end of its retention (the SAR notice:
// 2 years), keeping the anonymous facts. A restriction still in force, or being lifted,
// holds it, as a running review holds an FOI request: the records it names are what its
// lifting asks the services to lift.
func (r *Request) Erase(a Actor) (Event, bool) {
	if r.Erased() || !r.IsClosed() || r.RetentionDue.IsZero() || r.RetentionDue.After(calendar.DateOf(a.Now)) ||
		r.RestrictionInForce() || r.Asking() != nil {
		return Event{}, false
	}
	at := a.Now
	r.ErasedAt = &at
	r.Requester, r.Subject, r.Representative, r.Identity.Method, r.Details, r.Rectification = Person{}, rights.Identifiers{}, nil, "", "", nil
	if r.Closed != nil {
		r.Closed.Reasons = "" // written about the person
	}
	if r.Extension != nil {
		r.Extension.Reason = ""
	}
	r.Candidates, r.Matches, r.Exports, r.Outcomes = nil, nil, nil, nil
	return Event{Type: "request.erased", Detail: map[string]any{"retention_due": r.RetentionDue.String()}}, true
}
