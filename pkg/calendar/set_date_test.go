package calendar

import (
	"testing"
	"time"
)

func TestSetDateRecordsWhoSetItAndEndsAtLondonMidnight(t *testing.T) {
	c := newTestCalendar(t)
	from := time.Date(2026, 7, 1, 9, 30, 0, 0, time.UTC)
	d := c.SetDate(from, NewDate(2026, 7, 29), "the Ombudsman")
	if d.Rule != RuleSetDate || d.DueDate != NewDate(2026, 7, 29) || !d.Due.Equal(time.Date(2026, 7, 29, 23, 0, 0, 0, time.UTC)) {
		t.Fatalf("deadline %+v", d)
	}
	if d.Description != "date 2026-07-29 set by the Ombudsman on 2026-07-01" {
		t.Fatalf("description %q", d.Description)
	}
	if again := must(t)(c.Recompute(d)); !again.Due.Equal(d.Due) || again.DueDate != d.DueDate || again.Rule != RuleSetDate {
		t.Fatalf("recomputed %+v", again)
	}
}
