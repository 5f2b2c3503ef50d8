package domain

import (
	"fmt"
	"slices"
	"strings"

	"casework.dev/pkg/calendar"
)

// Action is a change an officer or manager asks for.
type Action string

const (
	ActionDraft        Action = "draft"
	ActionSendBack     Action = "send_back"
	ActionApprove      Action = "approve"
	ActionRecordAppeal Action = "record_appeal"
	ActionTakeDown     Action = "take_down"
)

var allowed = map[Status][]Action{
	StatusToDecide:          {ActionDraft, ActionRecordAppeal},
	StatusAwaitingApproval:  {ActionApprove, ActionSendBack, ActionRecordAppeal},
	StatusPublished:         {ActionTakeDown, ActionRecordAppeal},
	StatusNotPublished:      {ActionRecordAppeal},
	StatusTakenDown:         {ActionRecordAppeal},
	StatusConvictionQuashed: {},
}

// AllowedActions lists what may be done to the decision now.
func (d *Decision) AllowedActions() []Action {
	if d.Erased() {
		return []Action{}
	}
	return slices.Clone(allowed[d.Status])
}

func (d *Decision) check(a Action) error {
	if d.Erased() {
		return ErrErased
	}
	if !slices.Contains(d.AllowedActions(), a) {
		return &TransitionError{Kind: Kind, Action: a, Status: d.Status, Allowed: d.AllowedActions()}
	}
	return nil
}

// Receive opens a decision for a conviction. The conviction must name the offender, the
// offence, the court, the date and the sentence.
func Receive(id string, src Source, c Conviction, a Actor) (*Decision, Event, error) {
	for _, f := range []struct{ field, value string }{
		{"name", c.Name}, {"offence", c.Offence}, {"court", c.Court}, {"sentence", c.Sentence}} {
		if strings.TrimSpace(f.value) == "" {
			return nil, Event{}, &ValidationError{Field: "conviction/" + f.field, Detail: "is missing"}
		}
	}
	if c.Date.IsZero() || c.Date.After(a.Today()) {
		return nil, Event{}, &ValidationError{Field: "conviction/date", Detail: "must be the date of conviction, not in the future"}
	}
	d := &Decision{ID: id, Source: src, Conviction: c, Status: StatusToDecide, ReceivedAt: a.Now}
	return d, Event{Type: "conviction.received", Detail: map[string]any{"source": src.Kind, "team": src.Team}}, nil
}

// SubmitDraft records the officer's decision and submits it for approval.
func (d *Decision) SubmitDraft(dr Draft, a Actor) (Event, error) {
	if err := d.check(ActionDraft); err != nil {
		return Event{}, err
	}
	if err := dr.validate(d.Conviction.Date); err != nil {
		return Event{}, err
	}
	if dr.Outcome.Publishes() {
		if err := publishable(dr, d.Conviction.Date, a); err != nil {
			return Event{}, err
		}
	}
	d.Draft, d.DraftedBy, d.DraftedAt, d.Status = &dr, a.Officer, &a.Now, StatusAwaitingApproval
	return Event{Type: "drafted", Detail: map[string]any{"outcome": string(dr.Outcome)}}, nil
}

// SendBack returns the draft to the officers with the manager's reason.
func (d *Decision) SendBack(reason string, a Actor) (Event, error) {
	if err := d.check(ActionSendBack); err != nil {
		return Event{}, err
	}
	if err := d.fourEyes(a, "send back"); err != nil {
		return Event{}, err
	}
	d.SentBack, d.Status = &Note{By: a.Officer, At: a.Now, Reason: reason}, StatusToDecide
	return Event{Type: "sent_back", Detail: map[string]any{}}, nil
}

// Approve makes the draft the council's decision. Publishing puts the entry on the
// register with its takedown plan (publicationMonths from today, or the spent date if
// sooner); not publishing ends the case, kept until retentionDue.
func (d *Decision) Approve(publicationMonths int, retentionDue calendar.Date, a Actor) (Event, error) {
	if err := d.check(ActionApprove); err != nil {
		return Event{}, err
	}
	if err := d.fourEyes(a, "approve"); err != nil {
		return Event{}, err
	}
	d.ApprovedBy, d.ApprovedAt = a.Officer, &a.Now
	if !d.Draft.Outcome.Publishes() {
		d.Status, d.RetentionDue = StatusNotPublished, retentionDue
		return Event{Type: "not_published", Detail: map[string]any{"outcome": string(d.Draft.Outcome)}}, nil
	}
	if err := publishable(*d.Draft, d.Conviction.Date, a); err != nil {
		return Event{}, err
	}
	plan := PlanTakedown(a, publicationMonths, Rehabilitate(a.Cal, d.Conviction.Date, d.Draft.Sentence, d.Draft.Offender.Under18()))
	if !a.Today().Before(plan.On) {
		return Event{}, &RuleError{Rule: "publication_period_empty", Detail: "the publication period ends today; there is nothing to publish"}
	}
	d.Status, d.PublishedOn, d.Takedown = StatusPublished, a.Today(), &plan
	return Event{Type: "published", Detail: map[string]any{"outcome": string(d.Draft.Outcome),
		"takedown_on": plan.On.String(), "takedown_reason": string(plan.Reason)}}, nil
}

// PlanTakedown puts the entry's end at the council's publication period from today, or the
// day the conviction becomes spent, whichever comes first: never past the spent date.
func PlanTakedown(a Actor, publicationMonths int, r Rehabilitation) TakedownPlan {
	period := a.Cal.AddMonths(a.Now, publicationMonths)
	plan := TakedownPlan{On: period.DueDate, Reason: TakedownPublicationPeriod, PublicationPeriod: period, Rehabilitation: r}
	if !r.NeverSpent && !r.SpentOn.After(plan.On) {
		plan.On, plan.Reason = r.SpentOn, TakedownSpent
	}
	return plan
}

// RecordAppeal records that an appeal against the conviction succeeded. A published entry
// comes down at once; anything else can no longer be published.
func (d *Decision) RecordAppeal(ap Appeal, retentionDue calendar.Date, a Actor) (Event, error) {
	if err := d.check(ActionRecordAppeal); err != nil {
		return Event{}, err
	}
	if ap.DecidedOn.Before(d.Conviction.Date) || ap.DecidedOn.After(a.Today()) {
		return Event{}, &ValidationError{Field: "decided_on", Detail: "must fall between the conviction and today"}
	}
	ap.RecordedBy, ap.RecordedAt = a.Officer, a.Now
	d.Appeal = &ap
	if d.Status == StatusPublished {
		return d.takeDown(TakedownAppeal, "appeal allowed", retentionDue, a), nil
	}
	d.Status, d.RetentionDue = StatusConvictionQuashed, retentionDue
	return Event{Type: "conviction.quashed", Detail: map[string]any{}}, nil
}

// TakeDown is a manager's manual takedown, with a reason.
func (d *Decision) TakeDown(reason string, retentionDue calendar.Date, a Actor) (Event, error) {
	if err := d.check(ActionTakeDown); err != nil {
		return Event{}, err
	}
	return d.takeDown(TakedownManual, reason, retentionDue, a), nil
}

// TakeDownIfDue takes the entry down when its planned day has come; false when it has not
// (or it is no longer published).
func (d *Decision) TakeDownIfDue(retentionDue calendar.Date, a Actor) (Event, bool) {
	if d.Status != StatusPublished || d.Showing(a.Today()) {
		return Event{}, false
	}
	return d.takeDown(d.Takedown.Reason, "takedown date "+d.Takedown.On.String()+" reached", retentionDue, a), true
}

func (d *Decision) takeDown(why TakedownReason, note string, retentionDue calendar.Date, a Actor) Event {
	d.Status, d.TakedownReason, d.RetentionDue = StatusTakenDown, why, retentionDue
	d.TakenDown = &Note{By: a.Officer, At: a.Now, Reason: note}
	detail := map[string]any{"takedown_reason": string(why)}
	if d.PressReleaseID != "" {
		detail["press_release_id"] = d.PressReleaseID
	}
	return Event{Type: "taken_down", Detail: detail}
}

// DueForErasure reports whether retention has ended.
func (d *Decision) DueForErasure(today calendar.Date) bool {
	return !d.Erased() && !d.RetentionDue.IsZero() && !today.Before(d.RetentionDue)
}

// Erase removes the personal data; the anonymous facts of the decision stay.
func (d *Decision) Erase(a Actor) (Event, error) {
	if !d.DueForErasure(a.Today()) {
		return Event{}, &RuleError{Rule: "retention_running", Detail: "the retention period has not ended"}
	}
	d.erasePersonalData(a)
	return Event{Type: "erased", Detail: map[string]any{}}, nil
}

// erasePersonalData removes the conviction's details and the decision's reasoning about the
// offender; the date and the anonymous facts of the decision stay.
func (d *Decision) erasePersonalData(a Actor) {
	d.Conviction, d.Draft, d.SentBack, d.TakenDown, d.Appeal = Conviction{Date: d.Conviction.Date}, nil, nil, nil, nil
	d.ErasedAt = &a.Now
}

func (d *Decision) fourEyes(a Actor, what string) error {
	if a.Officer == d.DraftedBy {
		return &RuleError{Rule: "four_eyes", Detail: fmt.Sprintf("%s drafted this decision; a manager who did not draft it must %s it", a.Officer, what)}
	}
	return nil
}

// publishable refuses what may never be published: a child's conviction, or one already spent.
func publishable(dr Draft, convicted calendar.Date, a Actor) error {
	if dr.Offender.Under18() {
		return &RuleError{Rule: "under_18_never_published",
			Detail: "the offender was under 18 at conviction: the council never publishes children's convictions " +
				"(reporting restrictions: Children and Young Persons Act 1933 s49, Youth Justice and Criminal Evidence Act 1999 s45)"}
	}
	r := Rehabilitate(a.Cal, convicted, dr.Sentence, dr.Offender.Under18())
	if !r.NeverSpent && !a.Today().Before(r.SpentOn) {
		return &RuleError{Rule: "conviction_spent",
			Detail: fmt.Sprintf("the conviction became spent on %s (%s); a spent conviction is never published", r.SpentOn, r.Rule)}
	}
	return nil
}

func (dr Draft) validate(convicted calendar.Date) error {
	factors := []struct {
		name string
		f    Factor
	}{{"significance", dr.Factors.Significance}, {"community_effect", dr.Factors.CommunityEffect},
		{"frequency", dr.Factors.Frequency}, {"publicity", dr.Factors.Publicity}}
	for _, f := range factors {
		if !slices.Contains(Ratings, f.f.Rating) {
			return &ValidationError{Field: "factors/" + f.name + "/rating", Detail: "must be none, low, medium or high"}
		}
		if strings.TrimSpace(f.f.Reason) == "" {
			return &ValidationError{Field: "factors/" + f.name + "/reason", Detail: "give the reason for the rating"}
		}
	}
	switch {
	case dr.Offender.AgeAtConviction < 10 || dr.Offender.AgeAtConviction > 120:
		return &ValidationError{Field: "offender/age_at_conviction", Detail: "must be the offender's age in years at conviction (10 to 120)"}
	case strings.TrimSpace(dr.Proportionality.Conclusion) == "":
		return &ValidationError{Field: "proportionality/conclusion", Detail: "give the conclusion of the balance"}
	case !slices.Contains([]Outcome{OutcomePublishWebsite, OutcomePublishAndPress, OutcomeDoNotPublish}, dr.Outcome):
		return &ValidationError{Field: "outcome", Detail: "must be publish_website, publish_and_press or do_not_publish"}
	case strings.TrimSpace(dr.Reasons) == "":
		return &ValidationError{Field: "reasons", Detail: "give the reasons for the outcome"}
	case dr.Outcome.Publishes() && !dr.Proportionality.Proportionate:
		return &ValidationError{Field: "proportionality/proportionate", Detail: "publishing needs the conclusion that it is proportionate"}
	}
	return dr.Sentence.Validate(convicted)
}
