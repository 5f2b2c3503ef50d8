package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// The community protection steps of the Anti-social Behaviour, Crime and Policing Act 2014:
// a notice (CPN) may be issued to a person only if they have been given a written warning
// (CPW) that one will be issued unless their conduct changes, and they have had enough time
// to deal with the matter (s43(5)). So the warning states by when the conduct must change,
// and a notice to a person needs an earlier warning to that same person whose date has
// passed. A fixed penalty needs no earlier step here: one kind serves every area, and many
// (litter, a public spaces protection order, dog fouling) come with no community protection
// notice.
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
	// PersonID is the person the step is addressed to, in a role AddresseeRoles gives its
	// kind. A warning or notice must name one unless the case has exactly one subject, to
	// whom it is then addressed; other kinds name a person or no one.
	PersonID string
	// ComplyBy is a community protection warning's date (YYYY-MM-DD) by which the conduct
	// must change; no other kind takes one.
	ComplyBy string
}

// AddresseeRoles are, by kind, the roles a step may be addressed to: those the law makes
// answer for it. A subject, for every kind. An owner (of a dog, premises, a site or an item)
// for all but an injunction, which binds only the one who engaged in the behaviour (ASBCPA
// 2014 s1): conduct on premises is its owner's or occupier's (ASBCPA s44, s45), so a CPW,
// a CPN and what follows them (s47 works in default, s52 fixed penalty); an abatement notice
// (EPA 1990 s80(2)); an owner-or-occupier notice (TCPA 1990 s215, Prevention of Damage by
// Pests Act 1949 s4); a seizure of what they own though they are not the suspect (ASBCPA
// s51, EPA 1990 s149, Noise Act 1996 s10). No step binds a reporter, witness, victim or
// other person; an occupier who answers for premises is recorded as a subject.
var AddresseeRoles = map[string][]Role{
	"warning":          {RoleSubject, RoleOwner},
	KindCPW:            {RoleSubject, RoleOwner},
	KindCPN:            {RoleSubject, RoleOwner},
	"abatement_notice": {RoleSubject, RoleOwner},
	"notice_served":    {RoleSubject, RoleOwner},
	"fixed_penalty":    {RoleSubject, RoleOwner},
	"licence_action":   {RoleSubject, RoleOwner},
	"works_in_default": {RoleSubject, RoleOwner},
	"seizure":          {RoleSubject, RoleOwner},
	"injunction":       {RoleSubject},
}

// addressedToSomeone are the kinds always addressed to a person: the one whose conduct the
// warning, the notice and the injunction (granted against a respondent, ASBCPA 2014 s1)
// are about, so each has someone to check the minimum age of.
var addressedToSomeone = []string{KindCPW, KindCPN, "injunction"}

// addressee resolves and checks the person a step of this kind is addressed to. A warning or
// notice naming no one goes to the case's only subject, the person investigated; an owner is
// named, never assumed.
func (c *Investigation) addressee(kind, personID string) (string, error) {
	roles := AddresseeRoles[kind]
	if personID == "" {
		if !slices.Contains(addressedToSomeone, kind) {
			return "", nil
		}
		subjects := c.withRoles(RoleSubject)
		switch {
		case len(subjects) == 1:
			return subjects[0], nil
		case len(subjects) > 1:
			return "", &casework.ValidationError{Field: "person_id", Detail: fmt.Sprintf(
				"is required: the case has %d people in the subject role; name the one the %s is addressed to", len(subjects), casework.Readable(kind))}
		case len(c.withRoles(roles...)) > 0:
			return "", &casework.ValidationError{Field: "person_id", Detail: fmt.Sprintf(
				"is required: the case has no one in the subject role to address the %s to by default; name the person in the %s role it is addressed to",
				casework.Readable(kind), roleList(roles))}
		default:
			return "", &casework.ValidationError{Field: "person_id", Detail: fmt.Sprintf(
				"is required: %s is addressed to a person in the %s role, and the case has none; add them first", aKind(kind), roleList(roles))}
		}
	}
	p := c.Person(personID)
	switch {
	case p == nil:
		return "", &casework.ValidationError{Field: "person_id", Detail: "is not a person on this investigation"}
	case !slices.Contains(roles, p.Role):
		return "", &casework.ValidationError{Field: "person_id", Detail: fmt.Sprintf(
			"must name a person in the %s role for %s: person %s is in the %s role", roleList(roles), aKind(kind), p.ID, p.Role)}
	}
	return p.ID, nil
}

// MinimumAges are, by kind, the age an individual must have reached on the day of a step for
// it to be addressed to them: 16 for a community protection notice, which may be issued
// only "to an individual aged 16 or over, or a body" (ASBCPA 2014 s43(1)), and for the
// warning that must precede one (s43(5)), as a warning that can lead to no notice warns of
// nothing; 10 for an injunction (s1(1)). A fixed penalty has no age here: one kind serves
// every area, and what bars a child differs from offence to offence.
var MinimumAges = map[string]int{KindCPW: 16, KindCPN: 16, "injunction": 10}

// oldEnough refuses a step to a person younger, on its day in London, than the age its kind
// needs (a 16th birthday on 29 February falls on 1 March in other years). No date of birth
// recorded is no bar: the officer establishes the age, and a body (an owner that is a
// company) has none.
func (c *Investigation) oldEnough(a EnforcementAction) error {
	least, ok := MinimumAges[a.Kind]
	p := c.Person(a.PersonID)
	if !ok || p == nil || p.DateOfBirth == "" {
		return nil
	}
	born, err := calendar.ParseDate(p.DateOfBirth)
	if err != nil {
		return nil // dates of birth were checked when recorded
	}
	law := s43Age
	if a.Kind == "injunction" {
		law = s1Age
	}
	if day := calendar.DateOf(a.At); day.Before(calendar.YearsFrom(born, least)) {
		return &casework.ValidationError{Field: "person_id", Detail: fmt.Sprintf("must name a person aged %d or over for %s (%s): person %s is under %d on %s",
			least, aKind(a.Kind), law, p.ID, least, day)}
	}
	return nil
}

const (
	s43Age = "Anti-social Behaviour, Crime and Policing Act 2014 s43(1)"
	s1Age  = "Anti-social Behaviour, Crime and Policing Act 2014 s1(1)"
)

// withRoles lists the ids of the people in any of the roles.
func (c *Investigation) withRoles(roles ...Role) []string {
	var ids []string
	for _, p := range c.People {
		if slices.Contains(roles, p.Role) {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

// aKind words a kind with its article: "a seizure", "an injunction", "works in default".
func aKind(kind string) string {
	words := casework.Readable(kind)
	switch {
	case kind == "works_in_default":
		return words
	case strings.ContainsAny(words[:1], "aeiou"):
		return "an " + words
	}
	return "a " + words
}

// roleList words roles for a refusal: "subject", "subject or owner".
func roleList(roles []Role) string {
	words := make([]string, len(roles))
	for i, r := range roles {
		words[i] = string(r)
	}
	if n := len(words); n > 1 {
		return strings.Join(words[:n-1], ", ") + " or " + words[n-1]
	}
	return strings.Join(words, "")
}

// complyBy checks a warning's date to comply: after the day of the warning (the person
// needs some time) and at most ComplyWithinMonths after it, both reckoned in London.
func complyBy(kind, value string, at time.Time) (string, error) {
	if kind != KindCPW {
		if value != "" {
			return "", &casework.ValidationError{Field: "comply_by", Detail: fmt.Sprintf(
				"is only for a community protection warning; %s sets no date to comply by", aKind(kind))}
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
// then. Warnings went to subjects alone then, so it is no warning to an owner.
func (c *Investigation) actionInOrder(a EnforcementAction) error {
	if a.Kind != KindCPN {
		return nil
	}
	today := calendar.DateOf(a.At)
	toSubject := slices.Contains(c.withRoles(RoleSubject), a.PersonID)
	warned := false
	var first calendar.Date // the earliest date to comply among the warnings to the person
	for _, w := range c.Actions {
		if w.Kind != KindCPW || (w.PersonID == "" && !toSubject) || (w.PersonID != "" && w.PersonID != a.PersonID) {
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
