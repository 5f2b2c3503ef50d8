package domain_test

import (
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

// announced is the calendar after a bank holiday was announced on the given day of 2026.
func announced(t *testing.T, month time.Month, day int) *calendar.Calendar {
	t.Helper()
	cal, err := calendar.New(calendar.Config{Extra: []calendar.Holiday{{Date: calendar.NewDate(2026, month, day), Name: "Announced holiday"}}})
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// An officer who acts on a running deadline after a bank holiday was announced, before the
// sweep counted the deadline again, acts on it as the new table counts it: it is judged met
// on time, or extended, from the date the holiday moved it to. Extended as it stood, the
// deadline recorded the new table on a date counted without the holiday, and no sweep ever
// moved it.
func TestOfficerActionsCountTheDeadlineWithTheCurrentHolidayTable(t *testing.T) {
	t.Run("acknowledge", func(t *testing.T) {
		c := logged(t) // acknowledgement due Fri 10 Apr 2026; a holiday on Wed 8 Apr moves it to Mon 13 Apr
		cal := announced(t, time.April, 8)
		at := london(2026, time.April, 13, 10, 0)
		e, err := c.Acknowledge(domain.Actor{Officer: officerA, Now: at, Cal: cal})
		if err != nil {
			t.Fatalf("Acknowledge: %v", err)
		}
		if e.Detail["on_time"] != true {
			t.Errorf("acknowledged on the day the holiday moved the deadline to: on_time %v, want true", e.Detail["on_time"])
		}
		assertDeadline(t, c, 1, domain.DeadlineAcknowledge, calendar.NewDate(2026, 4, 13), calendar.NewDate(2026, 4, 13).EndOfDay(), &at)
		if v := c.Deadline(1, domain.DeadlineAcknowledge).Computed.HolidayTableVersion; v != cal.HolidayTableVersion() {
			t.Errorf("holiday table %q, want %q", v, cal.HolidayTableVersion())
		}
	})
	t.Run("extend", func(t *testing.T) {
		c := acknowledged1(t) // response due Tue 21 Apr 2026; a holiday on Wed 15 Apr moves it to Wed 22 Apr
		cal := announced(t, time.April, 15)
		a := domain.Actor{Officer: officerA, Now: london(2026, time.April, 14, 10, 0), Cal: cal}
		if _, err := c.Extend(a, 5, "awaiting the contractor's report"); err != nil {
			t.Fatalf("Extend: %v", err)
		}
		// 5 working days after 22 Apr: 23, 24, 27, 28, 29.
		want := calendar.NewDate(2026, 4, 29)
		assertDeadline(t, c, 1, domain.DeadlineRespond, want, want.EndOfDay(), nil)
		d := c.Deadline(1, domain.DeadlineRespond).Computed
		if len(d.Extensions) != 1 || d.Extensions[0].FromDueDate != calendar.NewDate(2026, 4, 22) || d.HolidayTableVersion != cal.HolidayTableVersion() {
			t.Errorf("extensions %+v under %q, want one from 2026-04-22 under %q", d.Extensions, d.HolidayTableVersion, cal.HolidayTableVersion())
		}
		// Counted again with the same table, nothing moves.
		if _, recounted, err := c.RecomputeDeadlines(a); recounted || err != nil {
			t.Errorf("RecomputeDeadlines after the extension: recounted %v (%v), want nothing to do", recounted, err)
		}
		assertDeadline(t, c, 1, domain.DeadlineRespond, want, want.EndOfDay(), nil)
	})
	t.Run("respond", func(t *testing.T) {
		c := acknowledged1(t) // response due Tue 21 Apr 2026; a holiday on Wed 15 Apr moves it to Wed 22 Apr
		cal := announced(t, time.April, 15)
		at := london(2026, time.April, 22, 16, 0)
		e, err := c.Respond(domain.Actor{Officer: officerA, Now: at, Cal: cal}, domain.OutcomeUpheld, "Sorry.", nil)
		if err != nil {
			t.Fatalf("Respond: %v", err)
		}
		if e.Detail["on_time"] != true || !c.Responses[1].OnTime {
			t.Errorf("responded on the day the holiday moved the deadline to: on_time %v / %v, want true", e.Detail["on_time"], c.Responses[1].OnTime)
		}
		assertDeadline(t, c, 1, domain.DeadlineRespond, calendar.NewDate(2026, 4, 22), calendar.NewDate(2026, 4, 22).EndOfDay(), &at)
	})
}
