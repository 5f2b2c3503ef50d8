package domain

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

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
		ActionTakeAction:  func(c *Investigation) error { _, err := c.TakeAction("warning", "", "olive", at); return err },
		ActionProsecute:   func(c *Investigation) error { _, err := c.Prosecute(); return err },
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

// TestCommunityProtectionOrder: a CPN needs an earlier CPW on the case (ASBCPA 2014
// s43(5)); a refusal names the rule and the section and records nothing.
func TestCommunityProtectionOrder(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		before []string
		kind   string
		rule   string // "" when allowed
		cites  string
	}{
		{nil, "community_protection_notice", "cpw_first", "s43(5)"},
		{[]string{"warning", "abatement_notice"}, "community_protection_notice", "cpw_first", "s43(5)"},
		{[]string{"community_protection_warning"}, "community_protection_notice", "", ""},
		{nil, "fixed_penalty", "", ""}, // a litter or PSPO fixed penalty follows no notice
		{nil, "community_protection_warning", "", ""},
		{nil, "warning", "", ""},
	} {
		inv := &Investigation{Reference: "INV-1", Status: StatusInvestigating}
		for _, k := range c.before {
			inv.Actions = append(inv.Actions, EnforcementAction{Kind: k, At: at})
		}
		if len(c.before) > 0 {
			inv.Status = StatusActionTaken
		}
		n := len(inv.Actions)
		_, err := inv.TakeAction(c.kind, "", "olive", at)
		var re *casework.RuleError
		switch {
		case c.rule == "" && err != nil:
			t.Errorf("%s after %v: %v, want allowed", c.kind, c.before, err)
		case c.rule == "":
		case !errors.As(err, &re) || re.Rule != c.rule || !strings.Contains(re.Detail, c.cites):
			t.Errorf("%s after %v: %v, want rule %s citing %s", c.kind, c.before, err, c.rule, c.cites)
		case len(inv.Actions) != n:
			t.Errorf("%s after %v: refused but recorded", c.kind, c.before)
		}
	}
}
