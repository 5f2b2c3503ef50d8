package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// Status is where the investigation is in its lifecycle.
type Status string

const (
	StatusReceived      Status = "received"
	StatusTriaged       Status = "triaged"
	StatusInvestigating Status = "investigating"
	StatusActionTaken   Status = "action_taken"
	StatusProsecution   Status = "prosecution"
	StatusOutcome       Status = "outcome"
	StatusClosed        Status = "closed"
)

// Action is a lifecycle step.
type Action string

const (
	ActionTriage      Action = "triage"
	ActionInvestigate Action = "investigate"
	ActionTakeAction  Action = "take_action"
	ActionProsecute   Action = "prosecute"
	ActionOutcome     Action = "record_outcome"
	ActionClose       Action = "close"
)

// allowed is the lifecycle: from each status, the steps that may be taken.
var allowed = map[Status][]Action{
	StatusReceived:      {ActionTriage, ActionOutcome},
	StatusTriaged:       {ActionInvestigate, ActionOutcome},
	StatusInvestigating: {ActionTakeAction, ActionProsecute, ActionOutcome},
	StatusActionTaken:   {ActionTakeAction, ActionProsecute, ActionOutcome, ActionClose},
	StatusProsecution:   {ActionOutcome},
	StatusOutcome:       {ActionClose},
	StatusClosed:        {},
}

// AllowedActions lists the steps possible now.
func (c *Investigation) AllowedActions() []Action { return slices.Clone(allowed[c.Status]) }

func (c *Investigation) check(a Action) error {
	if !slices.Contains(allowed[c.Status], a) {
		return &TransitionError{Kind: Kind, Action: a, Status: c.Status, Allowed: c.AllowedActions()}
	}
	if c.Erased() {
		return ErrErased
	}
	return nil
}

// Triage accepts the report for assessment.
func (c *Investigation) Triage() (Event, error) {
	if err := c.check(ActionTriage); err != nil {
		return Event{}, err
	}
	c.Status = StatusTriaged
	return Event{Type: "triaged"}, nil
}

// Investigate starts the investigation.
func (c *Investigation) Investigate() (Event, error) {
	if err := c.check(ActionInvestigate); err != nil {
		return Event{}, err
	}
	c.Status = StatusInvestigating
	return Event{Type: "investigating"}, nil
}

// TakeAction records an enforcement step: its kind, the person it is addressed to and, for a
// community protection warning, the date by which the conduct must change (actions.go).
func (c *Investigation) TakeAction(in NewAction, officer string, at time.Time) (Event, error) {
	if err := c.check(ActionTakeAction); err != nil {
		return Event{}, err
	}
	if !slices.Contains(ActionKinds, in.Kind) {
		return Event{}, &casework.ValidationError{Field: "kind", Detail: "must be one of " + strings.Join(ActionKinds, ", ")}
	}
	a := EnforcementAction{Kind: in.Kind, Notes: in.Notes, At: at, By: officer}
	var err error
	if a.PersonID, err = c.addressee(in.Kind, in.PersonID); err != nil {
		return Event{}, err
	}
	if err := c.oldEnough(a); err != nil {
		return Event{}, err
	}
	if a.ComplyBy, err = complyBy(in.Kind, in.ComplyBy, at); err != nil {
		return Event{}, err
	}
	if err := c.actionInOrder(a); err != nil {
		return Event{}, err
	}
	c.Actions = append(c.Actions, a)
	c.Status = StatusActionTaken
	detail := map[string]any{"action": a.Kind} // ids, dates and controlled values only: the audit row's
	if a.PersonID != "" {
		detail["person_id"], detail["role"] = a.PersonID, string(c.Person(a.PersonID).Role)
	}
	if a.ComplyBy != "" {
		detail["comply_by"] = a.ComplyBy
	}
	return Event{Type: "action_taken", Outcome: a.Kind, Detail: detail}, nil
}

// Prosecute refers the matter for prosecution.
func (c *Investigation) Prosecute() (Event, error) {
	if err := c.check(ActionProsecute); err != nil {
		return Event{}, err
	}
	c.Status = StatusProsecution
	return Event{Type: "prosecution"}, nil
}

// RecordOutcome ends the enforcement. Conviction and acquittal follow a prosecution only.
func (c *Investigation) RecordOutcome(o Outcome) (Event, error) {
	if err := c.check(ActionOutcome); err != nil {
		return Event{}, err
	}
	switch o.Kind {
	case OutcomeConviction, OutcomeAcquittal:
		if c.Status != StatusProsecution {
			return Event{}, &casework.RuleError{Rule: "outcome_needs_prosecution",
				Detail: fmt.Sprintf("a %s follows a prosecution; %s is %s", o.Kind, c.Reference, c.Status)}
		}
	case OutcomeNoFurtherAction:
	default:
		return Event{}, &casework.ValidationError{Field: "outcome", Detail: "must be conviction, acquittal or no_further_action"}
	}
	if o.Kind == OutcomeConviction {
		if err := c.validConviction(&o); err != nil {
			return Event{}, err
		}
	}
	c.Outcome = &o
	c.Status = StatusOutcome
	return Event{Type: "outcome.recorded", Outcome: string(o.Kind), Detail: map[string]any{"outcome": string(o.Kind)}}, nil
}

// ConvictableRoles are the roles of the people a conviction may name.
var ConvictableRoles = []Role{RoleSubject, RoleOwner}

func (c *Investigation) validConviction(o *Outcome) error {
	for _, f := range []struct{ name, value string }{{"offence", o.Offence}, {"court", o.Court}, {"date", o.Date}, {"sentence", o.Sentence}} {
		if strings.TrimSpace(f.value) == "" {
			return &casework.ValidationError{Field: f.name, Detail: "a conviction needs the " + f.name}
		}
	}
	// The notice keeps a conviction for the longer of the sentence and 7 years, so the
	// length must be stated, never assumed; "none" says the sentence has no term.
	if strings.TrimSpace(o.SentenceLength) == "" {
		return &casework.ValidationError{Field: "sentence_length", Detail: "a conviction needs the length of the sentence for retention, " +
			"such as 18m or 2y; write " + NoSentenceTerm + " for a sentence with no term (a fine, a discharge)"}
	}
	// Convicted after the report that started the case, and not in the future (RecordedAt is now).
	received := calendar.Limit{Date: calendar.DateOf(c.ReceivedAt), Name: "the day the report was received"}
	if _, err := checkDay("date", o.Date, received, today(o.RecordedAt)); err != nil {
		return err
	}
	// Left out, the person convicted is the case's only subject: with more than one, naming
	// none would publish the first one's name as the offender's, so the conviction names them.
	if o.PersonID == "" {
		switch subjects := c.withRoles(RoleSubject); {
		case len(subjects) == 1:
			o.PersonID = subjects[0]
		case len(subjects) > 1:
			return &casework.ValidationError{Field: "person_id", Detail: fmt.Sprintf(
				"is required: the case has %d people in the subject role; name the one convicted", len(subjects))}
		}
	}
	// The person convicted is one the law makes answer for the conduct: the subject, or an
	// owner who did not comply with a notice served on them (ASBCPA 2014 s48, EPA 1990 s80(4)).
	p := c.Person(o.PersonID)
	if p == nil || !slices.Contains(ConvictableRoles, p.Role) {
		return &casework.ValidationError{Field: "person_id", Detail: "must name the person convicted: a person on the case in the subject or owner role"}
	}
	if p.Role == RoleOwner && !c.servedOn(p.ID) {
		return &casework.ValidationError{Field: "person_id", Detail: fmt.Sprintf("must name the person convicted: an owner only once a notice "+
			"(%s) was served on them, as not complying with it is the offence; %s has none to person %s", kindList(NoticeKinds), c.Reference, p.ID)}
	}
	return nil
}

// NoticeKinds are the steps that serve a notice on the person they are addressed to, which
// it is an offence not to comply with: a community protection notice (ASBCPA 2014 s48), an
// abatement notice (EPA 1990 s80(4)), another notice served (such as TCPA 1990 s215) and a
// fixed penalty notice, which unpaid leaves the offence to prosecute. A warning, a seizure,
// works in default or a licence action serves none.
var NoticeKinds = []string{KindCPN, "abatement_notice", "notice_served", "fixed_penalty"}

// servedOn reports whether a notice was served on the person on this case.
func (c *Investigation) servedOn(personID string) bool {
	return slices.ContainsFunc(c.Actions, func(a EnforcementAction) bool {
		return a.PersonID == personID && slices.Contains(NoticeKinds, a.Kind)
	})
}

// kindList words kinds for a refusal: "community protection notice, abatement notice or ...".
func kindList(kinds []string) string {
	words := make([]string, len(kinds))
	for i, k := range kinds {
		words[i] = casework.Readable(k)
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// Close ends the service; the case file's retention clock starts.
func (c *Investigation) Close(reason string, at time.Time) (Event, error) {
	if err := c.check(ActionClose); err != nil {
		return Event{}, err
	}
	// Stored exactly as sent; white space only is no reason.
	if Blank(reason) || Chars(reason) > MaxReasonChars {
		return Event{}, &casework.ValidationError{Field: "reason", Detail: fmt.Sprintf("say why the case is closed (at most %d characters)", MaxReasonChars)}
	}
	c.Status = StatusClosed
	c.ClosedAt = &at
	c.ClosedReason = reason
	return Event{Type: "closed"}, nil
}
