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
	// ActionAmendSentence drafts a published entry's sentence again for the rehabilitation
	// rules and re-plans its takedown.
	ActionAmendSentence Action = "amend_sentence"
)

var allowed = map[Status][]Action{
	StatusToDecide:          {ActionDraft, ActionRecordAppeal},
	StatusAwaitingApproval:  {ActionApprove, ActionSendBack, ActionRecordAppeal},
	StatusPublished:         {ActionTakeDown, ActionRecordAppeal, ActionAmendSentence},
	StatusNotPublished:      {ActionRecordAppeal},
	StatusTakenDown:         {ActionRecordAppeal},
	StatusConvictionQuashed: {},
	StatusLapsed:            {},
}

// AllowedActions lists what may be done to the decision now.
func (d *Decision) AllowedActions() []Action {
	if d.Erased() {
		return []Action{}
	}
	return slices.Clone(allowed[d.Status])
}

// check refuses an action the status does not allow, and any action on a decision whose
// personal data is erased or whose retention has ended by today: the retention sweep is
// about to erase it (an undecided conviction is kept 1 year from receipt unless a decision
// is approved first), so nothing may be decided, published or recorded on it meanwhile.
func (d *Decision) check(act Action, today calendar.Date) error {
	if d.Erased() {
		return ErrErased
	}
	if d.DueForErasure(today) {
		return &RuleError{Rule: "erased", Detail: fmt.Sprintf("the retention of this decision's personal data ended on %s; "+
			"it is being erased under the privacy notice's retention schedule and can no longer be acted on", d.RetentionDue)}
	}
	if !slices.Contains(d.AllowedActions(), act) {
		return &TransitionError{Kind: Kind, Action: act, Status: d.Status, Allowed: d.AllowedActions()}
	}
	return nil
}

// Receive opens a decision for a conviction. The conviction must name the offender, the
// offence, the court, the date and the sentence; its town, if any, must be a town and not
// a street address. Until a decision is approved it is kept until undecidedDue (the
// notice's retention of a conviction not yet decided).
func Receive(id string, src Source, c Conviction, undecidedDue calendar.Date, a Actor) (*Decision, Event, error) {
	for _, f := range []struct{ field, value, ifBlank string }{
		{"name", c.Name, "is missing"}, {"town", c.Town, ""}, {"offence", c.Offence, "is missing"},
		{"court", c.Court, "is missing"}, {"sentence", c.Sentence, "is missing"}} {
		if err := checkText("conviction/"+f.field, f.value, f.ifBlank); err != nil {
			return nil, Event{}, err
		}
	}
	if err := CheckTown("conviction/town", c.Town); err != nil {
		return nil, Event{}, err
	}
	if err := CheckConvictionDate("conviction/date", c.Date, a.Today()); err != nil {
		return nil, Event{}, err
	}
	for _, f := range []struct{ field, value string }{{"source/team", src.Team}, {"source/case_reference", src.CaseReference}} {
		if err := checkText(f.field, f.value, ""); err != nil {
			return nil, Event{}, err
		}
	}
	d := &Decision{ID: id, Source: src, Conviction: c, Status: StatusToDecide, ReceivedAt: a.Now, RetentionDue: undecidedDue}
	return d, Event{Type: "conviction.received", Detail: map[string]any{"source": src.Kind, "team": src.Team}}, nil
}

// SubmitDraft records the officer's decision and submits it for approval.
func (d *Decision) SubmitDraft(dr Draft, a Actor) (Event, error) {
	if err := d.check(ActionDraft, a.Today()); err != nil {
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
	// A new draft drafts the sentence anew, for the conviction as it now stands.
	d.Draft, d.DraftedBy, d.DraftedAt, d.Status, d.SentenceToAmend = &dr, a.Officer, &a.Now, StatusAwaitingApproval, false
	return Event{Type: "drafted", Detail: map[string]any{"outcome": string(dr.Outcome)}}, nil
}

// SendBack returns the draft to the officers with the manager's reason.
func (d *Decision) SendBack(reason string, a Actor) (Event, error) {
	if err := d.check(ActionSendBack, a.Today()); err != nil {
		return Event{}, err
	}
	if err := d.fourEyes(a, "send back"); err != nil {
		return Event{}, err
	}
	if err := checkText("reason", reason, "give the reason for sending the draft back"); err != nil {
		return Event{}, err
	}
	d.SentBack, d.Status = &Note{By: a.Officer, At: a.Now, Reason: reason}, StatusToDecide
	return Event{Type: "sent_back", Detail: map[string]any{}}, nil
}

// Approve makes the draft the council's decision. Publishing puts the entry on the
// register with its takedown plan (publicationMonths from today, or the spent date if
// sooner); not publishing ends the case, kept until retentionDue.
func (d *Decision) Approve(publicationMonths int, retentionDue calendar.Date, a Actor) (Event, error) {
	if err := d.check(ActionApprove, a.Today()); err != nil {
		return Event{}, err
	}
	if err := d.fourEyes(a, "approve"); err != nil {
		return Event{}, err
	}
	if d.SentenceToAmend {
		return Event{}, &RuleError{Rule: "sentence_to_amend", Detail: "the conviction's sentence or date was corrected after this draft " +
			"was made, so its sentence for the rehabilitation rules may be wrong: send it back to be drafted again"}
	}
	if err := d.Draft.Sentence.Validate(d.Conviction.Date); err != nil {
		return Event{}, &RuleError{Rule: "sentence_to_amend", Detail: "the draft's sentence no longer fits the conviction as corrected (" +
			err.Error() + "): send it back to be drafted again"}
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
	// Kept from closure once it comes down; the retention of an undecided conviction no
	// longer applies.
	d.Status, d.PublishedOn, d.Takedown, d.RetentionDue = StatusPublished, a.Today(), &plan, calendar.Date{}
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

// RecordAppeal records that an appeal against the conviction succeeded: whatever the
// decision's status, the conviction is then quashed (StatusConvictionQuashed). A published
// entry comes down at once (a takedown, for the website and the press); anything else can
// no longer be published. The case ends now unless it had ended already, whose retention
// still runs from that first end. A conviction is quashed once: a second appeal is refused.
func (d *Decision) RecordAppeal(ap Appeal, retentionDue calendar.Date, a Actor) (Event, error) {
	if d.Erased() {
		return Event{}, ErrErased
	}
	if d.Appeal != nil {
		return Event{}, &RuleError{Rule: "appeal_already_recorded", Detail: fmt.Sprintf("an appeal that quashed this conviction was already "+
			"recorded (decided on %s); a conviction is quashed once, so another appeal cannot be recorded", d.Appeal.DecidedOn)}
	}
	if err := d.check(ActionRecordAppeal, a.Today()); err != nil {
		return Event{}, err
	}
	if err := calendar.Within(ap.DecidedOn, calendar.Limit{Date: d.Conviction.Date, Name: "the date of conviction"},
		calendar.Limit{Date: a.Today(), Name: "today"}); ap.DecidedOn.IsZero() || err != nil {
		return Event{}, &ValidationError{Field: "decided_on", Detail: "must fall between the conviction and today"}
	}
	if err := checkText("court", ap.Court, "name the court that allowed the appeal"); err != nil {
		return Event{}, err
	}
	if err := checkText("notes", ap.Notes, ""); err != nil {
		return Event{}, err
	}
	ap.RecordedBy, ap.RecordedAt = a.Officer, a.Now
	d.Appeal = &ap
	if d.Status == StatusPublished {
		e := d.takeDown(TakedownAppeal, "appeal allowed", retentionDue, a)
		d.Status = StatusConvictionQuashed
		return e, nil
	}
	if ended := d.Status == StatusNotPublished || d.Status == StatusTakenDown; !ended || d.RetentionDue.IsZero() {
		d.RetentionDue = retentionDue
	}
	d.Status = StatusConvictionQuashed
	return Event{Type: "conviction.quashed", Detail: map[string]any{}}, nil
}

// TakeDown is a manager's manual takedown, with a reason.
func (d *Decision) TakeDown(reason string, retentionDue calendar.Date, a Actor) (Event, error) {
	if err := d.check(ActionTakeDown, a.Today()); err != nil {
		return Event{}, err
	}
	if err := checkText("reason", reason, "give the reason for taking the entry down"); err != nil {
		return Event{}, err
	}
	return d.takeDown(TakedownManual, reason, retentionDue, a), nil
}

// AmendSentence is an officer drafting a published entry's sentence again for the
// rehabilitation rules (after the court's words were corrected, or to put a mistake right),
// and re-planning its takedown: the new spent date replaces the planned day only when it is
// earlier, so a correction never keeps an entry up longer, and one already passed takes the
// entry down at once. An entry held off the register for the amendment shows again.
func (d *Decision) AmendSentence(s Sentence, retentionDue calendar.Date, a Actor) (Event, error) {
	if err := d.check(ActionAmendSentence, a.Today()); err != nil {
		return Event{}, err
	}
	if err := s.Validate(d.Conviction.Date); err != nil {
		return Event{}, err
	}
	dr := *d.Draft
	dr.Sentence = s
	d.Draft, d.SentenceToAmend = &dr, false
	if e, down := d.replan(retentionDue, a, "the sentence as amended"); down {
		return e, nil
	}
	return Event{Type: "sentence_amended", Detail: map[string]any{"takedown_on": d.Takedown.On.String(),
		"takedown_reason": string(d.Takedown.Reason)}}, nil
}

// replan works a published entry's takedown out again from the conviction's date and the
// drafted sentence as they now are: the spent date replaces the planned day only when it is
// earlier (the publication period still runs from the day of publication), and a planned
// day already come takes the entry down now, with the takedown event; down says so.
func (d *Decision) replan(retentionDue calendar.Date, a Actor, why string) (e Event, down bool) {
	r := Rehabilitate(a.Cal, d.Conviction.Date, d.Draft.Sentence, d.Draft.Offender.Under18())
	if !r.NeverSpent && r.SpentOn.Before(d.Takedown.On) {
		plan := *d.Takedown
		plan.On, plan.Reason, plan.Rehabilitation = r.SpentOn, TakedownSpent, r
		d.Takedown = &plan
	}
	if a.Today().Before(d.Takedown.On) {
		return Event{}, false
	}
	note := fmt.Sprintf("takedown date %s reached (%s)", d.Takedown.On, why)
	return d.takeDown(d.Takedown.Reason, note, retentionDue, a), true
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
	d.Status, d.TakedownReason, d.RetentionDue, d.SentenceToAmend = StatusTakenDown, why, retentionDue, false
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
	if d.Status == StatusToDecide || d.Status == StatusAwaitingApproval {
		d.Status = StatusLapsed // so no manager is shown a decision that can no longer be made
	}
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
