package domain_test

import (
	"reflect"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

// A stage referred to the Ombudsman while it runs. acknowledged1's response is due by Tue 21
// Apr 2026 (10 working days after Tue 7 Apr: Good Friday and Easter Monday not counted).
var (
	earlyReferAt    = london(2026, time.April, 15, 10, 0) // Wed: 16, 17, 20, 21 still to go
	prematureAt     = london(2026, time.May, 12, 10, 0)   // Tue
	prematureOn     = calendar.NewDate(2026, time.May, 11)
	respond1Due     = utc(2026, 4, 21, 23, 0)
	respond1Resumed = utc(2026, 5, 19, 23, 0) // see TestReferralPausesTheRunningStage
)

func referEarly(t *testing.T, c *domain.Complaint) domain.Event {
	t.Helper()
	return mustOK(t, "refer", func() (domain.Event, error) {
		return c.ReferToLGO(actor(t, officerC, earlyReferAt), referral(calendar.NewDate(2026, 4, 1), false))
	})
}

func decide(t *testing.T, c *domain.Complaint, outcome domain.LGOOutcome) domain.Event {
	t.Helper()
	return mustOK(t, "decide", func() (domain.Event, error) {
		return c.RecordDecision(actor(t, officerC, prematureAt), domain.LGODecisionInput{Outcome: outcome, DecidedOn: prematureOn, Summary: "Decided."})
	})
}

func assertOverdue(t *testing.T, c *domain.Complaint, at time.Time, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if got := c.Overdue(at); !reflect.DeepEqual(got, want) {
		t.Errorf("Overdue(%s) = %v, want %v", at.Format(time.RFC3339), got, want)
	}
}

// Referred while stage 1 runs, its response clock stops: not overdue, not marked, while the
// Ombudsman has it. Sent back as premature, it restarts with the days it had left: the days
// from Wed 15 Apr to Tue 12 May, both included, do not count (19 working days: the early
// May bank holiday, 4 May, is not one), so 10 + 19 working days after 7 Apr end on Tue 19
// May (Wed 15 Apr and the four days after it, counted again from Wed 13 May).
func TestReferralPausesTheRunningStage(t *testing.T) {
	c := acknowledged1(t)
	assertDeadline(t, c, 1, domain.DeadlineRespond, calendar.NewDate(2026, 4, 21), respond1Due, nil)

	e := referEarly(t, c)
	assertEvent(t, e, domain.Event{Type: "stage3.referred", Stage: 3, Detail: map[string]any{"from_status": "stage1_acknowledged",
		"process_completed": false, "warnings": []string{"process_not_exhausted"}, "clocks_stopped": []string{"stage1.respond"}}})
	d := c.Deadline(1, domain.DeadlineRespond)
	wantStop := calendar.ClockStop{Kind: calendar.StopPause, Reason: "the Ombudsman's decision", StoppedAt: earlyReferAt, StoppedOn: calendar.NewDate(2026, 4, 15)}
	if !d.Computed.Stopped() || !reflect.DeepEqual(d.Computed.Stops, []calendar.ClockStop{wantStop}) || d.EndedAt != nil || !d.Open() {
		t.Fatalf("after the referral: stops %+v ended %v", d.Computed.Stops, d.EndedAt)
	}
	if want := "10 working days (England and Wales) after 2026-04-07; clock stopped on 2026-04-15 awaiting the Ombudsman's decision"; d.Computed.Description != want {
		t.Errorf("Description = %q, want %q", d.Computed.Description, want)
	}
	assertOverdue(t, c, respond1Due.Add(30*24*time.Hour))
	if e, ok := c.MarkOverdue(1, domain.DeadlineRespond, respond1Due.Add(time.Hour)); ok {
		t.Errorf("MarkOverdue of a stopped clock = %+v, true", e)
	}
	if got := c.RunningDeadlines(); len(got) != 0 {
		t.Errorf("RunningDeadlines() with the Ombudsman = %v", got)
	}

	e = decide(t, c, domain.LGOPremature)
	assertEvent(t, e, domain.Event{Type: "stage3.decided", Stage: 3, Outcome: "premature", Detail: map[string]any{"lgo_outcome": "premature",
		"decided_on": "2026-05-11", "remedies": 0, "clocks_restarted": map[string]any{"stage1.respond": "2026-05-19"}}})
	assertStatus(t, c, 1, domain.StatusStage1Acknowledged)
	assertDeadline(t, c, 1, domain.DeadlineRespond, calendar.NewDate(2026, 5, 19), respond1Resumed, nil)
	d = c.Deadline(1, domain.DeadlineRespond)
	resumed := prematureAt
	wantStop.ResumedAt, wantStop.ResumedOn, wantStop.NotCounted = &resumed, calendar.NewDate(2026, 5, 12), 19
	if d.Computed.Stopped() || !reflect.DeepEqual(d.Computed.Stops, []calendar.ClockStop{wantStop}) {
		t.Fatalf("after the premature decision: stops %+v", d.Computed.Stops)
	}
	if want := "10 working days (England and Wales) after 2026-04-07; clock stopped from 2026-04-15 to 2026-05-12 awaiting the Ombudsman's decision (19 working days not counted)"; d.Computed.Description != want {
		t.Errorf("Description = %q, want %q", d.Computed.Description, want)
	}
	assertOverdue(t, c, respond1Resumed.Add(-time.Nanosecond))
	assertOverdue(t, c, respond1Resumed, "stage1.respond")
	if e, ok := c.MarkOverdue(1, domain.DeadlineRespond, respond1Resumed); !ok || !e.DueAt.Equal(respond1Resumed) {
		t.Errorf("MarkOverdue at the restarted due = %+v, %v", e, ok)
	}

	// Answered the day before, the response is on time.
	c = acknowledged1(t)
	referEarly(t, c)
	decide(t, c, domain.LGOPremature)
	mustOK(t, "respond", func() (domain.Event, error) {
		return c.Respond(actor(t, officerA, london(2026, time.May, 18, 12, 0)), domain.OutcomeUpheld, "Sorry.", nil)
	})
	if !c.Responses[1].OnTime {
		t.Error("a response within the restarted deadline is late")
	}
}

// Any other decision means the Ombudsman took the complaint on: the stopped deadline ends
// as the decision is recorded, and never runs again.
func TestReferralDecidedByTheOmbudsmanEndsTheStage(t *testing.T) {
	for _, outcome := range []domain.LGOOutcome{domain.LGONotUpheld, domain.LGODiscontinued, domain.LGOClosedAfterInitialEnquiries} {
		t.Run(string(outcome), func(t *testing.T) {
			c := received2(t) // stage 2 acknowledgement due Tue 5 May
			mustOK(t, "refer", func() (domain.Event, error) {
				return c.ReferToLGO(actor(t, officerC, london(2026, time.April, 29, 10, 0)), referral(calendar.NewDate(2026, 4, 1), false))
			})
			e := decide(t, c, outcome)
			assertEvent(t, e, domain.Event{Type: "stage3.decided", Stage: 3, Outcome: domain.Outcome(outcome), Detail: map[string]any{
				"lgo_outcome": string(outcome), "decided_on": "2026-05-11", "remedies": 0, "deadlines_ended": []string{"stage2.acknowledge"}}})
			assertStatus(t, c, 3, domain.StatusStage3Decided)
			d := c.Deadline(2, domain.DeadlineAcknowledge)
			assertInstant(t, "EndedAt", d.EndedAt, &prematureAt)
			if d.Open() || d.MetAt != nil || len(c.OpenDeadlines()) != 0 {
				t.Errorf("ended deadline: open %v met %v", d.Open(), d.MetAt)
			}
			assertOverdue(t, c, utc(2027, 1, 1, 0, 0))
		})
	}
}

// Referred after the stage ended (closed unacknowledged at stage 2), what it left unmet ends
// with the referral: it no longer shows overdue once the complaint is open at stage 3.
func TestReferralAfterTheStageEndedEndsWhatItLeftUnmet(t *testing.T) {
	c := received2(t)
	mustOK(t, "close", func() (domain.Event, error) {
		return c.Close(actor(t, officerB, london(2026, time.April, 28, 9, 0)), "Withdrawn.", retentionTo)
	})
	e := mustOK(t, "refer", func() (domain.Event, error) {
		return c.ReferToLGO(actor(t, officerC, referAt), referral(calendar.NewDate(2026, 4, 1), false))
	})
	assertEvent(t, e, domain.Event{Type: "stage3.referred", Stage: 3, Detail: map[string]any{"from_status": "closed",
		"process_completed": false, "warnings": []string{"process_not_exhausted"}, "deadlines_ended": []string{"stage2.acknowledge"}}})
	assertInstant(t, "EndedAt", c.Deadline(2, domain.DeadlineAcknowledge).EndedAt, &referAt)
	assertOverdue(t, c, referAt)
	if c.Deadline(2, domain.DeadlineAcknowledge).Computed.Stopped() {
		t.Error("a deadline of a stage already over was paused, not ended")
	}
}

// A complaint saved before referrals stopped clocks is settled to what the referral, and
// the decision, would now have done: twice referred while stage 1 ran, sent back once.
func TestSettleReferralDeadlinesOfEarlierRecords(t *testing.T) {
	secondReferAt := london(2026, time.May, 14, 10, 0)
	now := func(c *domain.Complaint) {
		referEarly(t, c)
		decide(t, c, domain.LGOPremature)
		mustOK(t, "refer again", func() (domain.Event, error) {
			return c.ReferToLGO(actor(t, officerC, secondReferAt), referral(calendar.NewDate(2026, 4, 1), false))
		})
	}
	want := acknowledged1(t)
	now(want)

	legacy := acknowledged1(t)
	saved := legacy.Deadline(1, domain.DeadlineRespond).Computed
	now(legacy)
	legacy.Deadline(1, domain.DeadlineRespond).Computed = saved // as saved before this release
	assertOverdue(t, legacy, utc(2026, 6, 1, 0, 0))             // at stage 3 already not running

	e, ok, err := legacy.SettleReferralDeadlines(actor(t, "system", utc(2026, 6, 1, 0, 0)))
	if err != nil || !ok {
		t.Fatalf("SettleReferralDeadlines = %v, %v", ok, err)
	}
	assertEvent(t, e, domain.Event{Type: "deadline.recomputed", Stage: 3, Detail: map[string]any{
		"clocks_stopped": []string{"stage1.respond", "stage1.respond"}, "clocks_restarted": map[string]any{"stage1.respond": "2026-05-19"}}})
	if got, w := legacy.Deadline(1, domain.DeadlineRespond), want.Deadline(1, domain.DeadlineRespond); !reflect.DeepEqual(got, w) {
		t.Errorf("settled\n got %+v\nwant %+v", got.Computed, w.Computed)
	}
	if _, ok, err := legacy.SettleReferralDeadlines(actor(t, "system", utc(2026, 6, 1, 0, 0))); ok || err != nil {
		t.Errorf("settling again = %v, %v; want nothing to do", ok, err)
	}
	if _, ok, _ := want.SettleReferralDeadlines(actor(t, "system", utc(2026, 6, 1, 0, 0))); ok {
		t.Error("a complaint referred by this release needed settling")
	}

	// Decided by the Ombudsman before this release: paused at the referral, ended at the decision.
	legacy = acknowledged1(t)
	saved = legacy.Deadline(1, domain.DeadlineRespond).Computed
	referEarly(t, legacy)
	decide(t, legacy, domain.LGONotUpheld)
	d := legacy.Deadline(1, domain.DeadlineRespond)
	d.Computed, d.EndedAt = saved, nil
	e, ok, err = legacy.SettleReferralDeadlines(actor(t, "system", utc(2026, 6, 1, 0, 0)))
	if err != nil || !ok {
		t.Fatalf("SettleReferralDeadlines = %v, %v", ok, err)
	}
	assertEvent(t, e, domain.Event{Type: "deadline.recomputed", Stage: 3, Detail: map[string]any{
		"clocks_stopped": []string{"stage1.respond"}, "deadlines_ended": []string{"stage1.respond"}}})
	assertInstant(t, "EndedAt", d.EndedAt, &prematureAt)
	if !d.Computed.Stopped() || !d.Computed.Stops[0].StoppedAt.Equal(earlyReferAt) {
		t.Errorf("settled stops %+v", d.Computed.Stops)
	}
}
