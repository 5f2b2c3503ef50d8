package calendar

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"
)

// A subject access request the council has to clarify (UK GDPR Art 12A: the days from the
// day it asks to the day the answer arrives do not count).
func TestStopClockPauseCalendarMonths(t *testing.T) {
	c := newTestCalendar(t)
	base := must(t)(c.AddCalendarMonths(noonLondon(t, "2026-02-02"), 1))
	if base.DueDate != date(t, "2026-03-02") {
		t.Fatalf("base due %s", base.DueDate)
	}
	stopped := must(t)(c.StopClock(base, noonLondon(t, "2026-02-04"), StopPause, "clarification of the request"))
	if !stopped.Stopped() || base.Stopped() {
		t.Fatalf("Stopped: got %v, base %v", stopped.Stopped(), base.Stopped())
	}
	if stopped.IsOverdue(noonLondon(t, "2026-06-01")) {
		t.Error("a stopped clock is overdue")
	}
	if _, err := c.StopClock(stopped, noonLondon(t, "2026-02-05"), StopPause, "again"); !errors.Is(err, ErrClockStopped) {
		t.Errorf("second stop: %v, want ErrClockStopped", err)
	}
	if _, err := c.RestartClock(stopped, noonLondon(t, "2026-02-03")); err == nil {
		t.Error("restart before the stop was accepted")
	}
	resumed := must(t)(c.RestartClock(stopped, noonLondon(t, "2026-02-09")))
	// 4 to 9 February is 6 days: 2 March + 6 = Sunday 8 March, so Monday 9 March.
	if resumed.DueDate != date(t, "2026-03-09") || !resumed.Due.Equal(date(t, "2026-03-09").EndOfDay()) {
		t.Errorf("due %s (%v), want 2026-03-09", resumed.DueDate, resumed.Due)
	}
	if got := skippedString(resumed.Skipped); !slices.Equal(got, []string{"2026-03-08 Sunday"}) {
		t.Errorf("skipped %q", got)
	}
	stop := resumed.Stops[0]
	if stop.Kind != StopPause || stop.NotCounted != 6 || stop.StoppedOn != date(t, "2026-02-04") || stop.ResumedOn != date(t, "2026-02-09") {
		t.Errorf("stop %+v", stop)
	}
	want := "1 calendar month from 2026-02-02 (the corresponding day, or the last day of a shorter month; moved to the next working day " +
		"if that is a weekend or England and Wales bank holiday); clock stopped from 2026-02-04 to 2026-02-09 awaiting clarification " +
		"of the request (6 days not counted)"
	if resumed.Description != want {
		t.Errorf("description\n got %q\nwant %q", resumed.Description, want)
	}
	if resumed.Stopped() || !resumed.IsOverdue(date(t, "2026-03-10").StartOfDay()) || resumed.IsOverdue(date(t, "2026-03-09").StartOfDay()) {
		t.Error("a restarted clock is not overdue exactly from the end of its due date")
	}
	if _, err := c.RestartClock(resumed, noonLondon(t, "2026-02-10")); !errors.Is(err, ErrClockRunning) {
		t.Errorf("restart of a running clock: %v, want ErrClockRunning", err)
	}

	// The two further months count from the start like the first, and the pause still does
	// not: 2 May + 6 days = Friday 8 May.
	extended := must(t)(c.Extend(resumed, 2, "complex request"))
	if extended.DueDate != date(t, "2026-05-08") || extended.ExtendedBy() != 2 {
		t.Errorf("extended due %s", extended.DueDate)
	}
	if want := want[:len(want)-len("; clock stopped from 2026-02-04 to 2026-02-09 awaiting clarification of the request (6 days not counted)")] +
		"; extended by 2 calendar months; clock stopped from 2026-02-04 to 2026-02-09 awaiting clarification of the request (6 days not counted)"; extended.Description != want {
		t.Errorf("extended description\n got %q\nwant %q", extended.Description, want)
	}
	// Recompute and a JSON round trip keep the stops.
	again := must(t)(c.Recompute(extended))
	if again.DueDate != extended.DueDate || again.Description != extended.Description || !reflect.DeepEqual(again.Stops, extended.Stops) {
		t.Errorf("Recompute changed the deadline:\n%+v\n%+v", again, extended)
	}
	raw, err := json.Marshal(extended)
	if err != nil {
		t.Fatal(err)
	}
	var back Deadline
	if err := json.Unmarshal(raw, &back); err != nil || !reflect.DeepEqual(back.Stops, extended.Stops) {
		t.Errorf("JSON round trip: %v %+v", err, back.Stops)
	}
}

// Waiting for proof of identity: the month runs from the day it arrives (UK GDPR Art 12A).
func TestStopClockRestart(t *testing.T) {
	c := newTestCalendar(t)
	base := must(t)(c.AddCalendarMonths(noonLondon(t, "2026-01-31"), 1)) // 28 Feb is a Saturday
	if base.DueDate != date(t, "2026-03-02") {
		t.Fatalf("base due %s", base.DueDate)
	}
	stopped := must(t)(c.StopClock(base, noonLondon(t, "2026-02-02"), StopRestart, "proof of identity"))
	arrived := time.Date(2026, 2, 10, 9, 30, 0, 0, London())
	restarted := must(t)(c.RestartClock(stopped, arrived))
	if restarted.DueDate != date(t, "2026-03-10") || restarted.StartDate != date(t, "2026-02-10") || !restarted.Start.Equal(arrived) {
		t.Errorf("restarted: due %s start %s (%v)", restarted.DueDate, restarted.StartDate, restarted.Start)
	}
	if s := restarted.Stops[0]; s.PreviousStart != date(t, "2026-01-31") || s.NotCounted != 0 || s.Kind != StopRestart {
		t.Errorf("stop %+v", s)
	}
	if len(restarted.Skipped) != 0 {
		t.Errorf("skipped %v", restarted.Skipped)
	}
	want := "1 calendar month from 2026-02-10 (the corresponding day, or the last day of a shorter month; moved to the next working day " +
		"if that is a weekend or England and Wales bank holiday); clock stopped on 2026-02-02 awaiting proof of identity, which arrived " +
		"on 2026-02-10: the period runs from then (it ran from 2026-01-31)"
	if restarted.Description != want {
		t.Errorf("description\n got %q\nwant %q", restarted.Description, want)
	}
	if again := must(t)(c.Recompute(restarted)); again.DueDate != restarted.DueDate || again.StartDate != restarted.StartDate {
		t.Errorf("Recompute: %s from %s", again.DueDate, again.StartDate)
	}
}

// A working-day pause counts only the working days it lasted (FOIA s10(2)).
func TestStopClockPauseWorkingDays(t *testing.T) {
	c := newTestCalendar(t)
	base := must(t)(c.AddWorkingDays(noonLondon(t, "2026-03-02"), 20))
	if base.DueDate != date(t, "2026-03-30") {
		t.Fatalf("base due %s", base.DueDate)
	}
	stopped := must(t)(c.StopClock(base, noonLondon(t, "2026-03-04"), StopPause, "the fee"))
	resumed := must(t)(c.RestartClock(stopped, noonLondon(t, "2026-03-10")))
	// 4, 5, 6, 9 and 10 March are 5 working days; 25 working days after 2 March pass Good
	// Friday and Easter Monday and end on Wednesday 8 April.
	if resumed.DueDate != date(t, "2026-04-08") || resumed.Stops[0].NotCounted != 5 {
		t.Errorf("due %s, not counted %d", resumed.DueDate, resumed.Stops[0].NotCounted)
	}
	if got := resumed.Description; got != "20 working days (England and Wales) after 2026-03-02; clock stopped from 2026-03-04 to 2026-03-10 awaiting the fee (5 working days not counted)" {
		t.Errorf("description %q", got)
	}
}

func TestStopClockOtherRulesPanic(t *testing.T) {
	c := newTestCalendar(t)
	defer func() {
		if recover() == nil {
			t.Error("stopping an hours deadline did not panic")
		}
	}()
	_, _ = c.StopClock(c.AddHours(noonLondon(t, "2026-03-02"), 72), noonLondon(t, "2026-03-02"), StopPause, "x")
}

// A working-day deadline extended after its clock stood still records the due date it
// extended, the pause included; counting it again (a newly announced holiday) keeps that
// date, the due date and the description, where it used to say the extension came after the
// due date the deadline would have had without the pause.
func TestRecomputeKeepsTheDueDateAnExtensionWasGrantedAfter(t *testing.T) {
	c := newTestCalendar(t)
	d := must(t)(c.AddWorkingDays(noonLondon(t, "2026-03-02"), 20)) // Monday 30 March
	stopped := must(t)(c.StopClock(d, noonLondon(t, "2026-03-10"), StopPause, "clarification of the request"))
	resumed := must(t)(c.RestartClock(stopped, noonLondon(t, "2026-03-16")))
	extended := must(t)(c.Extend(resumed, 10, "complex request"))
	if got := extended.Extensions[0].FromDueDate; got != resumed.DueDate || got == d.DueDate {
		t.Fatalf("extended after %s, want the due date with the pause, %s", got, resumed.DueDate)
	}
	again := must(t)(c.Recompute(extended))
	if again.DueDate != extended.DueDate || again.Description != extended.Description || !reflect.DeepEqual(again.Extensions, extended.Extensions) {
		t.Errorf("Recompute changed the deadline:\n got %s %q %+v\nwant %s %q %+v", again.DueDate, again.Description, again.Extensions,
			extended.DueDate, extended.Description, extended.Extensions)
	}
}
