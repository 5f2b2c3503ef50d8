package domain

import (
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// Data subject rights on a decision (UK GDPR Art 16 and 17), asked by the council's rights
// service on the offender's behalf.

// ErasureRefusal is why the decision's personal data may not be erased on request now, or
// nil: an entry on the public register (until it comes down), or a decision whether to
// publish still being made, both the notice's public task; and once an entry that was
// published has come down, the record of how the council decided, kept until its retention
// ends for a claim arising from the publication (the notice's legal_claims: the 6 years
// cover the Limitation Act's period). A decision never published has no such claim to meet,
// nor one whose retention ended by today, which the retention sweep is about to erase.
func (d *Decision) ErasureRefusal(today calendar.Date) error {
	open := ""
	switch d.Status {
	case StatusPublished:
		open = "is on the public register until " + d.Takedown.On.String()
	case StatusToDecide, StatusAwaitingApproval:
		open = "is still being decided (" + casework.Readable(d.Status) + ")"
	}
	if open == "" && !d.PublishedOn.IsZero() && !d.RetentionDue.IsZero() && today.Before(d.RetentionDue) {
		return &casework.ErasureRefusedError{Ground: casework.GroundLegalClaims, Fact: d.Reference + " was published on " +
			d.PublishedOn.String() + "; the record of the decision is kept until " + d.RetentionDue.String() +
			", within which a claim arising from the publication may be brought"}
	}
	return casework.ErasureRefusal(d.Reference, false, open)
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
// offence, court or sentence (all but the town are required). It reports false when the
// value is already the one held, so a repeated request changes nothing.
func (d *Decision) Rectify(field, value string) (Event, bool, error) {
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
	changed, err := casework.Rectify([]casework.Detail{
		{Name: "name", Value: &c.Name, Check: required}, {Name: "town", Value: &c.Town},
		{Name: "offence", Value: &c.Offence, Check: required}, {Name: "court", Value: &c.Court, Check: required},
		{Name: "sentence", Value: &c.Sentence, Check: required},
	}, field, value)
	if err != nil || !changed {
		return Event{}, false, err
	}
	return Event{Type: "rights.rectified", Detail: map[string]any{"field": field}}, true, nil
}
