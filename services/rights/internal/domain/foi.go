package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"casework.dev/pkg/calendar"
)

// Regime is the law a request for information is answered under, decided by an officer.
type Regime string

// Regimes.
const (
	RegimeFOI Regime = "foi" // Freedom of Information Act 2000
	RegimeEIR Regime = "eir" // Environmental Information Regulations 2004
)

// FOIStatus is where a request for information stands.
type FOIStatus string

// Statuses of a request for information.
const (
	FOIOpen         FOIStatus = "open"
	FOIClockStopped FOIStatus = "clock_stopped" // waiting for clarification
	FOIResponded    FOIStatus = "responded"
	FOILapsed       FOIStatus = "lapsed" // closed: the clarification asked for never came
)

// ClarificationWaitMonths is how long a request waits for the clarification asked for
// before it may be closed as lapsed. The Act sets no period; the ICO asks for a reasonable
// time, and three months is what FOIA s9(2) allows for paying a fees notice.
const ClarificationWaitMonths = 3

// Working days to answer: FOIA s10(1) "not later than the twentieth working day following
// the date of receipt"; EIR reg 5(2) "no later than 20 working days after the date of
// receipt", which the ICO reads the same way (day 1 is the first working day after
// receipt, a request received on a non-working day included). EIR reg 7(1) allows 40 for a
// request that is complex and voluminous. Working days exclude a bank holiday in any part
// of the UK (FOIA s10(6); EIR reg 2(1)), so the service counts them with
// calendar.UnitedKingdomHolidays.
const (
	ResponseWorkingDays     = 20
	EIRExtendedWorkingDays  = 40
	ReviewWorkingDays       = 20 // FOI: section 45 code of practice (2018) para 5.4
	ReviewWorkingDaysLonger = 40 // FOI exceptionally (para 5.4); EIR: reg 11(4), the statutory limit
)

// Part outcomes.
const (
	PartReleased      = "released"
	PartPartly        = "partly_released"
	PartWithheld      = "withheld"
	PartNotHeld       = "not_held"
	PartNeitherDenied = "neither_confirm_nor_deny"
)

var partOutcomes = []string{PartReleased, PartPartly, PartWithheld, PartNotHeld, PartNeitherDenied}

// absoluteFOI are the FOIA exemptions with no public interest test (s2(3)).
var absoluteFOI = map[string]bool{"s21": true, "s23": true, "s32": true, "s34": true, "s40(1)": true,
	"s40(2)": true, "s41": true, "s44": true}

// refusalGroundsFOI are the FOIA grounds on which the duty to comply does not apply at all,
// weighed against no public interest: the cost of compliance exceeds the appropriate limit
// (s12; GBP 450 for a local authority, 18 hours), and a vexatious (s14(1)) or repeated
// (s14(2)) request. The EIR's counterpart is the exception manifestly unreasonable,
// reg 12(4)(b), which is weighed.
var refusalGroundsFOI = map[string]bool{"s12": true, "s14(1)": true, "s14(2)": true}

// qualifiedFOI are the FOIA exemptions that need the public interest test (s2(2)(b)).
var qualifiedFOI = []string{"s22", "s22A", "s24", "s26", "s27", "s28", "s29", "s30", "s31", "s33", "s35", "s36", "s37",
	"s38", "s39", "s42", "s43"}

// exceptionsEIR are the EIR exceptions; all but personal data (reg 13) need the public
// interest test, with a presumption in favour of disclosure (reg 12(1)(b), 12(2)).
var exceptionsEIR = []string{"reg12(4)(a)", "reg12(4)(b)", "reg12(4)(c)", "reg12(4)(d)", "reg12(4)(e)", "reg12(5)(a)",
	"reg12(5)(b)", "reg12(5)(c)", "reg12(5)(d)", "reg12(5)(e)", "reg12(5)(f)", "reg12(5)(g)", "reg13"}

// notHeldEIR is the EIR exception for information not held when the request came (reg
// 12(4)(a)): a refusal the requester is told of under reg 14, so a part not held under the
// EIR may cite it, and only such a part.
const notHeldEIR = "reg12(4)(a)"

// namesQualifiedExemption reports whether text names a qualified FOIA exemption, as "s43"
// or "s43(2)", standing as a word of its own.
func namesQualifiedExemption(text string) bool {
	for _, word := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '(' || r == ')')
	}) {
		base, _, _ := strings.Cut(word, "(")
		if slices.ContainsFunc(qualifiedFOI, func(s string) bool { return strings.EqualFold(s, base) }) {
			return true
		}
	}
	return false
}

// NeedsPublicInterestTest reports whether an exemption or exception must be weighed
// against the public interest, and whether it exists in the regime at all.
func NeedsPublicInterestTest(regime Regime, exemption string) (needs, known bool) {
	switch regime {
	case RegimeFOI:
		if absoluteFOI[exemption] || refusalGroundsFOI[exemption] {
			return false, true
		}
		return true, slices.Contains(qualifiedFOI, exemption)
	case RegimeEIR:
		// Information not held (reg 12(4)(a)) has no public interest to weigh: the ICO's
		// guidance on the exception, though reg 12(1)(b) names every exception.
		return exemption != "reg13" && exemption != notHeldEIR, slices.Contains(exceptionsEIR, exemption)
	}
	return false, false
}

// PublicInterest is the public interest test recorded for one part.
type PublicInterest struct {
	ForDisclosure   string
	ForWithholding  string
	FavoursWithhold bool // the balance favours withholding
	Conclusion      string
}

// Part is one part of a request and what the council decided for it.
type Part struct {
	Description    string // the information asked for, in words that name no one (it is published)
	Outcome        string
	Exemption      string // FOIA section or EIR regulation, when withheld in whole or part
	PublicInterest *PublicInterest
}

// InternalReview is the review of a response the requester asked for.
type InternalReview struct {
	RequestedAt time.Time
	Deadline    calendar.Deadline
	Extended    bool
	Outcome     string // upheld, partly_upheld, overturned
	Reasons     string
	DecidedAt   *time.Time
	DecidedBy   string
	OverdueAt   *time.Time
}

// Review outcomes.
var reviewOutcomes = []string{"upheld", "partly_upheld", "overturned"}

// FOIRequest is one request for information under FOIA or the EIR.
type FOIRequest struct {
	ID, Reference string
	Regime        Regime
	RegimeReason  string
	Status        FOIStatus
	ReceivedAt    time.Time
	Requester     Person // personal data
	Details       string // the request as the requester wrote it: personal data
	// Summary is the request in the officer's words for the public disclosure log: it names
	// no one.
	Summary     string
	Deadline    calendar.Deadline
	Extension   string // the EIR reg 7 reason, when extended
	OverdueAt   *time.Time
	Parts       []Part
	RespondedAt *time.Time
	RespondedBy string
	OnTime      bool
	Publish     bool // listed in the public disclosure log
	Review      *InternalReview
	// RetentionDue is when the personal data is erased: 2 years after the response, or 3
	// after an internal review's decision, whichever is later.
	RetentionDue calendar.Date
	ErasedAt     *time.Time
	Version      int
}

// NewFOIRequest is a request as it arrived.
type NewFOIRequest struct {
	Regime       Regime
	RegimeReason string
	ReceivedAt   time.Time
	Requester    Person
	Details      string
	Summary      string
}

// ReceiveFOI records a request and its 20 working days, counted on cal, a calendar of
// bank holidays in any part of the UK.
func ReceiveFOI(in NewFOIRequest, a Actor) (*FOIRequest, Event, error) {
	if in.Regime != RegimeFOI && in.Regime != RegimeEIR {
		return nil, Event{}, &ValidationError{Field: "regime", Detail: "foi or eir"}
	}
	if err := happened("received_at", in.ReceivedAt, a.Now, FOIInForce); err != nil {
		return nil, Event{}, err
	}
	switch {
	case trimmed(in.Requester.Name) == "":
		return nil, Event{}, &ValidationError{Field: "requester/name", Detail: "a request gives the applicant's name (FOIA s8(1)(b))"}
	case blank(in.Requester.Email) && blank(in.Requester.Address):
		return nil, Event{}, &ValidationError{Field: "requester", Detail: "a request gives an address for correspondence (FOIA s8(1)(b))"}
	case blank(in.Details):
		return nil, Event{}, &ValidationError{Field: "details", Detail: "the request is required: what the requester asked for"}
	case blank(in.Summary):
		return nil, Event{}, &ValidationError{Field: "summary", Detail: "the request's summary for the disclosure log is required"}
	}
	if what := in.Requester.identifiedIn(in.Summary); what != "" {
		return nil, Event{}, &ValidationError{Field: "summary", Detail: notOnTheLog(what)}
	}
	d, err := a.Cal.AddWorkingDays(in.ReceivedAt, ResponseWorkingDays)
	if err != nil {
		return nil, Event{}, calendarRefusal("received_at", err)
	}
	f := &FOIRequest{Regime: in.Regime, RegimeReason: in.RegimeReason, Status: FOIOpen, ReceivedAt: in.ReceivedAt.UTC(),
		Requester: in.Requester, Details: in.Details, Summary: in.Summary, Deadline: d}
	return f, Event{Type: "foi.received", Detail: map[string]any{"regime": string(in.Regime), "due_date": d.DueDate.String()}}, nil
}

func (f *FOIRequest) allow(action string, statuses ...FOIStatus) error {
	if f.ErasedAt != nil {
		return ErrFOIErased
	}
	if slices.Contains(statuses, f.Status) {
		return nil
	}
	allowed := []string{"request_review", "decide_review"}
	switch f.Status {
	case FOIOpen:
		allowed = []string{"change_regime", "stop_clock", "extend", "respond"}
	case FOIClockStopped:
		allowed = []string{"change_regime", "restart_clock", "lapse"}
	case FOILapsed:
		allowed = nil
	}
	return refusedTransition(CaseFOI, action, string(f.Status), allowed)
}

// ChangeRegime records an officer's decision that the request falls under the other law.
// The deadline is the same 20 working days; an EIR extension does not survive a change to
// FOIA, so a request already extended cannot change.
func (f *FOIRequest) ChangeRegime(to Regime, reason string, a Actor) (Event, error) {
	if err := f.allow("change the regime of", FOIOpen, FOIClockStopped); err != nil {
		return Event{}, err
	}
	switch {
	case to != RegimeFOI && to != RegimeEIR:
		return Event{}, &ValidationError{Field: "regime", Detail: "foi or eir"}
	case to == f.Regime:
		return Event{}, &RuleError{Rule: "same_regime", Detail: "the request is already under " + string(to)}
	case trimmed(reason) == "":
		return Event{}, &ValidationError{Field: "reason", Detail: "say why the information is (or is not) environmental"}
	case f.Extension != "":
		return Event{}, &RuleError{Rule: "extended", Detail: "the deadline was extended under the request's own law (EIR regulation 7, or FOIA s10(3)); the other law does not carry it"}
	}
	from := f.Regime
	f.Regime, f.RegimeReason = to, reason
	return Event{Type: "foi.regime_changed", Detail: map[string]any{"from": string(from), "to": string(to)}}, nil
}

// StopClock stops the clock while the council waits for clarification it asked for: the 20
// working days then run again from the day it arrives (FOIA s1(3) and s10(6); EIR reg
// 9(2) and 9(4)).
func (f *FOIRequest) StopClock(a Actor) (Event, error) {
	if err := f.allow("stop the clock of", FOIOpen); err != nil {
		return Event{}, err
	}
	if f.Deadline.IsOverdue(a.Now) {
		// Clarification is asked for within the 20 working days (EIR reg 9(2)(b): "no later
		// than 20 working days after the date of receipt"; the s45 code of practice for FOI):
		// stopping a clock that ran out would make a late answer look on time.
		return Event{}, &RuleError{Rule: "deadline_passed", Detail: fmt.Sprintf(
			"the response was due on %s: clarification is asked for within the time for compliance", f.Deadline.DueDate)}
	}
	d, err := a.Cal.StopClock(f.Deadline, a.Now, calendar.StopRestart, "clarification of the request")
	if err != nil {
		return Event{}, err
	}
	f.Deadline, f.Status = d, FOIClockStopped
	return Event{Type: "foi.clock_stopped"}, nil
}

// Lapse closes a request whose clarification never came, once it has waited
// ClarificationWaitMonths since it was asked for; the retention sweep does it on that day
// (LapseDue) if an officer has not. Its retention then runs from that day, as the notice
// says ("closed three months after we asked, and kept 2 years from then"), however late it
// was closed, so the requester's details do not stay longer.
func (f *FOIRequest) Lapse(requestYears int, a Actor) (Event, error) {
	if err := f.allow("close as lapsed", FOIClockStopped); err != nil {
		return Event{}, err
	}
	// Months as the calendar counts them: from 30 November, the last day of February.
	asked := f.Deadline.Stops[len(f.Deadline.Stops)-1].StoppedOn
	from := asked.AddMonths(ClarificationWaitMonths)
	if calendar.DateOf(a.Now).Before(from) {
		return Event{}, &RuleError{Rule: "clarification_awaited", Detail: fmt.Sprintf(
			"clarification was asked for on %s: the request may be closed as lapsed from %s, %d months on",
			asked, from, ClarificationWaitMonths)}
	}
	f.Status = FOILapsed
	f.RetentionDue = a.Cal.AddYears(from.StartOfDay(), requestYears).DueDate
	return Event{Type: "foi.lapsed", Detail: map[string]any{"retention_due": f.RetentionDue.String()}}, nil
}

// LapseDue is Lapse for the retention sweep: false when the request is not (or no longer)
// waiting, or not for long enough.
func (f *FOIRequest) LapseDue(requestYears int, a Actor) (Event, bool) {
	e, err := f.Lapse(requestYears, a)
	return e, err == nil
}

// RestartClock records the clarification's arrival at receivedAt.
func (f *FOIRequest) RestartClock(receivedAt time.Time, a Actor) (Event, error) {
	if err := f.allow("restart the clock of", FOIClockStopped); err != nil {
		return Event{}, err
	}
	if err := arrivedSinceStop("received_at", receivedAt, f.Deadline, a.Now); err != nil {
		return Event{}, err
	}
	d, err := a.Cal.RestartClock(f.Deadline, receivedAt)
	if err != nil {
		return Event{}, calendarRefusal("received_at", err)
	}
	f.Deadline, f.Status = d, FOIOpen
	return Event{Type: "foi.clock_restarted", Detail: map[string]any{"due_date": d.DueDate.String()}}, nil
}

// Extend gives the request 20 more working days, once. Under the EIR for a request that
// is complex and voluminous (reg 7(1)); the requester must be told within the first 20
// (reg 7(3)). Under FOIA to consider the public interest in a qualified exemption (s10(3):
// "such time as is reasonable", which the ICO's guidance and the section 45 code of
// practice put at no more than 20 further working days); the refusal notice naming the
// exemption is due within the first 20 (s17(2)). So either is done while they run.
func (f *FOIRequest) Extend(reason string, a Actor) (Event, error) {
	if err := f.allow("extend", FOIOpen); err != nil {
		return Event{}, err
	}
	why, told := "say why the request is complex and voluminous", "the requester must be told of an extension within the first 20 working days (regulation 7(3))"
	if f.Regime == RegimeFOI {
		why = "say which qualified exemption's public interest test needs the time (FOIA s10(3))"
		told = "the refusal notice naming the exemption whose public interest test needs the time is due within the first 20 working days (FOIA s17(2))"
	}
	switch {
	case f.Extension != "":
		return Event{}, &RuleError{Rule: "already_extended", Detail: "the request was already extended by 20 working days"}
	case f.Deadline.IsOverdue(a.Now):
		return Event{}, &RuleError{Rule: "deadline_passed", Detail: told}
	case trimmed(reason) == "":
		return Event{}, &ValidationError{Field: "reason", Detail: why}
	case f.Regime == RegimeFOI && !namesQualifiedExemption(reason):
		return Event{}, &ValidationError{Field: "reason", Detail: why + ": name it as the Act does, e.g. s43; " +
			"an absolute exemption, the cost limit (s12) and s14 are weighed against no public interest"}
	}
	d, err := a.Cal.Extend(f.Deadline, EIRExtendedWorkingDays-ResponseWorkingDays, "")
	if err != nil {
		return Event{}, calendarRefusal("reason", err)
	}
	f.Deadline, f.Extension = d, reason
	return Event{Type: "foi.extended", Detail: map[string]any{"due_date": d.DueDate.String()}}, nil
}

// Respond records the response, part by part: each part withheld in whole or part names
// its exemption (FOIA) or exception (EIR), and the public interest test where the law
// requires one. A response published in the disclosure log puts its summary and its
// parts' descriptions before the public, so neither may contain the requester's name,
// email address, phone number or address (the notice: "our public disclosure log never
// names the requester").
func (f *FOIRequest) Respond(parts []Part, publish bool, requestYears int, a Actor) (Event, error) {
	if err := f.allow("respond to", FOIOpen); err != nil {
		return Event{}, err
	}
	if len(parts) == 0 {
		return Event{}, &ValidationError{Field: "parts", Detail: "record what was decided for each part of the request"}
	}
	for i, p := range parts {
		if err := p.check(f.Regime, fmt.Sprintf("parts/%d", i)); err != nil {
			return Event{}, err
		}
		if ground := parts[0].Exemption; (refusalGroundsFOI[p.Exemption] || refusalGroundsFOI[ground]) &&
			(p.Exemption != ground || !refusedWhole(p)) {
			// The cost limit counts the whole request, and s14 releases the council from all of it.
			return Event{}, &ValidationError{Field: fmt.Sprintf("parts/%d/exemption", i), Detail: "s12 and s14 refuse the request as a whole: " +
				"every part is withheld on the same one"}
		}
		if what := f.Requester.identifiedIn(p.Description); publish && what != "" {
			return Event{}, &ValidationError{Field: fmt.Sprintf("parts/%d/description", i), Detail: notOnTheLog(what)}
		}
	}
	if what := f.Requester.identifiedIn(f.Summary); publish && what != "" {
		// Recorded before the summary was checked on receipt; the response may still be
		// recorded, unpublished.
		return Event{}, &RuleError{Rule: "requester_identified", Detail: "the request's summary, which the disclosure log publishes, " +
			notOnTheLog(what) + "; record the response with publish false"}
	}
	at := a.Now
	f.Parts, f.Status, f.RespondedAt, f.RespondedBy = parts, FOIResponded, &at, a.Officer
	f.OnTime, f.Publish = !f.Deadline.IsOverdue(a.Now), publish
	f.RetentionDue = a.Cal.AddYears(a.Now, requestYears).DueDate
	return Event{Type: "foi.responded", Count: len(parts), Detail: map[string]any{"on_time": f.OnTime, "outcome": f.Outcome()}}, nil
}

// refusedWhole reports whether p is refused as s12 and s14 refuse: withheld, or, where
// even confirming or denying would cost more than the limit, neither confirmed nor denied
// (s12(2)); s14 likewise lifts the duty to confirm or deny.
func refusedWhole(p Part) bool { return p.Outcome == PartWithheld || p.Outcome == PartNeitherDenied }

// notOnTheLog says why a text that would be published holds the requester's what.
func notOnTheLog(what string) string {
	return "contains the requester's " + what + ": the public disclosure log never identifies the requester"
}

func (p Part) check(regime Regime, field string) error {
	switch {
	case trimmed(p.Description) == "":
		return &ValidationError{Field: field + "/description", Detail: "say what this part asked for"}
	case !slices.Contains(partOutcomes, p.Outcome):
		return &ValidationError{Field: field + "/outcome", Detail: "one of " + strings.Join(partOutcomes, ", ")}
	}
	withheld := p.Outcome == PartWithheld || p.Outcome == PartPartly || p.Outcome == PartNeitherDenied
	switch {
	case regime == RegimeEIR && p.Outcome == PartNotHeld && p.Exemption == notHeldEIR:
		if p.PublicInterest != nil {
			return &ValidationError{Field: field + "/public_interest", Detail: notHeldEIR + " has no public interest test: the information is not held"}
		}
		return nil
	case regime == RegimeEIR && withheld && p.Exemption == notHeldEIR:
		return &ValidationError{Field: field + "/exemption", Detail: notHeldEIR + " is the exception for information not held: record the part as not_held"}
	}
	if !withheld {
		if p.Exemption != "" {
			return &ValidationError{Field: field + "/exemption", Detail: "only a part withheld in whole or part has an exemption"}
		}
		if p.PublicInterest != nil { // named as itself: no exemption was sent to point at
			return &ValidationError{Field: field + "/public_interest", Detail: "only a part withheld in whole or part has a public interest test"}
		}
		return nil
	}
	needs, known := NeedsPublicInterestTest(regime, p.Exemption)
	switch {
	case !known:
		return &ValidationError{Field: field + "/exemption", Detail: fmt.Sprintf("%q is not an %s of the %s", p.Exemption,
			map[Regime]string{RegimeFOI: "exemption", RegimeEIR: "exception"}[regime], map[Regime]string{RegimeFOI: "Freedom of Information Act", RegimeEIR: "Environmental Information Regulations"}[regime])}
	case needs && p.PublicInterest == nil:
		return &ValidationError{Field: field + "/public_interest", Detail: p.Exemption + " is qualified: record the public interest test (for disclosure, for withholding, the conclusion)"}
	case needs && blank(p.PublicInterest.ForDisclosure):
		return &ValidationError{Field: field + "/public_interest/for_disclosure", Detail: p.Exemption + " is qualified: record the public interest in disclosure"}
	case needs && blank(p.PublicInterest.ForWithholding):
		return &ValidationError{Field: field + "/public_interest/for_withholding", Detail: p.Exemption + " is qualified: record the public interest in withholding"}
	case needs && blank(p.PublicInterest.Conclusion):
		return &ValidationError{Field: field + "/public_interest/conclusion", Detail: p.Exemption + " is qualified: record the conclusion of the public interest test"}
	case needs && !p.PublicInterest.FavoursWithhold:
		return &ValidationError{Field: field + "/public_interest", Detail: "the balance favours disclosure: the part must be released"}
	case !needs && p.PublicInterest != nil && refusalGroundsFOI[p.Exemption]:
		return &ValidationError{Field: field + "/public_interest", Detail: p.Exemption + " releases the council from the duty to comply: no public interest test applies"}
	case !needs && p.PublicInterest != nil:
		return &ValidationError{Field: field + "/public_interest", Detail: p.Exemption + " is absolute: no public interest test applies"}
	}
	return nil
}

// Outcome sums up the parts: released, partly_released, withheld or not_held.
func (f *FOIRequest) Outcome() string {
	released, withheld := 0, 0
	for _, p := range f.Parts {
		switch p.Outcome {
		case PartReleased:
			released++
		case PartPartly:
			return PartPartly
		case PartWithheld, PartNeitherDenied:
			withheld++
		}
	}
	switch {
	case released > 0 && withheld > 0:
		return PartPartly
	case released > 0:
		return PartReleased
	case withheld > 0:
		return PartWithheld
	}
	return PartNotHeld
}

// RequestReview records the requester's request for an internal review, with its deadline:
// FOI 20 working days (section 45 code of practice para 5.4), EIR 40 (reg 11(4)).
func (f *FOIRequest) RequestReview(requestedAt time.Time, a Actor) (Event, error) {
	if err := f.allow("review", FOIResponded); err != nil {
		return Event{}, err
	}
	if f.Review != nil {
		return Event{}, &RuleError{Rule: "already_reviewed", Detail: "an internal review was already requested"}
	}
	if err := happened("requested_at", requestedAt, a.Now, dayOf(*f.RespondedAt, "the day of the response")); err != nil {
		return Event{}, err
	}
	if requestedAt.Before(*f.RespondedAt) {
		return Event{}, &ValidationError{Field: "requested_at", Detail: fmt.Sprintf("cannot be before the response (%s)", f.RespondedAt.Format(time.RFC3339))}
	}
	if f.Regime == RegimeEIR {
		// EIR reg 11(2): representations "no later than 40 working days after the date on
		// which the applicant believes that the public authority has failed to comply",
		// here the response. (An FOI review asked for later may still be taken: the
		// section 45 code leaves that to the authority.)
		limit, err := a.Cal.AddWorkingDays(*f.RespondedAt, ReviewWorkingDaysLonger)
		if err != nil {
			return Event{}, calendarRefusal("requested_at", err)
		}
		if requestedAt.After(limit.Due) {
			return Event{}, &RuleError{Rule: "review_out_of_time", Detail: fmt.Sprintf(
				"an internal review under the EIR is asked for within 40 working days of the response, by %s (regulation 11(2))", limit.DueDate)}
		}
	}
	days := ReviewWorkingDays
	if f.Regime == RegimeEIR {
		days = ReviewWorkingDaysLonger
	}
	d, err := a.Cal.AddWorkingDays(requestedAt, days)
	if err != nil {
		return Event{}, calendarRefusal("requested_at", err)
	}
	f.Review = &InternalReview{RequestedAt: requestedAt.UTC(), Deadline: d}
	return Event{Type: "foi.review_requested", Detail: map[string]any{"due_date": d.DueDate.String()}}, nil
}

// ExtendReview takes an FOI review to 40 working days in exceptional circumstances (code of
// practice para 5.4); an EIR review already has the statutory 40.
func (f *FOIRequest) ExtendReview(a Actor) (Event, error) {
	if err := f.allow("extend the review of", FOIResponded); err != nil {
		return Event{}, err
	}
	switch {
	case f.Review == nil || f.Review.DecidedAt != nil:
		return Event{}, &RuleError{Rule: "no_review_running", Detail: "no internal review is running"}
	case f.Regime == RegimeEIR || f.Review.Extended:
		return Event{}, &RuleError{Rule: "review_at_limit", Detail: "the review already has 40 working days, the longest allowed"}
	case f.Review.Deadline.IsOverdue(a.Now):
		return Event{}, &RuleError{Rule: "deadline_passed", Detail: "the review's 20 working days have passed"}
	}
	d, err := a.Cal.Extend(f.Review.Deadline, ReviewWorkingDaysLonger-ReviewWorkingDays, "")
	if err != nil {
		return Event{}, err
	}
	f.Review.Deadline, f.Review.Extended = d, true
	return Event{Type: "foi.review_extended", Detail: map[string]any{"due_date": d.DueDate.String()}}, nil
}

// DecideReview records the review's outcome; the records are then kept reviewYears from the
// decision (the notice: 3 years) if that is later than the request's own retention.
func (f *FOIRequest) DecideReview(outcome, reasons string, reviewYears int, a Actor) (Event, error) {
	if err := f.allow("decide the review of", FOIResponded); err != nil {
		return Event{}, err
	}
	switch {
	case f.Review == nil || f.Review.DecidedAt != nil:
		return Event{}, &RuleError{Rule: "no_review_running", Detail: "no internal review is running"}
	case !slices.Contains(reviewOutcomes, outcome):
		return Event{}, &ValidationError{Field: "outcome", Detail: "upheld, partly_upheld or overturned"}
	case trimmed(reasons) == "":
		return Event{}, &ValidationError{Field: "reasons", Detail: "say why"}
	}
	at := a.Now
	f.Review.Outcome, f.Review.Reasons, f.Review.DecidedAt, f.Review.DecidedBy = outcome, reasons, &at, a.Officer
	if due := a.Cal.AddYears(a.Now, reviewYears).DueDate; due.After(f.RetentionDue) {
		f.RetentionDue = due
	}
	onTime := !f.Review.Deadline.IsOverdue(a.Now)
	return Event{Type: "foi.review_decided", Detail: map[string]any{"outcome": outcome, "on_time": onTime}}, nil
}

// MarkOverdue records, once each, a response or a review whose working days passed.
func (f *FOIRequest) MarkOverdue(now time.Time) (Event, bool) {
	switch {
	case f.Status == FOIOpen && f.OverdueAt == nil && f.Deadline.IsOverdue(now):
		at := now
		f.OverdueAt = &at
		return Event{Type: "foi.deadline.overdue", Detail: map[string]any{"due_at": f.Deadline.Due}}, true
	case f.Review != nil && f.Review.DecidedAt == nil && f.Review.OverdueAt == nil && f.Review.Deadline.IsOverdue(now):
		at := now
		f.Review.OverdueAt = &at
		return Event{Type: "foi.review.overdue", Detail: map[string]any{"due_at": f.Review.Deadline.Due}}, true
	}
	return Event{}, false
}

// Erase deletes the requester's personal data when the retention ends; the anonymous facts
// and the disclosure log entry stay. A review still running holds it.
func (f *FOIRequest) Erase(a Actor) (Event, bool) {
	if f.ErasedAt != nil || (f.Status != FOIResponded && f.Status != FOILapsed) || f.RetentionDue.IsZero() || f.RetentionDue.After(calendar.DateOf(a.Now)) ||
		(f.Review != nil && f.Review.DecidedAt == nil) {
		return Event{}, false
	}
	at := a.Now
	f.ErasedAt, f.Requester, f.Details = &at, Person{}, ""
	return Event{Type: "foi.erased", Detail: map[string]any{"retention_due": f.RetentionDue.String()}}, true
}
