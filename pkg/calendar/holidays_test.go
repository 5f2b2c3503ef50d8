package calendar

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestEmbeddedTableShape(t *testing.T) {
	c := newTestCalendar(t)
	if got := c.HolidayTableVersion(); got != "2026-11-22" {
		t.Fatalf("version = %q", got)
	}
	if !strings.Contains(c.HolidayTableSource(), "gov.uk") {
		t.Fatalf("source = %q", c.HolidayTableSource())
	}
	if c.fromYear != 2018 || c.toYear != 2028 {
		t.Fatalf("covers %d..%d, want 2018..2028", c.fromYear, c.toYear)
	}
	for y := 2018; y <= 2028; y++ {
		for _, h := range c.Holidays(y) {
			if wd := h.Date.Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Errorf("%s %s falls on a %v", h.Date, h.Name, wd)
			}
		}
	}
}

func TestTableOneOffsAndSubstitutes(t *testing.T) {
	c := newTestCalendar(t)
	want := map[string]string{
		"2020-05-08": "Early May bank holiday (VE day)",
		"2020-12-28": "Boxing Day (substitute day)",
		"2021-12-27": "Christmas Day (substitute day)",
		"2021-12-28": "Boxing Day (substitute day)",
		"2022-01-03": "New Year's Day (substitute day)",
		"2022-06-02": "Spring bank holiday",
		"2022-06-03": "Platinum Jubilee bank holiday",
		"2022-09-19": "Bank Holiday for the State Funeral of Queen Elizabeth II",
		"2022-12-26": "Boxing Day",
		"2022-12-27": "Christmas Day (substitute day)",
		"2023-01-02": "New Year's Day (substitute day)",
		"2023-05-08": "Bank holiday for the coronation of King Charles III",
		"2026-12-28": "Boxing Day (substitute day)",
		"2027-12-27": "Christmas Day (substitute day)",
		"2027-12-28": "Boxing Day (substitute day)",
		"2028-01-03": "New Year's Day (substitute day)",
	}
	for ds, name := range want {
		got, ok := c.IsBankHoliday(date(t, ds))
		if !ok || got != name {
			t.Errorf("IsBankHoliday(%s) = %q, %v; want %q", ds, got, ok, name)
		}
	}
	for _, ds := range []string{"2020-05-04", "2021-12-25", "2022-01-01", "2022-05-30", "2023-01-01", "2026-12-26"} {
		if name, ok := c.IsBankHoliday(date(t, ds)); ok {
			t.Errorf("IsBankHoliday(%s) = %q, want not a bank holiday", ds, name)
		}
	}
	if got := len(c.Holidays(2022)); got != 10 {
		t.Errorf("2022 has %d bank holidays, want 10", got)
	}
	if got := len(c.Holidays(2026)); got != 8 {
		t.Errorf("2026 has %d bank holidays, want 8", got)
	}
}

// The table must agree with rickar/cal for every year it covers, except for
// the dates listed here, which the library gets wrong.
func TestTableAgreesWithRickarCal(t *testing.T) {
	knownDifferences := map[Date]string{
		{2022, time.September, 19}: "State Funeral of Queen Elizabeth II: missing from rickar/cal",
	}
	c := newTestCalendar(t)
	var seen []Date
	for y := c.fromYear; y <= c.toYear; y++ {
		ours := map[Date]bool{}
		for _, h := range c.Holidays(y) {
			ours[h.Date] = true
		}
		lib := libraryHolidays(y)
		for d := range ours {
			if _, ok := lib[d]; !ok {
				if _, known := knownDifferences[d]; !known {
					t.Errorf("%s is in the table but not in rickar/cal", d)
				}
				seen = append(seen, d)
			}
		}
		for d, h := range lib {
			if !ours[d] {
				if _, known := knownDifferences[d]; !known {
					t.Errorf("%s (%s) is in rickar/cal but not in the table", d, h.Name)
				}
				seen = append(seen, d)
			}
		}
	}
	for d, why := range knownDifferences {
		if !slices.Contains(seen, d) {
			t.Errorf("known difference %s (%s) no longer differs: remove it from the list", d, why)
		}
	}
}

func TestYearsOutsideTableUseRickarCal(t *testing.T) {
	c := newTestCalendar(t)
	tests := map[string]string{
		"2017-12-25": "Christmas Day",
		"2029-01-01": "New Year's Day",
		"2029-03-30": "Good Friday",
		"2032-12-27": "Christmas Day (substitute day)", // 25 Dec 2032 is a Saturday
		"2032-12-28": "Boxing Day (substitute day)",
	}
	for ds, name := range tests {
		if got, ok := c.IsBankHoliday(date(t, ds)); !ok || got != name {
			t.Errorf("IsBankHoliday(%s) = %q, %v; want %q", ds, got, ok, name)
		}
	}
	if c.IsWorkingDay(date(t, "2029-03-30")) || !c.IsWorkingDay(date(t, "2029-04-03")) {
		t.Error("IsWorkingDay wrong around Easter 2029")
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := newTestCalendar(t)
	tests := map[string]bool{
		"2026-01-02": true,  // Friday
		"2026-01-03": false, // Saturday
		"2026-01-04": false, // Sunday
		"2026-01-01": false, // New Year's Day
		"2022-09-19": false, // State funeral
		"2022-09-20": true,
	}
	for ds, want := range tests {
		if got := c.IsWorkingDay(date(t, ds)); got != want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", ds, got, want)
		}
	}
}

func TestConfigExtraAndOverride(t *testing.T) {
	extra := []Holiday{
		{Date: Date{2027, time.June, 7}, Name: "Bank holiday for an occasion"},
		{Date: Date{2031, time.June, 2}, Name: "Later occasion"},
	}
	c, err := New(Config{Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.HolidayTableVersion(), "2026-11-22+2027-06-07+2031-06-02"; got != want {
		t.Fatalf("version = %q, want %q", got, want)
	}
	for _, h := range extra {
		if name, ok := c.IsBankHoliday(h.Date); !ok || name != h.Name {
			t.Errorf("extra %s: got %q, %v", h.Date, name, ok)
		}
	}

	override := []byte(`{"version":"test-1","source":"test","covers":{"from":2026,"to":2026},
		"holidays":[{"date":"2026-01-02","name":"Test day"}]}`)
	c, err = New(Config{Holidays: override})
	if err != nil {
		t.Fatal(err)
	}
	if c.HolidayTableVersion() != "test-1" {
		t.Fatalf("version = %q", c.HolidayTableVersion())
	}
	if name, ok := c.IsBankHoliday(date(t, "2026-01-02")); !ok || name != "Test day" {
		t.Errorf("override holiday: %q, %v", name, ok)
	}
	if _, ok := c.IsBankHoliday(date(t, "2026-01-01")); ok {
		t.Error("the override table replaces the embedded one for the years it covers")
	}
	if _, ok := c.IsBankHoliday(date(t, "2027-01-01")); !ok {
		t.Error("years outside the override table fall back to rickar/cal")
	}
}

func TestNewRejectsBadTables(t *testing.T) {
	tests := map[string]Config{
		"not json":        {Holidays: []byte(`{`)},
		"no version":      {Holidays: []byte(`{"covers":{"from":2026,"to":2026},"holidays":[]}`)},
		"no years":        {Holidays: []byte(`{"version":"v","holidays":[]}`)},
		"bad date":        {Holidays: []byte(`{"version":"v","covers":{"from":2026,"to":2026},"holidays":[{"date":"2026-02-30","name":"x"}]}`)},
		"outside covers":  {Holidays: []byte(`{"version":"v","covers":{"from":2026,"to":2026},"holidays":[{"date":"2027-01-01","name":"x"}]}`)},
		"duplicate":       {Holidays: []byte(`{"version":"v","covers":{"from":2026,"to":2026},"holidays":[{"date":"2026-01-01","name":"x"},{"date":"2026-01-01","name":"y"}]}`)},
		"unnamed":         {Holidays: []byte(`{"version":"v","covers":{"from":2026,"to":2026},"holidays":[{"date":"2026-01-01","name":""}]}`)},
		"extra with date": {Extra: []Holiday{{Name: "no date"}}},
	}
	for name, cfg := range tests {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}
