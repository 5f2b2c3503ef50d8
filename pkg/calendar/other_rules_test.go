package calendar

import (
	"slices"
	"testing"
	"time"
)

func TestAddCalendarMonths(t *testing.T) {
	c := newTestCalendar(t)
	tests := []struct {
		name        string
		from        time.Time
		n           int
		wantDate    string
		wantSkipped []string
	}{
		{"corresponding day", noonLondon(t, "2024-01-15"), 1, "2024-02-15", []string{}},
		{"corresponding day is a Sunday", noonLondon(t, "2026-01-15"), 1, "2026-02-16", []string{"2026-02-15 Sunday"}},
		{"31 Jan to 29 Feb in a leap year", noonLondon(t, "2024-01-31"), 1, "2024-02-29", []string{}},
		{"31 Jan to 28 Feb", noonLondon(t, "2025-01-31"), 1, "2025-02-28", []string{}},
		{"31 Jan to 28 Feb, a Saturday", noonLondon(t, "2026-01-31"), 1, "2026-03-02", []string{"2026-02-28 Saturday", "2026-03-01 Sunday"}},
		{"31 Mar to 30 Apr", noonLondon(t, "2026-03-31"), 1, "2026-04-30", []string{}},
		{"across the year", noonLondon(t, "2026-12-31"), 1, "2027-02-01", []string{"2027-01-31 Sunday"}},
		{"lands on Christmas", noonLondon(t, "2026-11-25"), 1, "2026-12-29", []string{
			"2026-12-25 Christmas Day (bank holiday)", "2026-12-26 Saturday", "2026-12-27 Sunday",
			"2026-12-28 Boxing Day (substitute bank holiday)"}},
		{"three months", noonLondon(t, "2026-01-15"), 3, "2026-04-15", []string{}},
		{"late evening BST", instant(t, "2026-06-30T23:30:00Z"), 1, "2026-08-03", []string{"2026-08-01 Saturday", "2026-08-02 Sunday"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := must(t)(c.AddCalendarMonths(tc.from, tc.n))
			if got := d.DueDate.String(); got != tc.wantDate {
				t.Errorf("DueDate = %s, want %s", got, tc.wantDate)
			}
			if got := skippedString(d.Skipped); !slices.Equal(got, tc.wantSkipped) {
				t.Errorf("Skipped = %q, want %q", got, tc.wantSkipped)
			}
			if !d.Due.Equal(d.DueDate.EndOfDay()) || d.Rule != RuleCalendarMonths || d.Amount != tc.n {
				t.Errorf("Due/Rule/Amount wrong: %+v", d)
			}
		})
	}
}

func TestAddHours(t *testing.T) {
	c := newTestCalendar(t)
	tests := []struct {
		from, wantDue, wantDate string
		n                       int
	}{
		{"2026-03-28T10:00:00Z", "2026-03-31T10:00:00Z", "2026-03-31", 72}, // across the clock change
		{"2026-06-30T23:30:00Z", "2026-07-03T23:30:00Z", "2026-07-04", 72}, // 00:30 BST on 4 July
		{"2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-01", 24}, // overdue at midnight: last day is the 1st
	}
	for _, tc := range tests {
		from := instant(t, tc.from).In(London())
		d := c.AddHours(from, tc.n)
		if !d.Due.Equal(instant(t, tc.wantDue)) || d.Due.Location() != time.UTC {
			t.Errorf("AddHours(%s, %d).Due = %v, want %s", tc.from, tc.n, d.Due, tc.wantDue)
		}
		if got := d.DueDate.String(); got != tc.wantDate {
			t.Errorf("AddHours(%s, %d).DueDate = %s, want %s", tc.from, tc.n, got, tc.wantDate)
		}
		if d.Rule != RuleHours || d.Start.Location() != time.UTC || len(d.Skipped) != 0 {
			t.Errorf("provenance wrong: %+v", d)
		}
	}
	if got := c.AddHours(instant(t, "2026-03-28T10:00:00Z"), 72).Description; got != "72 hours from 2026-03-28T10:00:00Z" {
		t.Errorf("Description = %q", got)
	}
}

func TestAddYears(t *testing.T) {
	c := newTestCalendar(t)
	tests := []struct {
		from     time.Time
		n        int
		wantDate string
	}{
		{noonLondon(t, "2024-02-29"), 1, "2025-02-28"},
		{noonLondon(t, "2024-02-29"), 4, "2028-02-29"},
		{noonLondon(t, "2024-02-29"), 6, "2030-02-28"},
		{noonLondon(t, "2026-01-02"), 6, "2032-01-02"},
		{noonLondon(t, "2026-12-25"), 1, "2027-12-25"}, // no working-day adjustment
		{instant(t, "2026-06-30T23:30:00Z"), 7, "2033-07-01"},
		{noonLondon(t, "2026-03-01"), 0, "2026-03-01"},
	}
	for _, tc := range tests {
		d := c.AddYears(tc.from, tc.n)
		if got := d.DueDate.String(); got != tc.wantDate {
			t.Errorf("AddYears(%v, %d) = %s, want %s", tc.from, tc.n, got, tc.wantDate)
		}
		if !d.Due.Equal(d.DueDate.EndOfDay()) || d.Rule != RuleYears {
			t.Errorf("Due/Rule wrong: %+v", d)
		}
	}
}

func TestClearDaysTCG(t *testing.T) {
	c := newTestCalendar(t)
	tests := []struct {
		name        string
		from        time.Time
		n           int
		wantDate    string
		wantDue     string
		wantSkipped []string
	}{
		{"Easter: Good Friday, Sunday, Easter Monday not counted, Saturday counted; control on the Sunday after (reg 12)",
			noonLondon(t, "2026-04-01"), 7, "2026-04-12", "2026-04-11T23:00:00Z", []string{
				"2026-04-03 Good Friday (bank holiday)", "2026-04-05 Sunday",
				"2026-04-06 Easter Monday (bank holiday)"}},
		{"the day after the seventh clear day is Good Friday: control may be taken on it (reg 12)",
			noonLondon(t, "2026-03-25"), 7, "2026-04-03", "2026-04-02T23:00:00Z", []string{"2026-03-29 Sunday"}},
		{"ordinary week: Saturday counts",
			noonLondon(t, "2026-01-05"), 7, "2026-01-14", "2026-01-14T00:00:00Z", []string{"2026-01-11 Sunday"}},
		{"Christmas Day on a Saturday does not count, New Year's Day on a Saturday is allowed",
			noonLondon(t, "2021-12-20"), 7, "2022-01-01", "2022-01-01T00:00:00Z", []string{
				"2021-12-25 Christmas Day", "2021-12-26 Sunday",
				"2021-12-27 Christmas Day (substitute bank holiday)", "2021-12-28 Boxing Day (substitute bank holiday)"}},
		{"notice late on Friday UTC is Saturday in London",
			instant(t, "2026-06-26T23:30:00Z"), 1, "2026-06-30", "2026-06-29T23:00:00Z", []string{"2026-06-28 Sunday"}},
		{"n=0: control may be taken the next day, a Sunday",
			noonLondon(t, "2026-04-04"), 0, "2026-04-05", "2026-04-04T23:00:00Z", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := must(t)(c.ClearDaysTCG(tc.from, tc.n))
			if got := d.DueDate.String(); got != tc.wantDate {
				t.Errorf("DueDate = %s, want %s", got, tc.wantDate)
			}
			if !d.Due.Equal(instant(t, tc.wantDue)) || !d.Due.Equal(d.DueDate.StartOfDay()) {
				t.Errorf("Due = %v, want %s", d.Due, tc.wantDue)
			}
			if got := skippedString(d.Skipped); !slices.Equal(got, tc.wantSkipped) {
				t.Errorf("Skipped = %q\nwant      %q", got, tc.wantSkipped)
			}
			if d.Rule != RuleClearDaysTCG || d.Amount != tc.n {
				t.Errorf("Rule/Amount wrong: %+v", d)
			}
		})
	}
}

func TestAddMonthsClamped(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2026-01-31", 2, "2026-03-31"},
		{"2026-05-31", 1, "2026-06-30"},
		{"2026-08-31", 6, "2027-02-28"},
		{"2027-11-30", 3, "2028-02-29"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2026-12-15", 1, "2027-01-15"},
	}
	for _, tc := range tests {
		if got := addMonthsClamped(date(t, tc.from), tc.n).String(); got != tc.want {
			t.Errorf("addMonthsClamped(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}
