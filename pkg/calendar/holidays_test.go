package calendar

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rickar/cal/v2/gb"
)

func TestEmbeddedTableShape(t *testing.T) {
	c := newTestCalendar(t)
	if got := c.HolidayTableVersion(); got != "2026-11-29" {
		t.Fatalf("version = %q", got)
	}
	if !strings.Contains(c.HolidayTableSource(), "gov.uk") {
		t.Fatalf("source = %q", c.HolidayTableSource())
	}
	if from, to := c.CoveredYears(); from != 1995 || to != 2027 {
		t.Fatalf("covers %d..%d, want 1995..2027", from, to)
	}
	// Eight a year by the 1971 Act and common law, plus the one-off days.
	oneOffsPerYear := map[int]int{1999: 1, 2002: 1, 2011: 1, 2012: 1, 2022: 2, 2023: 1}
	for y := 1995; y <= 2027; y++ {
		hs := mustHolidays(t, c, y)
		if want := 8 + oneOffsPerYear[y]; len(hs) != want {
			t.Errorf("%d has %d bank holidays, want %d", y, len(hs), want)
		}
		for _, h := range hs {
			if wd := h.Date.Weekday(); wd == time.Saturday || wd == time.Sunday {
				t.Errorf("%s %s falls on a %v", h.Date, h.Name, wd)
			}
		}
	}
}

func TestTableOneOffsAndSubstitutes(t *testing.T) {
	c := newTestCalendar(t)
	want := map[string]string{
		"1995-01-02": "New Year's Day (substitute day)",
		"1995-05-08": "Early May bank holiday (VE day)",
		"1998-12-28": "Boxing Day (substitute day)",
		"1999-12-27": "Christmas Day (substitute day)",
		"1999-12-28": "Boxing Day (substitute day)",
		"1999-12-31": "Millennium celebrations",
		"2000-01-03": "New Year's Day (substitute day)",
		"2002-06-03": "Queen's Golden Jubilee",
		"2002-06-04": "Spring bank holiday",
		"2005-12-26": "Boxing Day",
		"2005-12-27": "Christmas Day (substitute day)",
		"2011-04-29": "Royal wedding",
		"2012-06-04": "Spring bank holiday",
		"2012-06-05": "Queen's Diamond Jubilee",
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
	}
	for ds, name := range want {
		got, ok, err := c.IsBankHoliday(date(t, ds))
		if err != nil || !ok || got != name {
			t.Errorf("IsBankHoliday(%s) = %q, %v, %v; want %q", ds, got, ok, err, name)
		}
	}
	// The usual days the one-offs displaced, and weekend days whose holiday moved.
	for _, ds := range []string{"1995-05-01", "1999-12-25", "2002-05-27", "2012-05-28", "2020-05-04", "2021-12-25",
		"2022-01-01", "2022-05-30", "2023-01-01", "2026-12-26"} {
		if name, ok, err := c.IsBankHoliday(date(t, ds)); ok || err != nil {
			t.Errorf("IsBankHoliday(%s) = %q, %v, %v; want not a bank holiday", ds, name, ok, err)
		}
	}
}

// Each day a royal proclamation added or moved must move a deadline that runs
// across it: one working day from the working day before lands after it.
func TestEachOneOffDayMovesDeadlines(t *testing.T) {
	c := newTestCalendar(t)
	tests := []struct {
		name, from, wantDue string
		wantSkipped         []string
	}{
		{"VE day 1995", "1995-05-05", "1995-05-09", []string{"1995-05-06 Saturday", "1995-05-07 Sunday",
			"1995-05-08 Early May bank holiday (VE day) (bank holiday)"}},
		{"1 May 1995 was a working day", "1995-04-28", "1995-05-01", []string{"1995-04-29 Saturday", "1995-04-30 Sunday"}},
		{"millennium 1999", "1999-12-30", "2000-01-04", []string{"1999-12-31 Millennium celebrations (bank holiday)",
			"2000-01-01 Saturday", "2000-01-02 Sunday", "2000-01-03 New Year's Day (substitute bank holiday)"}},
		{"Golden Jubilee 2002", "2002-05-31", "2002-06-05", []string{"2002-06-01 Saturday", "2002-06-02 Sunday",
			"2002-06-03 Queen's Golden Jubilee (bank holiday)", "2002-06-04 Spring bank holiday (bank holiday)"}},
		{"27 May 2002 was a working day", "2002-05-24", "2002-05-27", []string{"2002-05-25 Saturday", "2002-05-26 Sunday"}},
		{"royal wedding 2011", "2011-04-28", "2011-05-03", []string{"2011-04-29 Royal wedding (bank holiday)",
			"2011-04-30 Saturday", "2011-05-01 Sunday", "2011-05-02 Early May bank holiday (bank holiday)"}},
		{"Diamond Jubilee 2012", "2012-06-01", "2012-06-06", []string{"2012-06-02 Saturday", "2012-06-03 Sunday",
			"2012-06-04 Spring bank holiday (bank holiday)", "2012-06-05 Queen's Diamond Jubilee (bank holiday)"}},
		{"28 May 2012 was a working day", "2012-05-25", "2012-05-28", []string{"2012-05-26 Saturday", "2012-05-27 Sunday"}},
		{"VE day 2020", "2020-05-07", "2020-05-11", []string{"2020-05-08 Early May bank holiday (VE day) (bank holiday)",
			"2020-05-09 Saturday", "2020-05-10 Sunday"}},
		{"Platinum Jubilee 2022", "2022-06-01", "2022-06-06", []string{"2022-06-02 Spring bank holiday (bank holiday)",
			"2022-06-03 Platinum Jubilee bank holiday (bank holiday)", "2022-06-04 Saturday", "2022-06-05 Sunday"}},
		{"state funeral 2022", "2022-09-16", "2022-09-20", []string{"2022-09-17 Saturday", "2022-09-18 Sunday",
			"2022-09-19 Bank Holiday for the State Funeral of Queen Elizabeth II (bank holiday)"}},
		{"coronation 2023", "2023-05-05", "2023-05-09", []string{"2023-05-06 Saturday", "2023-05-07 Sunday",
			"2023-05-08 Bank holiday for the coronation of King Charles III (bank holiday)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := must(t)(c.AddWorkingDays(noonLondon(t, tc.from), 1))
			if got := d.DueDate.String(); got != tc.wantDue {
				t.Errorf("DueDate = %s, want %s", got, tc.wantDue)
			}
			if got := skippedString(d.Skipped); !slices.Equal(got, tc.wantSkipped) {
				t.Errorf("Skipped = %q\nwant      %q", got, tc.wantSkipped)
			}
		})
	}
}

// The example: received on Friday 1 June 2012, acknowledged within 5
// working days, which skip the Spring bank holiday and the Diamond Jubilee.
func TestComplaintReceivedOnFirstJune2012(t *testing.T) {
	c := newTestCalendar(t)
	d := must(t)(c.AddWorkingDays(time.Date(2012, 6, 1, 9, 0, 0, 0, London()), 5))
	if d.DueDate != (Date{2012, time.June, 12}) || !d.Due.Equal(instant(t, "2012-06-12T23:00:00Z")) {
		t.Fatalf("due %s (%v), want 2012-06-12 ending at 23:00Z", d.DueDate, d.Due)
	}
}

// The table must agree with rickar/cal, an independent implementation of the
// usual rules, for every year it covers, except for the one-off days, which
// the library does not know (or knows only in later years).
func TestTableAgreesWithRickarCal(t *testing.T) {
	knownDifferences := map[Date]string{
		{1995, time.May, 1}:        "early May bank holiday moved to VE day: rickar/cal keeps the usual day",
		{1995, time.May, 8}:        "early May bank holiday moved to VE day: missing from rickar/cal",
		{1999, time.December, 31}:  "millennium: missing from rickar/cal",
		{2002, time.May, 27}:       "spring bank holiday moved for the Golden Jubilee: rickar/cal keeps the usual day",
		{2002, time.June, 3}:       "Golden Jubilee: missing from rickar/cal",
		{2002, time.June, 4}:       "spring bank holiday moved for the Golden Jubilee: missing from rickar/cal",
		{2011, time.April, 29}:     "royal wedding: missing from rickar/cal",
		{2012, time.May, 28}:       "spring bank holiday moved for the Diamond Jubilee: rickar/cal keeps the usual day",
		{2012, time.June, 4}:       "spring bank holiday moved for the Diamond Jubilee: missing from rickar/cal",
		{2012, time.June, 5}:       "Diamond Jubilee: missing from rickar/cal",
		{2022, time.September, 19}: "State Funeral of Queen Elizabeth II: missing from rickar/cal",
	}
	c := newTestCalendar(t)
	from, to := c.CoveredYears()
	var seen []Date
	for y := from; y <= to; y++ {
		ours := map[Date]bool{}
		for _, h := range mustHolidays(t, c, y) {
			ours[h.Date] = true
		}
		lib := rickarHolidays(y)
		for d := range ours {
			if !lib[d] {
				if _, known := knownDifferences[d]; !known {
					t.Errorf("%s is in the table but not in rickar/cal", d)
				}
				seen = append(seen, d)
			}
		}
		for d := range lib {
			if !ours[d] {
				if _, known := knownDifferences[d]; !known {
					t.Errorf("%s is in rickar/cal but not in the table", d)
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

// rickarHolidays is the observed England and Wales bank holidays of a year by
// rickar/cal.
func rickarHolidays(year int) map[Date]bool {
	out := make(map[Date]bool)
	for _, h := range gb.Holidays {
		if _, observed := h.Calc(year); !observed.IsZero() {
			out[Date{Year: observed.Year(), Month: observed.Month(), Day: observed.Day()}] = true
		}
	}
	return out
}

func TestDatesOutsideTableAreRefused(t *testing.T) {
	c := newTestCalendar(t)
	outside := func(start, d string) *OutsideTableError {
		return &OutsideTableError{Start: date(t, start), Date: date(t, d), FromYear: 1995, ToYear: 2027, TableVersion: "2026-11-29"}
	}
	inside := must(t)(c.AddWorkingDays(noonLondon(t, "2027-12-10"), 5)) // due 2027-12-17
	tests := []struct {
		name string
		call func() (Deadline, error)
		want *OutsideTableError
	}{
		{"working days from before the table", func() (Deadline, error) { return c.AddWorkingDays(noonLondon(t, "1994-12-30"), 5) },
			outside("1994-12-30", "1994-12-30")},
		{"working days from the last day before the table", func() (Deadline, error) { return c.AddWorkingDays(noonLondon(t, "1994-12-31"), 1) },
			outside("1994-12-31", "1994-12-31")},
		{"working days running past the table", func() (Deadline, error) { return c.AddWorkingDays(noonLondon(t, "2027-12-23"), 5) },
			outside("2027-12-23", "2028-01-01")},
		{"working days from after the table", func() (Deadline, error) { return c.AddWorkingDays(noonLondon(t, "2028-01-04"), 1) },
			outside("2028-01-04", "2028-01-04")},
		{"calendar months from before the table", func() (Deadline, error) { return c.AddCalendarMonths(noonLondon(t, "1994-12-15"), 1) },
			outside("1994-12-15", "1994-12-15")},
		{"calendar months ending after the table", func() (Deadline, error) { return c.AddCalendarMonths(noonLondon(t, "2027-12-15"), 1) },
			outside("2027-12-15", "2028-01-15")},
		{"clear days from before the table", func() (Deadline, error) { return c.ClearDaysTCG(noonLondon(t, "1994-12-20"), 7) },
			outside("1994-12-20", "1994-12-20")},
		{"clear days running past the table", func() (Deadline, error) { return c.ClearDaysTCG(noonLondon(t, "2027-12-28"), 7) },
			outside("2027-12-28", "2028-01-01")},
		{"an extension running past the table", func() (Deadline, error) { return c.Extend(inside, 10, "complex") },
			outside("2027-12-10", "2028-01-01")},
		{"recomputing a deadline after the table", func() (Deadline, error) {
			return c.Recompute(Deadline{Rule: RuleWorkingDays, Amount: 5, Start: noonLondon(t, "2030-12-24")})
		}, outside("2030-12-24", "2030-12-24")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := tc.call()
			var got *OutsideTableError
			if !errors.As(err, &got) || *got != *tc.want {
				t.Fatalf("err = %#v, want %#v", err, tc.want)
			}
			if !d.DueDate.IsZero() {
				t.Errorf("a refusal came with a deadline: %+v", d)
			}
		})
	}

	// Every other question about a day outside the table is refused too.
	for _, ds := range []string{"1994-12-26", "2028-01-03"} {
		d := date(t, ds)
		if _, ok, err := c.IsBankHoliday(d); ok || !isOutside(err, d) {
			t.Errorf("IsBankHoliday(%s): %v, %v", ds, ok, err)
		}
		if ok, err := c.IsWorkingDay(d); ok || !isOutside(err, d) {
			t.Errorf("IsWorkingDay(%s): %v, %v", ds, ok, err)
		}
		if hs, err := c.Holidays(d.Year); hs != nil || !isOutside(err, NewDate(d.Year, 1, 1)) {
			t.Errorf("Holidays(%d): %v, %v", d.Year, hs, err)
		}
	}
}

func isOutside(err error, d Date) bool {
	var outside *OutsideTableError
	return errors.As(err, &outside) && outside.Date == d
}

func TestOutsideTableReasonSaysWhy(t *testing.T) {
	c := newTestCalendar(t)
	_, before := c.AddWorkingDays(noonLondon(t, "1994-06-01"), 5)
	_, after := c.AddWorkingDays(noonLondon(t, "2027-12-23"), 5)
	tests := map[error]string{
		before: "calendar: 1994-06-01 is before the years the England and Wales bank holiday table covers " +
			"(1995 to 2027, version 2026-11-29), so its working days cannot be known",
		after: "calendar: counting from 2027-12-23 reaches 2028-01-01, which is after the years the England and Wales " +
			"bank holiday table covers (1995 to 2027, version 2026-11-29), so its working days cannot be known",
	}
	for err, want := range tests {
		if err == nil || err.Error() != want {
			t.Errorf("error = %v\nwant    %s", err, want)
		}
	}
	// A region named with its article is not given a second one.
	uk := &OutsideTableError{Date: NewDate(1994, 6, 1), Start: NewDate(1994, 6, 1), Region: "the United Kingdom", FromYear: 1995, ToYear: 2027, TableVersion: "v"}
	if got := uk.Error(); !strings.Contains(got, "before the years the United Kingdom bank holiday table covers") {
		t.Errorf("error = %s", got)
	}
}

// Rules that never ask about holidays still answer for any year.
func TestRulesWithoutHolidaysAnswerOutsideTheTable(t *testing.T) {
	c := newTestCalendar(t)
	from := noonLondon(t, "2030-06-03")
	if got := c.AddYears(from, 6).DueDate.String(); got != "2036-06-03" {
		t.Errorf("AddYears = %s", got)
	}
	if got := c.AddHours(from, 72).DueDate.String(); got != "2030-06-06" {
		t.Errorf("AddHours = %s", got)
	}
	if got := c.SetDate(from, NewDate(2030, 7, 1), "the Ombudsman").DueDate.String(); got != "2030-07-01" {
		t.Errorf("SetDate = %s", got)
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
		"2012-06-05": false, // Diamond Jubilee
		"2012-06-06": true,
	}
	for ds, want := range tests {
		if got, err := c.IsWorkingDay(date(t, ds)); got != want || err != nil {
			t.Errorf("IsWorkingDay(%s) = %v, %v; want %v", ds, got, err, want)
		}
	}
}

func TestConfigExtraAndOverride(t *testing.T) {
	extra := []Holiday{
		{Date: Date{2027, time.June, 7}, Name: "Bank holiday for an occasion"},
		{Date: Date{2026, time.June, 2}, Name: "Earlier occasion"},
	}
	c, err := New(Config{Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.HolidayTableVersion(), "2026-11-29+2026-06-02+2027-06-07"; got != want {
		t.Fatalf("version = %q, want %q", got, want)
	}
	for _, h := range extra {
		if name, ok, err := c.IsBankHoliday(h.Date); !ok || err != nil || name != h.Name {
			t.Errorf("extra %s: got %q, %v, %v", h.Date, name, ok, err)
		}
	}
	if hs := mustHolidays(t, c, 2027); len(hs) != 9 || hs[5].Date != (Date{2027, time.June, 7}) {
		t.Errorf("Holidays(2027) with an extra = %v", hs)
	}

	// An extra holiday cannot open a year the table does not cover: that year's
	// other holidays would still be unknown.
	_, err = New(Config{Extra: []Holiday{{Date: Date{2031, time.June, 2}, Name: "Later occasion"}}})
	if err == nil || err.Error() != "calendar: extra holiday 2031-06-02 is outside the years table 2026-11-29 covers (1995 to 2027)" {
		t.Errorf("extra outside the table: err = %v", err)
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
	if name, ok, err := c.IsBankHoliday(date(t, "2026-01-02")); !ok || err != nil || name != "Test day" {
		t.Errorf("override holiday: %q, %v, %v", name, ok, err)
	}
	if _, ok, err := c.IsBankHoliday(date(t, "2026-01-01")); ok || err != nil {
		t.Error("the override table replaces the embedded one for the years it covers")
	}
	var outside *OutsideTableError
	if _, _, err := c.IsBankHoliday(date(t, "2027-01-01")); !errors.As(err, &outside) ||
		*outside != (OutsideTableError{Start: date(t, "2027-01-01"), Date: date(t, "2027-01-01"), FromYear: 2026, ToYear: 2026, TableVersion: "test-1"}) {
		t.Errorf("years outside the override table are refused, got %v", err)
	}
}

func TestNewRejectsBadTables(t *testing.T) {
	tests := map[string]Config{
		"not json":               {Holidays: []byte(`{`)},
		"no version":             {Holidays: []byte(`{"covers":{"from":2026,"to":2026},"holidays":[]}`)},
		"no years":               {Holidays: []byte(`{"version":"v","holidays":[]}`)},
		"bad date":               {Holidays: []byte(`{"version":"v","covers":{"from":2026,"to":2026},"holidays":[{"date":"2026-02-30","name":"x"}]}`)},
		"outside covers":         {Holidays: []byte(`{"version":"v","covers":{"from":2026,"to":2026},"holidays":[{"date":"2027-01-01","name":"x"}]}`)},
		"duplicate":              {Holidays: []byte(`{"version":"v","covers":{"from":2026,"to":2026},"holidays":[{"date":"2026-01-01","name":"x"},{"date":"2026-01-01","name":"y"}]}`)},
		"unnamed":                {Holidays: []byte(`{"version":"v","covers":{"from":2026,"to":2026},"holidays":[{"date":"2026-01-01","name":""}]}`)},
		"extra with date":        {Extra: []Holiday{{Name: "no date"}}},
		"extra before the table": {Extra: []Holiday{{Date: Date{1994, time.May, 2}, Name: "too early"}}},
	}
	for name, cfg := range tests {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

func mustHolidays(t *testing.T, c *Calendar, year int) []Holiday {
	t.Helper()
	hs, err := c.Holidays(year)
	if err != nil {
		t.Fatalf("Holidays(%d): %v", year, err)
	}
	return hs
}
