package calendar

import (
	"testing"
	"time"
)

// The ICO breach report: 72 hours from awareness, counted in elapsed hours (UK GDPR Art
// 33(1)), so weekends and the clock change neither stop nor move it.
func TestAddHoursIsElapsedTime(t *testing.T) {
	c := newTestCalendar(t)
	cases := []struct {
		name, aware, wantDue, wantLondon string
	}{
		// Friday afternoon: the weekend counts; due Monday at the same London time.
		{"Friday afternoon", "2026-03-06T15:30:00Z", "2026-03-09T15:30:00Z", "2026-03-09 15:30 GMT"},
		// Friday 23 October 2026 16:30 BST; the clocks go back on Sunday 25 October, so 72
		// hours later is 15:30 GMT on Monday, not 16:30.
		{"across the October clock change", "2026-10-23T15:30:00Z", "2026-10-26T15:30:00Z", "2026-10-26 15:30 GMT"},
		// Across the March change the London time moves the other way.
		{"across the March clock change", "2026-03-27T12:00:00Z", "2026-03-30T12:00:00Z", "2026-03-30 13:00 BST"},
	}
	for _, tc := range cases {
		d := c.AddHours(instant(t, tc.aware), 72)
		if !d.Due.Equal(instant(t, tc.wantDue)) {
			t.Errorf("%s: due %v, want %s", tc.name, d.Due, tc.wantDue)
		}
		if got := d.Due.In(London()).Format("2006-01-02 15:04 MST"); got != tc.wantLondon {
			t.Errorf("%s: due in London %s, want %s", tc.name, got, tc.wantLondon)
		}
		if d.Due.Sub(d.Start) != 72*time.Hour || d.Rule != RuleHours || len(d.Skipped) != 0 {
			t.Errorf("%s: %+v", tc.name, d)
		}
		if d.IsOverdue(d.Due.Add(-time.Nanosecond)) || !d.IsOverdue(d.Due) {
			t.Errorf("%s: overdue boundary wrong", tc.name)
		}
	}
}
