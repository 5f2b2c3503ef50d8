package domain

import (
	"encoding/json"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
)

// Every step of enforcement is held alike: while a debtor's vulnerability awaits review,
// while an instalment arrangement is being kept and while a breached one awaits an
// officer's decision, a visit, the notice of sale, a removal attendance and the sale are
// each refused with the hold's rule, and the case stays exactly as it was. Without a hold
// each step is taken at the same moment, so the hold is what refuses it.
func TestEveryEnforcementStepIsHeld(t *testing.T) {
	ready := time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC) // the case is brought to the step
	step := time.Date(2026, 3, 21, 12, 0, 0, 0, time.UTC)  // the step is taken: past the earliest sale, 20 March
	steps := []struct {
		name  string
		ready func(t *testing.T) *Case
		take  func(c *Case, a Actor) error
	}{
		{"a visit", func(t *testing.T) *Case { return newCase(t, 250000) }, func(c *Case, a Actor) error {
			_, err := c.RecordVisit(NewVisit{At: a.Now.Add(-30 * time.Minute), Outcome: OutcomeControlledGoods, BodyWornVideo: "BWV-2"}, false, a)
			return err
		}},
		{"the notice of sale", func(t *testing.T) *Case {
			c := newCase(t, 250000)
			if _, err := c.RecordVisit(NewVisit{At: ready.Add(-30 * time.Minute), Outcome: OutcomeControlledGoods, BodyWornVideo: "BWV-1"}, false, testActor(t, ready)); err != nil {
				t.Fatal(err)
			}
			return c
		}, func(c *Case, a Actor) error {
			_, err := c.IssueNoticeOfSale(a)
			return err
		}},
		{"a removal attendance", func(t *testing.T) *Case {
			c, _ := underControl(t)
			return c
		}, func(c *Case, a Actor) error {
			_, err := c.RecordRemovalAttendance(NewRemovalAttendance{At: a.Now.Add(-30 * time.Minute), Purpose: RemovalForSale, BodyWornVideo: "BWV-2"}, false, a)
			return err
		}},
		{"the sale", func(t *testing.T) *Case {
			c, a := underControl(t)
			if _, err := c.RecordRemovalAttendance(NewRemovalAttendance{At: ready.Add(-15 * time.Minute), Purpose: RemovalForSale, BodyWornVideo: "BWV-2"}, false, a); err != nil {
				t.Fatal(err)
			}
			return c
		}, func(c *Case, a Actor) error {
			_, err := c.RecordSale(50000, a.Now.Add(-30*time.Minute), "sale-1", false, a)
			return err
		}},
	}
	on := func(t *testing.T, at time.Time) Actor { return testActor(t, at) }
	holds := []struct {
		rule string
		hold func(t *testing.T, c *Case)
	}{
		{"", func(*testing.T, *Case) {}},
		{"vulnerability_review_pending", func(t *testing.T, c *Case) {
			if _, err := c.FlagVulnerability("Recently bereaved.", 0, false, on(t, ready)); err != nil {
				t.Fatal(err)
			}
		}},
		{"arrangement_in_place", func(t *testing.T, c *Case) {
			total := c.DebtOutstanding() + c.FeesOutstanding()
			if _, err := c.MakeArrangement(NewArrangement{FirstDue: calendar.NewDate(2026, 4, 1), AmountPence: total, Count: 1, Frequency: "monthly"}, on(t, ready)); err != nil {
				t.Fatal(err)
			}
		}},
		{"arrangement_review_pending", func(t *testing.T, c *Case) {
			total := c.DebtOutstanding() + c.FeesOutstanding()
			if _, err := c.MakeArrangement(NewArrangement{FirstDue: calendar.NewDate(2026, 3, 12), AmountPence: (total + 1) / 2, Count: 2, Frequency: "weekly"}, on(t, ready)); err != nil {
				t.Fatal(err)
			}
			c.MarkMissedInstalment(on(t, time.Date(2026, 3, 13, 12, 0, 0, 0, time.UTC)))
			if e, ok := c.MarkMissedInstalment(on(t, time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC))); !ok || e.Type != "arrangement.breached" {
				t.Fatalf("the second miss: %v %+v", ok, e)
			}
		}},
	}
	for _, s := range steps {
		for _, h := range holds {
			name := s.name + " held by " + h.rule
			if h.rule == "" {
				name = s.name + " without a hold"
			}
			t.Run(name, func(t *testing.T) {
				c := s.ready(t)
				h.hold(t, c)
				before := caseJSON(t, c)
				err := s.take(c, on(t, step))
				if h.rule == "" {
					if err != nil {
						t.Fatalf("without a hold: %v", err)
					}
					return
				}
				if ruleOf(err) != h.rule {
					t.Fatalf("rule %q (%v), want %q", ruleOf(err), err, h.rule)
				}
				if after := caseJSON(t, c); after != before {
					t.Fatalf("the refused step changed the case:\n%s\n%s", before, after)
				}
			})
		}
	}
}

func caseJSON(t *testing.T, c *Case) string {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
