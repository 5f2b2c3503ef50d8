package calendar

import (
	"slices"
	"testing"
	"time"
)

func TestAddWorkingDays(t *testing.T) {
	c := newTestCalendar(t)
	tests := []struct {
		name     string
		from     time.Time
		n        int
		wantDate string
		wantDue  string // instant it becomes overdue
	}{
		{"Christmas 2020, Boxing Day substitute", noonLondon(t, "2020-12-23"), 5, "2021-01-04", "2021-01-05T00:00:00Z"},
		{"Christmas 2021 on a weekend, two substitutes", noonLondon(t, "2021-12-24"), 5, "2022-01-05", "2022-01-06T00:00:00Z"},
		{"Christmas 2022 on a Sunday", noonLondon(t, "2022-12-23"), 5, "2023-01-04", "2023-01-05T00:00:00Z"},
		{"Christmas 2027 on a weekend", noonLondon(t, "2027-12-20"), 5, "2027-12-29", "2027-12-30T00:00:00Z"},
		{"Diamond Jubilee 2012: 4 and 5 June", noonLondon(t, "2012-06-01"), 5, "2012-06-12", "2012-06-12T23:00:00Z"},
		{"millennium 1999 after two Christmas substitutes", noonLondon(t, "1999-12-23"), 5, "2000-01-05", "2000-01-06T00:00:00Z"},
		{"first day of the table", noonLondon(t, "1995-01-01"), 1, "1995-01-03", "1995-01-04T00:00:00Z"},
		{"Easter 2026", noonLondon(t, "2026-04-01"), 5, "2026-04-10", "2026-04-10T23:00:00Z"},
		{"State funeral 19 September 2022", noonLondon(t, "2022-09-15"), 5, "2022-09-23", "2022-09-23T23:00:00Z"},
		{"Coronation 8 May 2023", noonLondon(t, "2023-05-04"), 10, "2023-05-19", "2023-05-19T23:00:00Z"},
		{"Platinum Jubilee 2022", noonLondon(t, "2022-06-01"), 1, "2022-06-06", "2022-06-06T23:00:00Z"},
		{"VE day 2020", noonLondon(t, "2020-05-07"), 1, "2020-05-11", "2020-05-11T23:00:00Z"},
		{"received on a Saturday", noonLondon(t, "2026-01-03"), 5, "2026-01-09", "2026-01-10T00:00:00Z"},
		{"late evening UTC is next day in BST", instant(t, "2026-06-30T23:30:00Z"), 5, "2026-07-08", "2026-07-08T23:00:00Z"},
		{"late evening UTC is same day in GMT", instant(t, "2026-01-05T23:30:00Z"), 1, "2026-01-06", "2026-01-07T00:00:00Z"},
		{"clocks go forward, Easter too", noonLondon(t, "2026-03-27"), 5, "2026-04-07", "2026-04-07T23:00:00Z"},
		{"clocks go back: Friday night UTC is Saturday", instant(t, "2026-10-23T23:30:00Z"), 1, "2026-10-26", "2026-10-27T00:00:00Z"},
		{"n=0 is the day itself", noonLondon(t, "2026-01-03"), 0, "2026-01-03", "2026-01-04T00:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := must(t)(c.AddWorkingDays(tc.from, tc.n))
			if got := d.DueDate.String(); got != tc.wantDate {
				t.Errorf("DueDate = %s, want %s (skipped %v)", got, tc.wantDate, skippedString(d.Skipped))
			}
			if !d.Due.Equal(instant(t, tc.wantDue)) {
				t.Errorf("Due = %v, want %s", d.Due, tc.wantDue)
			}
			if d.Rule != RuleWorkingDays || d.Amount != tc.n || !d.Start.Equal(tc.from) || d.StartDate != DateOf(tc.from) {
				t.Errorf("provenance wrong: %+v", d)
			}
			if d.HolidayTableVersion != "2026-11-29" {
				t.Errorf("HolidayTableVersion = %q", d.HolidayTableVersion)
			}
		})
	}
}

func TestAddWorkingDaysRecordsSkippedDaysAndDescription(t *testing.T) {
	c := newTestCalendar(t)
	d := must(t)(c.AddWorkingDays(noonLondon(t, "2020-12-23"), 5))
	want := []string{
		"2020-12-25 Christmas Day (bank holiday)",
		"2020-12-26 Saturday",
		"2020-12-27 Sunday",
		"2020-12-28 Boxing Day (substitute bank holiday)",
		"2021-01-01 New Year's Day (bank holiday)",
		"2021-01-02 Saturday",
		"2021-01-03 Sunday",
	}
	if got := skippedString(d.Skipped); !slices.Equal(got, want) {
		t.Errorf("Skipped = %q\nwant      %q", got, want)
	}
	if want := "5 working days (England and Wales) after 2020-12-23"; d.Description != want {
		t.Errorf("Description = %q, want %q", d.Description, want)
	}
	if got := must(t)(c.AddWorkingDays(noonLondon(t, "2026-01-05"), 1)).Description; got != "1 working day (England and Wales) after 2026-01-05" {
		t.Errorf("singular Description = %q", got)
	}
	if got := must(t)(c.AddWorkingDays(noonLondon(t, "2026-01-05"), 3)).Skipped; got == nil || len(got) != 0 {
		t.Errorf("no skipped days must be an empty, non-nil list, got %#v", got)
	}
}

func TestNegativeAmountPanics(t *testing.T) {
	c := newTestCalendar(t)
	defer func() {
		if recover() == nil {
			t.Fatal("AddWorkingDays(-1) did not panic")
		}
	}()
	_, _ = c.AddWorkingDays(noonLondon(t, "2026-01-05"), -1)
}
