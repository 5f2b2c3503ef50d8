package domain

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// underControl is a case whose goods an agent took control of on Thursday 12 March 2026
// at 09:30, with the notice of sale given then.
func underControl(t *testing.T) (*Case, Actor) {
	t.Helper()
	c := newCase(t, 250000)
	a := testActor(t, time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	if _, err := c.RecordVisit(NewVisit{At: time.Date(2026, 3, 12, 9, 30, 0, 0, time.UTC), Outcome: OutcomeControlledGoods, BodyWornVideo: "BWV-1"}, false, a); err != nil {
		t.Fatal(err)
	}
	if _, err := c.IssueNoticeOfSale(a); err != nil {
		t.Fatal(err)
	}
	return c, a
}

// An attendance to remove goods for sale, or to prepare them for sale, is an agent at the
// premises as a visit is: held to the hours of SI 2013/1894 reg 13 unless an exception is
// recorded, by the same rule, with the same refusal.
func TestRemovalAttendancesKeepToTheVisitingHours(t *testing.T) {
	london := calendar.London()
	tests := []struct {
		name      string
		at        time.Time
		exception string
		rule      string
	}{
		{"at 03:00", time.Date(2026, 3, 20, 3, 0, 0, 0, london), "", "visiting_hours"},
		{"at 05:59:59", time.Date(2026, 3, 20, 5, 59, 59, 0, london), "", "visiting_hours"},
		{"at 21:00:01", time.Date(2026, 3, 20, 21, 0, 1, 0, london), "", "visiting_hours"},
		{"at 03:00 under a court order", time.Date(2026, 3, 20, 3, 0, 0, 0, london), ExceptionCourtOrder, ""},
		{"at 22:00 continuing a removal begun in hours", time.Date(2026, 3, 20, 22, 0, 0, 0, london), ExceptionContinuingVisit, ""},
		{"at 06:00", time.Date(2026, 3, 20, 6, 0, 0, 0, london), "", ""},
		{"at 21:00 on a Sunday (reg 12: any day)", time.Date(2026, 3, 22, 21, 0, 0, 0, london), "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, a := underControl(t)
			a.Now = tc.at.Add(time.Hour)
			_, err := c.RecordRemovalAttendance(NewRemovalAttendance{At: tc.at, Purpose: RemovalForSale, BodyWornVideo: "BWV-2", Exception: tc.exception}, false, a)
			if got := ruleOf(err); got != tc.rule || (tc.rule == "" && err != nil) {
				t.Fatalf("rule %q (%v), want %q", got, err, tc.rule)
			}
			if tc.rule != "" {
				if len(c.Visits) != 1 || c.Stage != StageEnforcement || c.Fee(StageSale) != nil {
					t.Fatalf("a refused attendance changed the case: stage %s visits %+v", c.Stage, c.Visits)
				}
				want := fmt.Sprintf("a removal attendance at %s (Europe/London) is outside 06:00-21:00; record the exception that applies (SI 2013/1894 reg 13)",
					calendar.LondonClockTime(tc.at))
				if r := ruleError(err); r.Detail != want {
					t.Fatalf("refusal %q, want %q", r.Detail, want)
				}
				return
			}
			if v := c.Visits[1]; c.Stage != StageSale || v.Outcome != OutcomeRemoval || v.Exception != tc.exception {
				t.Fatalf("attendance: stage %s visit %+v", c.Stage, v)
			}
		})
	}
}

func ruleError(err error) *casework.RuleError {
	var r *casework.RuleError
	errors.As(err, &r)
	return r
}

// A stage's fee is dated when the stage began (Fees Regulations 2014 reg 5 and Schedule 1):
// at the first visit for the enforcement fee, at the first removal attendance for the sale
// fee, however much later the agent records it. The compliance fee is dated at the
// referral, when the instructions were received.
func TestStageFeesAreDatedWhenTheStageBegan(t *testing.T) {
	c := newCase(t, 250000)
	visited := time.Date(2026, 3, 12, 9, 30, 0, 0, time.UTC)
	a := testActor(t, time.Date(2026, 3, 13, 8, 0, 0, 0, time.UTC)) // recorded the next morning
	if _, err := c.RecordVisit(NewVisit{At: visited, Outcome: OutcomeControlledGoods, BodyWornVideo: "BWV-1"}, false, a); err != nil {
		t.Fatal(err)
	}
	if _, err := c.IssueNoticeOfSale(a); err != nil {
		t.Fatal(err)
	}
	attended := time.Date(2026, 3, 20, 19, 0, 0, 0, time.UTC)
	a = testActor(t, time.Date(2026, 3, 23, 9, 0, 0, 0, time.UTC)) // recorded after the weekend
	if _, err := c.RecordRemovalAttendance(NewRemovalAttendance{At: attended, Purpose: PrepareForSale, BodyWornVideo: "BWV-2"}, false, a); err != nil {
		t.Fatal(err)
	}
	for stage, want := range map[Stage]time.Time{StageCompliance: referredOn, StageEnforcement: visited, StageSale: attended} {
		if f := c.Fee(stage); f == nil || !f.ChargedAt.Equal(want) {
			t.Errorf("%s fee %+v, want charged at %s", stage, f, want)
		}
	}
}
