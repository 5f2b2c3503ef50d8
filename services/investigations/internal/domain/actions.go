package domain

import (
	"fmt"
	"slices"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// The community protection steps of the Anti-social Behaviour, Crime and Policing Act 2014:
// a notice (CPN) may be issued to a person only if they have been given a written warning
// (CPW) that one will be issued unless their conduct changes, and they have had enough time
// to deal with the matter (s43(5)). So a warning and a notice are addressed to a person in
// the subject role, the warning states by when the conduct must change, and a notice to a
// person needs an earlier warning to that same person whose date has passed. A fixed
// penalty needs no earlier step here: one kind serves every area, and many (litter, a
// public spaces protection order, dog fouling) come with no community protection notice.
const (
	KindCPW = "community_protection_warning"
	KindCPN = "community_protection_notice"
)

// ComplyWithinMonths bounds a warning's comply_by: the Act leaves "enough time" to the
// officer, and a date more than a year after the warning is taken as a typing error.
const ComplyWithinMonths = 12

// NewAction is an enforcement step as an officer records it.
type NewAction struct {
	Kind  string
	Notes string
	// PersonID is the person the step is addressed to: a person in the subject role. A
	// warning or notice must name one when the case has more than one subject; with one,
	// it is addressed to them. Other kinds name a person or no one.
	PersonID string
	// ComplyBy is a community protection warning's date (YYYY-MM-DD) by which the conduct
	// must change; no other kind takes one.
	ComplyBy string
}

// addressedToASubject are the kinds always addressed to a person: the one whose conduct
// the warning and the notice are about.
var addressedToASubject = []string{KindCPW, KindCPN}

// addressee resolves and checks the person a step of this kind is addressed to.
func (c *Investigation) addressee(kind, personID string) (string, error) {
	if personID == "" {
		if !slices.Contains(addressedToASubject, kind) {
			return "", nil
		}
		var subjects []string
		for _, p := range c.People {
			if p.Role == RoleSubject {
				subjects = append(subjects, p.ID)
			}
		}
		switch len(subjects) {
		case 1:
			return subjects[0], nil
		case 0:
			return "", &casework.ValidationError{Field: "person_id", Detail: fmt.Sprintf(
				"is required: a %s is addressed to a person in the subject role, and the case has none; add them first", casework.Readable(kind))}
		default:
			return "", &casework.ValidationError{Field: "person_id", Detail: fmt.Sprintf(
				"is required: the case has %d people in the subject role; name the one the %s is addressed to", len(subjects), casework.Readable(kind))}
		}
	}
	p := c.Person(personID)
	switch {
	case p == nil:
		return "", &casework.ValidationError{Field: "person_id", Detail: "is not a person on this investigation"}
	case p.Role != RoleSubject:
		return "", &casework.ValidationError{Field: "person_id", Detail: fmt.Sprintf(
			"must name a person in the subject role: person %s is in the %s role", p.ID, p.Role)}
	}
	return p.ID, nil
}

// complyBy checks a warning's date to comply: after the day of the warning (the person
// needs some time) and at most ComplyWithinMonths after it, both reckoned in London.
func complyBy(kind, value string, at time.Time) (string, error) {
	if kind != KindCPW {
		if value != "" {
			return "", &casework.ValidationError{Field: "comply_by", Detail: fmt.Sprintf(
				"is only for a community protection warning; a %s sets no date to comply by", casework.Readable(kind))}
		}
		return "", nil
	}
	if value == "" {
		return "", &casework.ValidationError{Field: "comply_by", Detail: "is required: a community protection warning states the date " +
			"(YYYY-MM-DD) by which the conduct must change (Anti-social Behaviour, Crime and Policing Act 2014 s43(5))"}
	}
	day := calendar.DateOf(at)
	d, err := checkDay("comply_by", value, calendar.Limit{Date: day.AddDays(1), Name: "the day after the warning"},
		calendar.Limit{Date: day.AddMonths(ComplyWithinMonths), Name: fmt.Sprintf("%d months from the warning", ComplyWithinMonths)})
	if err != nil {
		return "", err
	}
	return d.String(), nil
}

const s43 = "Anti-social Behaviour, Crime and Policing Act 2014 s43(5)"

// actionInOrder refuses a community protection notice to a person who has no earlier
// warning (cpw_first), or whose every warning's date to comply has not yet passed
// (cpw_time_to_comply): today, in London, must be after it.
//
// A warning recorded before actions named a person and a date (investigation_actions rows
// with neither, migration 00007) counts as a warning to every subject of its case with its
// time already given, so the cases that had one are not blocked: the officer judged the time
// then.
func (c *Investigation) actionInOrder(a EnforcementAction) error {
	if a.Kind != KindCPN {
		return nil
	}
	today := calendar.DateOf(a.At)
	warned := false
	var first calendar.Date // the earliest date to comply among the warnings to the person
	for _, w := range c.Actions {
		if w.Kind != KindCPW || (w.PersonID != "" && w.PersonID != a.PersonID) {
			continue
		}
		warned = true
		if w.ComplyBy == "" {
			return nil // recorded before warnings stated a date
		}
		d, err := calendar.ParseDate(w.ComplyBy)
		if err != nil || today.After(d) {
			return nil // stored dates were checked when the warning was recorded
		}
		if first.IsZero() || d.Before(first) {
			first = d
		}
	}
	if !warned {
		return &casework.RuleError{Rule: "cpw_first", Detail: fmt.Sprintf("a community protection notice may be issued only after a written "+
			"community protection warning (%s); %s has no community protection warning to person %s", s43, c.Reference, a.PersonID)}
	}
	return &casework.RuleError{Rule: "cpw_time_to_comply", Detail: fmt.Sprintf("a community protection notice may be issued only once the "+
		"person warned has had enough time to deal with the matter (%s); the warning to person %s on %s gave until %s to change "+
		"their conduct, so a notice may be issued from %s", s43, a.PersonID, c.Reference, first, first.AddDays(1))}
}
