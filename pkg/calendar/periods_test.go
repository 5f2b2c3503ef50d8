package calendar

import (
	"testing"
	"time"
)

func TestMonthsBeginningWith(t *testing.T) {
	c := newTestCalendar(t)
	tests := []struct {
		name string
		from time.Time
		n    int
		want string
	}{
		{"12 months from a notice on 2 March", noonLondon(t, "2026-03-02"), 12, "2027-03-01"},
		// No corresponding day: the period ends on the last day of the shorter month, not the
		// day before it (edges_test.go, TestMonthsBeginningWithCorrespondingDateRule).
		{"12 months from 29 February", noonLondon(t, "2024-02-29"), 12, "2025-02-28"},
		{"12 months from 1 January", noonLondon(t, "2026-01-01"), 12, "2026-12-31"},
		{"1 month from 31 January", noonLondon(t, "2026-01-31"), 1, "2026-02-28"},
		{"late evening BST belongs to the London date", instant(t, "2026-06-30T23:30:00Z"), 12, "2027-06-30"},
		{"no day skipped: a bank holiday may end the period", noonLondon(t, "2026-12-26"), 12, "2027-12-25"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := c.MonthsBeginningWith(tc.from, tc.n)
			if got := d.DueDate.String(); got != tc.want {
				t.Fatalf("DueDate = %s, want %s", got, tc.want)
			}
			if !d.Due.Equal(d.DueDate.EndOfDay()) || d.Rule != RuleMonthsBeginningWith || d.Amount != tc.n || len(d.Skipped) != 0 {
				t.Fatalf("deadline %+v", d)
			}
		})
	}
}

func TestDateAddMonths(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"},
		{"2026-03-15", 10, "2027-01-15"},
		{"2026-03-31", -1, "2026-02-28"},
	} {
		if got := date(t, tc.from).AddMonths(tc.n).String(); got != tc.want {
			t.Errorf("%s + %d months = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

// Visiting hours are London wall-clock hours, so the same UTC instant is inside them on one
// side of a clock change and outside on the other.
func TestWithinLondonHoursAcrossTheClockChange(t *testing.T) {
	six, nine := ClockTime{Hour: 6}, ClockTime{Hour: 21}
	tests := []struct {
		name string
		at   string
		want bool
	}{
		{"05:30 UTC on Saturday 28 March 2026 is 05:30 GMT", "2026-03-28T05:30:00Z", false},
		{"05:30 UTC on Sunday 29 March 2026 is 06:30 BST", "2026-03-29T05:30:00Z", true},
		{"20:30 UTC on Saturday 28 March 2026 is 20:30 GMT", "2026-03-28T20:30:00Z", true},
		{"20:30 UTC on Sunday 29 March 2026 is 21:30 BST", "2026-03-29T20:30:00Z", false},
		{"20:30 UTC on Saturday 24 October 2026 is 21:30 BST", "2026-10-24T20:30:00Z", false},
		{"20:30 UTC on Sunday 25 October 2026 is 20:30 GMT", "2026-10-25T20:30:00Z", true},
		{"06:00:00 exactly is allowed", "2026-01-05T06:00:00Z", true},
		{"05:59:59 is before 6 a.m.", "2026-01-05T05:59:59Z", false},
		{"21:00:00 exactly is allowed", "2026-01-05T21:00:00Z", true},
		{"21:00:01 is after 9 p.m.", "2026-01-05T21:00:01Z", false},
		{"03:00 London", "2026-07-01T02:00:00Z", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := WithinLondonHours(instant(t, tc.at), six, nine); got != tc.want {
				t.Fatalf("WithinLondonHours(%s) = %v, want %v (London %s)", tc.at, got, tc.want, LondonClockTime(instant(t, tc.at)))
			}
		})
	}
}

// The notice of enforcement cases the debt service relies on (reg 6 of SI 2013/1894).
func TestClearDaysTCGChristmasEveAndEaster(t *testing.T) {
	c := newTestCalendar(t)
	// Notice on Thursday 24 December 2026: Christmas Day (Fri), Sunday 27 and the substitute
	// Boxing Day bank holiday (Mon 28) do not count; Saturday 26 does. Clear days: 26, 29, 30,
	// 31 Dec, 1 Jan is a bank holiday, so 2, 4 (3 is Sunday), 5 Jan: the seventh is 5 January,
	// and control may be taken from Wednesday 6 January 2027.
	if got := must(t)(c.ClearDaysTCG(noonLondon(t, "2026-12-24"), 7)).DueDate.String(); got != "2027-01-06" {
		t.Fatalf("Christmas Eve notice: earliest %s, want 2027-01-06", got)
	}
	// Notice on Wednesday 1 April 2026: Good Friday 3 April, Sunday 5 and Easter Monday 6 do
	// not count. Clear days 2, 4, 7, 8, 9, 10, 11: control from Sunday 12 April, since
	// control may be taken on any day of the week (reg 12); only days inside the period are
	// left uncounted (reg 6(2)).
	if got := must(t)(c.ClearDaysTCG(noonLondon(t, "2026-04-01"), 7)).DueDate.String(); got != "2026-04-12" {
		t.Fatalf("Easter notice: earliest %s, want 2026-04-12", got)
	}
}
