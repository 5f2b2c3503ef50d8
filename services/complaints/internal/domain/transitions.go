package domain

import (
	"fmt"
	"slices"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// Action is something an officer does to a complaint.
type Action string

const (
	ActionAcknowledge Action = "acknowledge"
	ActionExtend      Action = "extend"
	ActionRespond     Action = "respond"
	ActionEscalate    Action = "escalate"
	ActionClose       Action = "close"

	// Stage 3 (see stage3.go).
	ActionReferLGO         Action = "refer_lgo"
	ActionRecordEnquiry    Action = "record_enquiry"
	ActionRespondEnquiry   Action = "respond_enquiry"
	ActionRecordDecision   Action = "record_decision"
	ActionRecordCompliance Action = "record_compliance"
	ActionRecordNecessity  Action = "record_necessity"
)

// allowedActions is the state machine: which actions each status permits.
// The complainant may go to the Ombudsman from any open stage 1 or 2 status (for example
// over delay): the referral warns that the council's process was not exhausted, never refuses.
var allowedActions = map[Status][]Action{
	StatusStage1Received:     {ActionAcknowledge, ActionReferLGO, ActionClose},
	StatusStage1Acknowledged: {ActionExtend, ActionRespond, ActionReferLGO, ActionClose},
	StatusStage1Responded:    {ActionEscalate, ActionReferLGO, ActionClose},
	StatusStage2Received:     {ActionAcknowledge, ActionReferLGO, ActionClose},
	StatusStage2Acknowledged: {ActionExtend, ActionRespond, ActionReferLGO, ActionClose},
	StatusStage2Responded:    {ActionReferLGO, ActionClose},
	StatusStage3Referred:     {ActionRecordEnquiry, ActionRecordDecision, ActionRecordNecessity, ActionClose},
	StatusStage3Enquiry:      {ActionRespondEnquiry, ActionRecordNecessity, ActionClose},
	StatusStage3Responded:    {ActionRecordEnquiry, ActionRecordDecision, ActionRecordNecessity, ActionClose},
	StatusStage3Decided:      {ActionRecordCompliance, ActionClose},
	StatusClosed:             {},
}

// AllowedActions lists what may be done next. It is a copy, so a caller cannot change the
// state machine by editing it. A complaint closed after the council's response may still
// be taken to the Ombudsman (complainants usually go there after the case is closed), so
// that one closed complaint allows refer_lgo; closed after a stage 1 response with no
// stage 2 yet, it also allows escalate (the complainant asks for stage 2 after closure).
// The Ombudsman's sending a complaint back as premature lets the council's process be
// completed: escalate (when stage 2 was never done) and a fresh refer_lgo, also once closed.
func (c *Complaint) AllowedActions() []Action {
	switch {
	case c.Status == StatusClosed:
		var allowed []Action
		if c.mayEscalateAgain() {
			allowed = append(allowed, ActionEscalate)
		}
		if c.mayReferClosed() {
			allowed = append(allowed, ActionReferLGO)
		}
		return allowed
	case c.Status == StatusStage3Decided && c.SentBackPremature():
		var allowed []Action
		if c.mayEscalateAgain() {
			allowed = append(allowed, ActionEscalate)
		}
		return append(allowed, ActionReferLGO, ActionClose) // a premature decision carries no remedies
	}
	return slices.Clone(allowedActions[c.Status])
}

// mayEscalateAgain: a complaint whose stage 1 was answered and that never went to stage 2,
// now closed or sent back by the Ombudsman as premature, not erased, may go to stage 2.
// No source (the notices, the Code as the design records it) sets a time limit on asking
// for stage 2, so none is applied.
func (c *Complaint) mayEscalateAgain() bool {
	if c.Erased() || c.Responses[1] == nil || c.Stage2Handler != "" {
		return false
	}
	return c.Stage == 1 || c.SentBackPremature()
}

// SentBackPremature reports whether the Ombudsman's decision on the current referral was
// that the complaint is premature: the council's process is to be completed first.
func (c *Complaint) SentBackPremature() bool {
	return c.Stage3 != nil && c.Stage3.Decision != nil && c.Stage3.Decision.Outcome == LGOPremature
}

// Code timescales, in working days.
const (
	AcknowledgeWorkingDays  = 5
	Stage1RespondDays       = 10
	Stage2RespondDays       = 20
	Stage1MaxExtensionDays  = 10
	Stage2MaxExtensionDays  = 20
	maxTextLength           = 20000
	maxRemedies             = 20
	maxRemedyLength         = 2000
	maxClosureReasonLength  = 2000
	maxExtensionReasonChars = 2000
)

// Actor is who acts, when, with which calendar.
type Actor struct {
	Officer string
	Now     time.Time
	Cal     *calendar.Calendar
}

// Event is a change to a complaint, for the outbox, the status feed and the audit trail.
// It carries no personal data.
type Event struct {
	Type     string // e.g. "stage1.acknowledged"
	Stage    int
	Outcome  Outcome
	Deadline string
	DueAt    *time.Time
	Detail   map[string]any
}

func (c *Complaint) check(a Action) error {
	if slices.Contains(c.AllowedActions(), a) {
		return nil
	}
	return &TransitionError{Kind: Kind, Action: a, Status: c.Status, Allowed: c.AllowedActions()}
}

// handledStage1 reports whether officer was the stage 1 handler or acknowledged, extended
// or responded at stage 1: the Complaint Handling Code's stage 2 independence is about who
// did the work, not only who was assigned it.
func (c *Complaint) handledStage1(officer string) bool {
	return officer == c.Stage1Handler || slices.Contains(c.ActedAt(1), officer)
}

func (c *Complaint) stage2IndependenceError(officer string) error {
	return &casework.RuleError{Rule: "stage2_handler_must_differ",
		Detail: fmt.Sprintf("officer %s handled or acted on stage 1 of %s; stage 2 must be handled by an officer who did neither", officer, c.Reference)}
}

// Stage 2 must be handled by someone other than whoever handled stage 1 (Complaint Handling Code).
func (c *Complaint) checkStage2Officer(officer string) error {
	if c.Stage == 2 && c.handledStage1(officer) {
		return c.stage2IndependenceError(officer)
	}
	return nil
}

// Acknowledge meets the stage's acknowledgement deadline and starts the response clock.
func (c *Complaint) Acknowledge(a Actor) (Event, error) {
	if err := c.check(ActionAcknowledge); err != nil {
		return Event{}, err
	}
	if err := c.checkStage2Officer(a.Officer); err != nil {
		return Event{}, err
	}
	ack := c.Deadline(c.Stage, DeadlineAcknowledge)
	counted, err := countedNow(*ack, a)
	if err != nil {
		return Event{}, err
	}
	met := a.Now
	ack.Computed, ack.MetAt, ack.MetBy = counted, &met, a.Officer
	days := Stage1RespondDays
	if c.Stage == 2 {
		days = Stage2RespondDays
	}
	computed, err := a.Cal.AddWorkingDays(a.Now, days)
	if err != nil { // the complaint is not saved on an error
		return Event{}, calendarRefusal("", err)
	}
	respond := Deadline{Stage: c.Stage, Kind: DeadlineRespond, Computed: computed}
	c.Deadlines = append(c.Deadlines, respond)
	if c.Stage == 1 {
		c.Status = StatusStage1Acknowledged
	} else {
		c.Status = StatusStage2Acknowledged
	}
	due := respond.Computed.Due
	return Event{Type: stageName(c.Stage) + ".acknowledged", Stage: c.Stage, Deadline: respond.Key(), DueAt: &due,
		Detail: map[string]any{"on_time": !ack.Computed.IsOverdue(a.Now), "respond_due_date": respond.Computed.DueDate.String()}}, nil
}

// Extend lengthens the stage's response deadline once, by at most the Code's limit, with a
// reason, before it has passed.
func (c *Complaint) Extend(a Actor, workingDays int, reason string) (Event, error) {
	if err := c.check(ActionExtend); err != nil {
		return Event{}, err
	}
	if err := c.checkStage2Officer(a.Officer); err != nil {
		return Event{}, err
	}
	limit := Stage1MaxExtensionDays
	if c.Stage == 2 {
		limit = Stage2MaxExtensionDays
	}
	if workingDays < 1 || workingDays > limit {
		return Event{}, &casework.ValidationError{Field: "working_days", Detail: fmt.Sprintf("a stage %d extension is 1 to %d working days", c.Stage, limit)}
	}
	if err := checkRequiredText("reason", reason, maxExtensionReasonChars, "an extension needs a reason (at most 2000 characters)"); err != nil {
		return Event{}, err
	}
	d := c.Deadline(c.Stage, DeadlineRespond)
	current, err := countedNow(*d, a)
	if err != nil {
		return Event{}, err
	}
	if len(current.Extensions) > 0 {
		return Event{}, &casework.RuleError{Rule: "one_extension_per_stage", Detail: fmt.Sprintf("the stage %d response of %s has already been extended once", c.Stage, c.Reference)}
	}
	if current.IsOverdue(a.Now) {
		return Event{}, &casework.RuleError{Rule: "extension_before_deadline", Detail: fmt.Sprintf("the stage %d response of %s was due by %s; an extension must be agreed before the deadline passes", c.Stage, c.Reference, current.DueDate)}
	}
	extended, err := a.Cal.Extend(current, workingDays, reason)
	if err != nil {
		return Event{}, calendarRefusal("working_days", err)
	}
	d.Computed = extended
	d.ExtendedBy = a.Officer
	due := d.Computed.Due
	return Event{Type: stageName(c.Stage) + ".extended", Stage: c.Stage, Deadline: d.Key(), DueAt: &due,
		Detail: map[string]any{"working_days": workingDays, "respond_due_date": d.Computed.DueDate.String()}}, nil
}

// Respond gives the stage's outcome and remedies and meets the response deadline.
func (c *Complaint) Respond(a Actor, outcome Outcome, summary string, remedies []string) (Event, error) {
	if err := c.check(ActionRespond); err != nil {
		return Event{}, err
	}
	if err := c.checkStage2Officer(a.Officer); err != nil {
		return Event{}, err
	}
	if !outcome.Valid() {
		return Event{}, &casework.ValidationError{Field: "outcome", Detail: "must be upheld, partly_upheld or not_upheld"}
	}
	if err := checkText("summary", summary, true); err != nil {
		return Event{}, err
	}
	if len(remedies) > maxRemedies {
		return Event{}, &casework.ValidationError{Field: "remedies", Detail: fmt.Sprintf("at most %d remedies", maxRemedies)}
	}
	for i, r := range remedies {
		if err := checkRequiredText(fmt.Sprintf("remedies/%d", i), r, maxRemedyLength, "a remedy is 1 to 2000 characters, not white space alone"); err != nil {
			return Event{}, err
		}
	}
	if outcome == OutcomeNotUpheld && len(remedies) > 0 {
		return Event{}, &casework.ValidationError{Field: "remedies", Detail: "a complaint not upheld has no remedies"}
	}
	d := c.Deadline(c.Stage, DeadlineRespond)
	counted, err := countedNow(*d, a)
	if err != nil {
		return Event{}, err
	}
	met := a.Now
	d.Computed, d.MetAt, d.MetBy = counted, &met, a.Officer
	onTime := !d.Computed.IsOverdue(a.Now)
	if c.Responses == nil {
		c.Responses = map[int]*Response{}
	}
	c.Responses[c.Stage] = &Response{Outcome: outcome, Summary: summary, Remedies: slices.Clone(remedies), RespondedAt: a.Now, RespondedBy: a.Officer, OnTime: onTime}
	if c.Stage == 1 {
		c.Status = StatusStage1Responded
	} else {
		c.Status = StatusStage2Responded
	}
	return Event{Type: stageName(c.Stage) + ".responded", Stage: c.Stage, Outcome: outcome,
		Detail: map[string]any{"outcome": string(outcome), "on_time": onTime, "remedies": len(remedies)}}, nil
}

// Escalate takes a complaint the complainant is still dissatisfied with to stage 2, under a
// handler who did not handle stage 1, their request received now.
func (c *Complaint) Escalate(a Actor, furtherDetails, handler string) (Event, error) {
	return c.EscalateReceived(a, furtherDetails, handler, time.Time{})
}

// EscalateReceived is Escalate for a stage 2 request received at receivedAt (zero: now):
// the stage 2 acknowledgement clock runs from when the complainant's request arrived, which
// is not in the future and not before the stage 1 response. A complaint closed after its
// stage 1 response, or sent back by the Ombudsman as premature, is reopened at stage 2
// (retention is fixed again by the next closure).
func (c *Complaint) EscalateReceived(a Actor, furtherDetails, handler string, receivedAt time.Time) (Event, error) {
	if err := c.check(ActionEscalate); err != nil {
		return Event{}, err
	}
	if err := checkText("further_details", furtherDetails, true); err != nil {
		return Event{}, err
	}
	if blank(handler) {
		return Event{}, &casework.ValidationError{Field: "handler", Detail: "stage 2 needs a handling officer"}
	}
	if err := checkIdentifier("handler", handler); err != nil { // an officer's id: never trimmed
		return Event{}, err
	}
	received, receivedField := receivedAt, "received_at"
	if received.IsZero() {
		received, receivedField = a.Now, ""
	} else {
		if err := calendar.Happened(received, a.Now, calendar.Limit{}); err != nil {
			return Event{}, &casework.ValidationError{Field: "received_at", Detail: err.Error()}
		}
		if r := c.Responses[1]; r != nil && received.Before(r.RespondedAt) {
			return Event{}, &casework.ValidationError{Field: "received_at",
				Detail: fmt.Sprintf("cannot be before the stage 1 response (%s)", r.RespondedAt.UTC().Format(time.RFC3339))}
		}
	}
	if c.handledStage1(handler) {
		return Event{}, c.stage2IndependenceError(handler)
	}
	computed, err := a.Cal.AddWorkingDays(received, AcknowledgeWorkingDays)
	if err != nil { // the complaint is not saved on an error
		return Event{}, calendarRefusal(receivedField, err)
	}
	if c.Status == StatusClosed { // reopened: the next closure fixes retention again
		c.ClosedAt, c.RetentionDue = nil, calendar.Date{}
	}
	c.Stage = 2
	c.Status = StatusStage2Received
	c.Stage2Details = furtherDetails
	c.Stage2Handler = handler
	ack := Deadline{Stage: 2, Kind: DeadlineAcknowledge, Computed: computed}
	c.Deadlines = append(c.Deadlines, ack)
	due := ack.Computed.Due
	return Event{Type: "stage2.received", Stage: 2, Deadline: ack.Key(), DueAt: &due,
		Detail: map[string]any{"handler": handler, "acknowledge_due_date": ack.Computed.DueDate.String()}}, nil
}

// Close ends the complaint; retention runs from here.
func (c *Complaint) Close(a Actor, reason string, retentionEnds calendar.Date) (Event, error) {
	if err := c.check(ActionClose); err != nil {
		return Event{}, err
	}
	responded := c.Status == StatusStage1Responded || c.Status == StatusStage2Responded || c.Status == StatusStage3Decided
	if c.Status == StatusStage3Decided {
		if open := c.outstandingRemedies(); len(open) > 0 {
			return Event{}, &casework.RuleError{Rule: "remedies_outstanding",
				Detail: fmt.Sprintf("%s cannot be closed while the Ombudsman's remedies %s are not complied with", c.Reference, joinInts(open))}
		}
	}
	// The reason is kept as sent; white space alone is no reason where one is needed.
	if !responded && blank(reason) {
		return Event{}, &casework.ValidationError{Field: "reason", Detail: "closing before a response (for example, withdrawn) needs a reason"}
	}
	if err := checkLength("reason", reason, maxClosureReasonLength); err != nil {
		return Event{}, err
	}
	now := a.Now
	c.ClosedAt = &now
	c.ClosureReason = reason
	c.Status = StatusClosed
	c.RetentionDue = retentionEnds
	return Event{Type: "closed", Stage: c.Stage,
		Detail: map[string]any{"after_response": responded, "retention_due": retentionEnds.String()}}, nil
}

// countedNow is d, the running deadline an officer acts on, counted with the actor's
// bank-holiday table. A holiday announced since d was counted moves it (RecomputeDeadlines),
// and must move it before it is judged met on time or extended, also when the sweep has not
// reached the complaint yet: extended as it stood, d would record the new table on a date
// counted without the new holiday, and no sweep would move it again.
func countedNow(d Deadline, a Actor) (calendar.Deadline, error) {
	if d.Computed.HolidayTableVersion == a.Cal.HolidayTableVersion() || d.Computed.Stopped() {
		return d.Computed, nil
	}
	recomputed, err := a.Cal.Recompute(d.Computed)
	if err != nil { // the complaint is not saved on an error
		return calendar.Deadline{}, calendarRefusal("", err)
	}
	return recomputed, nil
}

// MarkOverdue records, once, that a running deadline passed unmet.
func (c *Complaint) MarkOverdue(stage int, kind DeadlineKind, now time.Time) (Event, bool) {
	d := c.Deadline(stage, kind)
	if d == nil || !c.Running(*d) || d.OverdueAt != nil || !d.Computed.IsOverdue(now) {
		return Event{}, false
	}
	at := now
	d.OverdueAt = &at
	due := d.Computed.Due
	return Event{Type: "deadline.overdue", Stage: stage, Deadline: d.Key(), DueAt: &due,
		Detail: map[string]any{"deadline": d.Key(), "due_date": d.Computed.DueDate.String()}}, true
}

// checkText refuses free text longer than the contract's 20000 characters, or blank when
// required; the text is stored as sent.
func checkText(field, value string, required bool) error {
	if required && blank(value) {
		return &casework.ValidationError{Field: field, Detail: "is required"}
	}
	return checkLength(field, value, maxTextLength)
}
