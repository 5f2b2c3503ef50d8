package domain

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// TestLifecycleTable tries every step from every status: the allowed ones move the case,
// the rest fail with a TransitionError naming the allowed steps and change nothing.
func TestLifecycleTable(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	want := map[Status]map[Action]Status{
		StatusReceived:      {ActionTriage: StatusTriaged, ActionOutcome: StatusOutcome},
		StatusTriaged:       {ActionInvestigate: StatusInvestigating, ActionOutcome: StatusOutcome},
		StatusInvestigating: {ActionTakeAction: StatusActionTaken, ActionProsecute: StatusProsecution, ActionOutcome: StatusOutcome},
		StatusActionTaken:   {ActionTakeAction: StatusActionTaken, ActionProsecute: StatusProsecution, ActionOutcome: StatusOutcome, ActionClose: StatusClosed},
		StatusProsecution:   {ActionOutcome: StatusOutcome},
		StatusOutcome:       {ActionClose: StatusClosed},
		StatusClosed:        {},
	}
	steps := map[Action]func(c *Investigation) error{
		ActionTriage:      func(c *Investigation) error { _, err := c.Triage(); return err },
		ActionInvestigate: func(c *Investigation) error { _, err := c.Investigate(); return err },
		ActionTakeAction: func(c *Investigation) error {
			_, err := c.TakeAction(NewAction{Kind: "warning"}, "olive", at)
			return err
		},
		ActionProsecute: func(c *Investigation) error { _, err := c.Prosecute(); return err },
		ActionOutcome: func(c *Investigation) error {
			_, err := c.RecordOutcome(Outcome{Kind: OutcomeNoFurtherAction})
			return err
		},
		ActionClose: func(c *Investigation) error { _, err := c.Close("done", at); return err },
	}
	for from, allowedNext := range want {
		for action, step := range steps {
			c := &Investigation{Reference: "INV-1", Status: from}
			err := step(c)
			next, ok := allowedNext[action]
			var te *TransitionError
			switch {
			case ok:
				if err != nil || c.Status != next {
					t.Errorf("%s from %s: status %s err %v, want %s", action, from, c.Status, err, next)
				}
			case !errors.As(err, &te):
				t.Errorf("%s from %s: err %v, want a TransitionError", action, from, err)
			default:
				var names []Action
				for a := range allowedNext {
					names = append(names, a)
				}
				slices.Sort(names)
				got := slices.Clone(te.Allowed)
				slices.Sort(got)
				if !slices.Equal(got, names) || c.Status != from {
					t.Errorf("%s from %s: allowed %v (status %s), want %v", action, from, te.Allowed, c.Status, names)
				}
			}
		}
	}
}

// TestNeedToKnowRule: domestic abuse and hate crime cases admit only assigned officers
// and managers; other cases admit any officer.
func TestNeedToKnowRule(t *testing.T) {
	for _, c := range []struct {
		area      string
		hate      bool
		who       Caller
		mayAccess bool
	}{
		{"domestic_abuse", false, Caller{Officer: "olive"}, true},
		{"domestic_abuse", false, Caller{Officer: "oscar"}, false},
		{"domestic_abuse", false, Caller{Officer: "mina", Manager: true}, true},
		{"anti_social_behaviour", true, Caller{Officer: "oscar"}, false},
		{"anti_social_behaviour", false, Caller{Officer: "oscar"}, true},
		{"noise", false, Caller{Officer: "oscar"}, true},
	} {
		inv := &Investigation{Area: c.area, HateCrime: c.hate, Assigned: []string{"olive"}}
		if got := inv.MayAccess(c.who); got != c.mayAccess {
			t.Errorf("%s (hate %v) by %+v: %v, want %v", c.area, c.hate, c.who, got, c.mayAccess)
		}
	}
}

// TestCommunityProtectionOrder: a CPN to a person needs an earlier CPW to that same person
// (ASBCPA 2014 s43(5), rule cpw_first) whose date to comply has passed in London (rule
// cpw_time_to_comply); a warning recorded before warnings named a person and a date counts
// for every subject with its time given. A refusal names the rule and the section and
// records nothing.
func TestCommunityProtectionOrder(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) // Monday 2 March 2026, London (GMT)
	cpw := func(person, complyBy string) EnforcementAction {
		return EnforcementAction{Kind: KindCPW, PersonID: person, ComplyBy: complyBy, At: at.AddDate(0, -1, 0)}
	}
	for _, c := range []struct {
		name   string
		before []EnforcementAction
		kind   string
		person string
		rule   string // "" when allowed
		cites  string
	}{
		{"no warning", nil, KindCPN, "s-1", "cpw_first", "no community protection warning to person s-1"},
		{"other steps only", []EnforcementAction{{Kind: "warning", PersonID: "s-1"}, {Kind: "abatement_notice"}}, KindCPN, "s-1", "cpw_first", "s43(5)"},
		{"another subject's warning", []EnforcementAction{cpw("s-2", "2026-03-01")}, KindCPN, "s-1", "cpw_first", "to person s-1"},
		{"warned, time passed yesterday", []EnforcementAction{cpw("s-1", "2026-03-01")}, KindCPN, "s-1", "", ""},
		{"warned, time ends today", []EnforcementAction{cpw("s-1", "2026-03-02")}, KindCPN, "s-1", "cpw_time_to_comply",
			"gave until 2026-03-02 to change their conduct, so a notice may be issued from 2026-03-03"},
		{"two warnings, one passed", []EnforcementAction{cpw("s-1", "2026-04-01"), cpw("s-1", "2026-02-27")}, KindCPN, "s-1", "", ""},
		{"two warnings, neither passed: the earlier date", []EnforcementAction{cpw("s-1", "2026-04-01"), cpw("s-1", "2026-03-20")}, KindCPN, "s-1",
			"cpw_time_to_comply", "gave until 2026-03-20"},
		{"a warning recorded before warnings named anyone", []EnforcementAction{cpw("", "")}, KindCPN, "s-2", "", ""},
		// An owner is warned in their own right (s44): the subject's warning, or one recorded
		// when warnings went to subjects alone, is not theirs.
		{"an owner warned, time passed", []EnforcementAction{cpw("o-1", "2026-03-01")}, KindCPN, "o-1", "", ""},
		{"an owner warned, time ends today", []EnforcementAction{cpw("o-1", "2026-03-02")}, KindCPN, "o-1", "cpw_time_to_comply", "to person o-1"},
		{"an owner, the subject warned", []EnforcementAction{cpw("s-1", "2026-03-01")}, KindCPN, "o-1", "cpw_first", "to person o-1"},
		{"an owner, a warning recorded before warnings named anyone", []EnforcementAction{cpw("", "")}, KindCPN, "o-1", "cpw_first", "to person o-1"},
		{"fixed penalty", nil, "fixed_penalty", "", "", ""}, // a litter or PSPO fixed penalty follows no notice
		{"first warning", nil, KindCPW, "s-1", "", ""},
		{"verbal warning", nil, "warning", "", "", ""},
	} {
		inv := &Investigation{Reference: "INV-1", Status: StatusInvestigating,
			People: []Person{{ID: "r-1", Role: RoleReporter}, {ID: "s-1", Role: RoleSubject}, {ID: "s-2", Role: RoleSubject}, {ID: "o-1", Role: RoleOwner}}}
		inv.Actions = append(inv.Actions, c.before...)
		if len(c.before) > 0 {
			inv.Status = StatusActionTaken
		}
		n := len(inv.Actions)
		in := NewAction{Kind: c.kind, PersonID: c.person}
		if c.kind == KindCPW {
			in.ComplyBy = "2026-04-01"
		}
		_, err := inv.TakeAction(in, "olive", at)
		var re *casework.RuleError
		switch {
		case c.rule == "" && err != nil:
			t.Errorf("%s: %v, want allowed", c.name, err)
		case c.rule == "":
		case !errors.As(err, &re) || re.Rule != c.rule || !strings.Contains(re.Detail, c.cites) || !strings.Contains(re.Detail, "s43(5)"):
			t.Errorf("%s: %v, want rule %s citing %q and s43(5)", c.name, err, c.rule, c.cites)
		case len(inv.Actions) != n:
			t.Errorf("%s: refused but recorded", c.name)
		}
	}
}

// TestActionAddresseeAndDateToComply: a warning and a notice are addressed to a subject (the
// only one by default) or a named owner, and a warning states a date to comply within its
// bounds; a refusal names the field and records nothing.
func TestActionAddresseeAndDateToComply(t *testing.T) {
	at := time.Date(2026, 6, 1, 23, 30, 0, 0, time.UTC) // already 2 June in London (BST)
	one := []Person{{ID: "r-1", Role: RoleReporter}, {ID: "s-1", Role: RoleSubject}, {ID: "w-1", Role: RoleWitness}}
	two := append(slices.Clone(one), Person{ID: "s-2", Role: RoleSubject})
	owned := append(slices.Clone(one), Person{ID: "o-1", Role: RoleOwner})
	for _, c := range []struct {
		name          string
		people        []Person
		in            NewAction
		field, detail string // empty: accepted
		person        string // the addressee recorded when accepted
	}{
		{"the only subject by default", one, NewAction{Kind: KindCPW, ComplyBy: "2026-06-03"}, "", "", "s-1"},
		{"a subject named", two, NewAction{Kind: KindCPW, PersonID: "s-2", ComplyBy: "2027-06-02"}, "", "", "s-2"},
		{"two subjects, none named", two, NewAction{Kind: KindCPW, ComplyBy: "2026-04-01"}, "person_id",
			"is required: the case has 2 people in the subject role; name the one the community protection warning is addressed to", ""},
		{"no subject", one[:1], NewAction{Kind: KindCPN}, "person_id",
			"is required: a community protection notice is addressed to a person in the subject or owner role, and the case has none; add them first", ""},
		{"an owner, no subject, none named", []Person{{ID: "r-1", Role: RoleReporter}, {ID: "o-1", Role: RoleOwner}}, NewAction{Kind: KindCPW, ComplyBy: "2026-06-03"},
			"person_id", "is required: the case has no one in the subject role to address the community protection warning to by default; " +
				"name the person in the subject or owner role it is addressed to", ""},
		{"an owner named", owned, NewAction{Kind: KindCPW, PersonID: "o-1", ComplyBy: "2026-06-03"}, "", "", "o-1"},
		{"the only subject by default beside an owner", owned, NewAction{Kind: KindCPW, ComplyBy: "2026-06-03"}, "", "", "s-1"},
		{"a witness", one, NewAction{Kind: KindCPW, PersonID: "w-1", ComplyBy: "2026-04-01"}, "person_id",
			"must name a person in the subject or owner role for a community protection warning: person w-1 is in the witness role", ""},
		{"no such person", one, NewAction{Kind: KindCPN, PersonID: "nobody"}, "person_id", "is not a person on this investigation", ""},
		{"a witness on another kind", one, NewAction{Kind: "warning", PersonID: "w-1"}, "person_id",
			"must name a person in the subject or owner role for a warning: person w-1 is in the witness role", ""},
		{"an owner on an injunction", owned, NewAction{Kind: "injunction", PersonID: "o-1"}, "person_id",
			"must name a person in the subject role for an injunction: person o-1 is in the owner role", ""},
		{"a seizure from an owner", owned, NewAction{Kind: "seizure", PersonID: "o-1"}, "", "", "o-1"},
		{"another kind to no one", two, NewAction{Kind: "abatement_notice"}, "", "", ""},
		{"another kind to a subject", two, NewAction{Kind: "abatement_notice", PersonID: "s-2"}, "", "", "s-2"},
		{"comply_by missing", one, NewAction{Kind: KindCPW}, "comply_by",
			"is required: a community protection warning states the date (YYYY-MM-DD) by which the conduct must change " +
				"(Anti-social Behaviour, Crime and Policing Act 2014 s43(5))", ""},
		{"comply_by the day of the warning (in London)", one, NewAction{Kind: KindCPW, ComplyBy: "2026-06-02"}, "comply_by",
			"cannot be before the day after the warning (2026-06-03)", ""},
		{"comply_by before the warning", one, NewAction{Kind: KindCPW, ComplyBy: "2026-05-01"}, "comply_by",
			"cannot be before the day after the warning (2026-06-03)", ""},
		{"comply_by beyond 12 months", one, NewAction{Kind: KindCPW, ComplyBy: "2027-06-03"}, "comply_by",
			"cannot be after 12 months from the warning (2027-06-02)", ""},
		{"comply_by malformed", one, NewAction{Kind: KindCPW, ComplyBy: "2026-02-30"}, "comply_by", "must be a date (YYYY-MM-DD)", ""},
		{"comply_by on a notice", one, NewAction{Kind: KindCPN, ComplyBy: "2026-04-01"}, "comply_by",
			"is only for a community protection warning; a community protection notice sets no date to comply by", ""},
		{"comply_by on a fixed penalty", one, NewAction{Kind: "fixed_penalty", ComplyBy: "2026-04-01"}, "comply_by",
			"is only for a community protection warning; a fixed penalty sets no date to comply by", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			// A notice in these cases follows a warning recorded before warnings named anyone.
			inv := &Investigation{Reference: "INV-1", Status: StatusActionTaken, People: c.people, Actions: []EnforcementAction{{Kind: KindCPW}}}
			_, err := inv.TakeAction(c.in, "olive", at)
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if got := inv.Actions[1]; got.PersonID != c.person || got.ComplyBy != c.in.ComplyBy {
					t.Fatalf("recorded to %q by %q, want %q by %q", got.PersonID, got.ComplyBy, c.person, c.in.ComplyBy)
				}
				return
			}
			var ve *casework.ValidationError
			if !errors.As(err, &ve) || ve.Field != c.field || ve.Detail != c.detail {
				t.Fatalf("err %v, want %s: %s", err, c.field, c.detail)
			}
			if len(inv.Actions) != 1 {
				t.Fatalf("refused but recorded: %+v", inv.Actions)
			}
		})
	}
}

// TestActionAddresseeRoles: each kind may be addressed to the people the law makes answer
// for it (AddresseeRoles): a subject, or an owner (ASBCPA 2014 s44, EPA 1990 s80(2), TCPA
// 1990 s215...), except an injunction (ASBCPA 2014 s1: the respondent alone). A reporter,
// witness, victim or anyone else is refused at person_id, naming the roles needed, and
// nothing is recorded.
func TestActionAddresseeRoles(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	answerable := []Role{RoleSubject, RoleOwner}
	want := map[string][]Role{
		"warning": answerable, KindCPW: answerable, KindCPN: answerable, "abatement_notice": answerable, "notice_served": answerable,
		"fixed_penalty": answerable, "licence_action": answerable, "works_in_default": answerable, "seizure": answerable,
		"injunction": {RoleSubject},
	}
	if len(want) != len(ActionKinds) {
		t.Fatalf("the table covers %d kinds, the domain has %d", len(want), len(ActionKinds))
	}
	for _, kind := range ActionKinds {
		for _, role := range roles {
			inv := &Investigation{Reference: "INV-1", Status: StatusInvestigating, People: []Person{{ID: "p-1", Role: role}},
				Actions: []EnforcementAction{{Kind: KindCPW, PersonID: "p-1", ComplyBy: "2026-03-01", At: at.AddDate(0, -1, 0)}}}
			in := NewAction{Kind: kind, PersonID: "p-1"}
			if kind == KindCPW {
				in.ComplyBy = "2026-04-01"
			}
			_, err := inv.TakeAction(in, "olive", at)
			if slices.Contains(want[kind], role) {
				if err != nil || len(inv.Actions) != 2 || inv.Actions[1].PersonID != "p-1" || inv.Status != StatusActionTaken {
					t.Errorf("%s to a %s: %v, want it recorded to p-1", kind, role, err)
				}
				continue
			}
			var ve *casework.ValidationError
			if !errors.As(err, &ve) || ve.Field != "person_id" || !strings.Contains(ve.Detail, "must name a person in the "+roleList(want[kind])+" role") ||
				!strings.Contains(ve.Detail, "is in the "+string(role)+" role") {
				t.Errorf("%s to a %s: %v, want refused at person_id naming the %s role", kind, role, err, roleList(want[kind]))
			}
			if len(inv.Actions) != 1 || inv.Status != StatusInvestigating {
				t.Errorf("%s to a %s: refused but recorded", kind, role)
			}
		}
	}
}

// TestMinimumAges: a community protection warning or notice only to a person 16 or over,
// an injunction only to one 10 or over, reckoned on the London date of the step; a birthday
// on 29 February falls on 1 March in other years. No date of birth is no bar.
func TestMinimumAges(t *testing.T) {
	for _, c := range []struct {
		name, kind, born string
		at               time.Time
		refused          bool
	}{
		{"a warning the day before the 16th birthday", KindCPW, "2010-06-02", time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), true},
		{"a warning at 23:30 in London the day before", KindCPW, "2010-06-02", time.Date(2026, 6, 1, 22, 30, 0, 0, time.UTC), true},
		{"a warning at 00:30 in London on the birthday (23:30 UTC)", KindCPW, "2010-06-02", time.Date(2026, 6, 1, 23, 30, 0, 0, time.UTC), false},
		{"a notice at 16", KindCPN, "2010-06-02", time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), false},
		{"a notice at 15", KindCPN, "2010-06-03", time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), true},
		{"an injunction at 9", "injunction", "2016-06-03", time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), true},
		{"an injunction at 10", "injunction", "2016-06-02", time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), false},
		{"born on 29 February: 28 February", "injunction", "2012-02-29", time.Date(2022, 2, 28, 12, 0, 0, 0, time.UTC), true},
		{"born on 29 February: 1 March", "injunction", "2012-02-29", time.Date(2022, 3, 1, 12, 0, 0, 0, time.UTC), false},
		{"no date of birth", KindCPN, "", time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), false},
		{"a fixed penalty has no age", "fixed_penalty", "2020-01-01", time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), false},
		{"a seizure has no age", "seizure", "2020-01-01", time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			inv := &Investigation{Reference: "INV-1", Status: StatusActionTaken, People: []Person{{ID: "s-1", Role: RoleSubject, DateOfBirth: c.born}},
				Actions: []EnforcementAction{{Kind: KindCPW}}} // a notice follows a warning recorded before warnings named anyone
			in := NewAction{Kind: c.kind, PersonID: "s-1"}
			if c.kind == KindCPW {
				in.ComplyBy = calendar.DateOf(c.at).AddDays(7).String()
			}
			_, err := inv.TakeAction(in, "olive", c.at)
			var ve *casework.ValidationError
			switch {
			case c.refused && (!errors.As(err, &ve) || ve.Field != "person_id" || !strings.Contains(ve.Detail, "must name a person aged")):
				t.Fatalf("err %v, want refused at person_id", err)
			case c.refused && len(inv.Actions) != 1:
				t.Fatalf("refused but recorded: %+v", inv.Actions)
			case !c.refused && err != nil:
				t.Fatalf("refused: %v", err)
			}
		})
	}
}
