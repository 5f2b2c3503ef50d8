package domain

import (
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// Data subject rights on a decision (UK GDPR Art 16 and 17), asked by the council's rights
// service on the offender's behalf.

// GroundDecisionPending is the notice's ground for refusing to erase a conviction the
// council is still deciding whether to publish (UK GDPR Art 17(3)(b)).
const GroundDecisionPending = "decision_pending"

// ErasureGrounds are the notice's grounds (erasure_may_be_refused_for) ErasureRefusal gives.
var ErasureGrounds = []string{casework.GroundPublicTask, casework.GroundLegalClaims, GroundDecisionPending}

// ErasureRefusal is why the decision's personal data may not be erased on request now, or
// nil: an entry on the public register (until it comes down), the notice's public task; a
// decision whether to publish still being made, until the retention of an undecided
// conviction ends (decision_pending); and once an entry that was published has come down,
// the record of how the council decided, kept until its retention ends for a claim arising
// from the publication (the notice's legal_claims: the 6 years cover the Limitation Act's
// period). A decision never published has no such claim to meet, nor one whose retention
// ended by today, which the retention sweep is about to erase.
func (d *Decision) ErasureRefusal(today calendar.Date) error {
	running := !d.RetentionDue.IsZero() && today.Before(d.RetentionDue)
	switch d.Status {
	case StatusPublished:
		return casework.ErasureRefusal(d.Reference, false, "is on the public register until "+d.Takedown.On.String())
	case StatusToDecide, StatusAwaitingApproval:
		if d.RetentionDue.IsZero() || running {
			fact := d.Reference + " is still being decided (" + casework.Readable(d.Status) + ")"
			if !d.RetentionDue.IsZero() {
				fact += "; unless a decision is approved first, its personal data is erased on " + d.RetentionDue.String()
			}
			return &casework.ErasureRefusedError{Ground: GroundDecisionPending, Fact: fact}
		}
		return nil
	}
	if !d.PublishedOn.IsZero() && running {
		return &casework.ErasureRefusedError{Ground: casework.GroundLegalClaims, Fact: d.Reference + " was published on " +
			d.PublishedOn.String() + "; the record of the decision is kept until " + d.RetentionDue.String() +
			", within which a claim arising from the publication may be brought"}
	}
	return nil
}

// EraseOnRequest erases the decision's personal data at the offender's request, as
// retention would, unless the notice's ground to refuse applies. Already erased reports
// false: a repeated request changes nothing.
func (d *Decision) EraseOnRequest(a Actor) (Event, bool, error) {
	if d.Erased() {
		return Event{}, false, nil
	}
	if err := d.ErasureRefusal(calendar.DateOf(a.Now)); err != nil {
		return Event{}, false, err
	}
	d.erasePersonalData(a)
	return Event{Type: "rights.erased", Detail: map[string]any{}}, true, nil
}

// Rectify corrects one of the conviction's details the register shows: name, town,
// offence, court, date of conviction or sentence (all but the town are required; the town
// is never a street address, and the date is not in the future). It reports false when the
// value is already the one held, so a repeated request changes nothing.
//
// A corrected date or sentence changes when the conviction is spent. A published entry's
// takedown is planned again from a corrected date (an earlier spent date wins, one already
// passed takes the entry down at once, with the takedown event); a corrected sentence, in
// the court's words, does not say the sentence as the rehabilitation rules need it, so the
// entry leaves the register until an officer amends it (AmendSentence), and a draft awaiting
// approval must be drafted again (as it must when a corrected date no longer fits its
// sentence).
func (d *Decision) Rectify(field, value string, retentionDue calendar.Date, a Actor) (Event, bool, error) {
	if d.Erased() {
		return Event{}, false, ErrErased
	}
	required := func(v string) error {
		if v == "" {
			return &casework.ValidationError{Field: field, Detail: "is required on the register"}
		}
		return nil
	}
	c := &d.Conviction
	date, newDate := c.Date.String(), c.Date
	changed, err := casework.Rectify([]casework.Detail{
		{Name: "name", Value: &c.Name, Max: 200, Check: required},
		{Name: "town", Value: &c.Town, Max: 100, Check: func(v string) error { return CheckTown(field, v) }},
		{Name: "offence", Value: &c.Offence, Max: 2000, Check: required}, {Name: "court", Value: &c.Court, Max: 500, Check: required},
		{Name: "date", Value: &date, Check: func(v string) error {
			parsed, err := calendar.ParseDate(v)
			if err != nil {
				return &casework.ValidationError{Field: field, Detail: "must be a date (YYYY-MM-DD)"}
			}
			newDate = parsed
			return CheckConvictionDate(field, parsed, a.Today())
		}},
		{Name: "sentence", Value: &c.Sentence, Max: 2000, Check: required},
	}, field, value)
	if err != nil || !changed {
		return Event{}, false, err
	}
	c.Date = newDate
	e := Event{Type: "rights.rectified", Detail: map[string]any{"field": field}}
	drafted := d.Draft != nil && (d.Status == StatusPublished || d.Status == StatusAwaitingApproval)
	switch {
	case !drafted || field != "sentence" && field != "date":
	case field == "sentence" || d.Draft.Sentence.Validate(c.Date) != nil:
		d.SentenceToAmend = true
	case d.Status == StatusPublished:
		if down, ok := d.replan(retentionDue, a, "the date of conviction as corrected"); ok {
			down.Detail["field"] = field
			return down, true, nil
		}
	}
	return e, true, nil
}
