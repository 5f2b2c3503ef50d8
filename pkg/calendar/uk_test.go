package calendar

import (
	"testing"
	"time"
)

func newUKCalendar(t *testing.T) *Calendar {
	t.Helper()
	c, err := New(Config{Holidays: UnitedKingdomHolidays()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Every England and Wales bank holiday is in the UK table, with the days only Scotland or
// Northern Ireland keep.
func TestUnitedKingdomTable(t *testing.T) {
	uk, ew := newUKCalendar(t), newTestCalendar(t)
	from, to := ew.CoveredYears()
	if f, l := uk.CoveredYears(); f != from || l != to {
		t.Fatalf("UK table covers %d-%d, England and Wales %d-%d", f, l, from, to)
	}
	for y := from; y <= to; y++ {
		hs, err := ew.Holidays(y)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			if _, ok, _ := uk.IsBankHoliday(h.Date); !ok {
				t.Errorf("%s %s is missing from the UK table", h.Date, h.Name)
			}
		}
	}
	for _, tc := range []struct{ date, name string }{
		{"2026-01-02", "2nd January (Scotland)"},
		{"2027-01-04", "2nd January (Scotland) (substitute day)"},
		{"2026-03-17", "St Patrick's Day (Northern Ireland)"},
		{"2024-03-18", "St Patrick's Day (Northern Ireland) (substitute day)"},
		{"2026-07-13", "Battle of the Boyne (Northern Ireland) (substitute day)"},
		{"2026-08-03", "Summer bank holiday (Scotland)"},
		{"2026-11-30", "St Andrew's Day (Scotland)"},
		{"2025-12-01", "St Andrew's Day (Scotland) (substitute day)"},
	} {
		name, ok, err := uk.IsBankHoliday(date(t, tc.date))
		if err != nil || !ok || name != tc.name {
			t.Errorf("%s: %q %v %v, want %q", tc.date, name, ok, err, tc.name)
		}
		if _, ok, _ := ew.IsBankHoliday(date(t, tc.date)); ok {
			t.Errorf("%s is in the England and Wales table", tc.date)
		}
	}
	if _, ok, _ := uk.IsBankHoliday(date(t, "2006-11-30")); ok {
		t.Error("St Andrew's Day before the 2007 Act")
	}
}

// FOIA s10(1): the twentieth working day following the date of receipt, working days
// excluding a bank holiday in any part of the UK.
func TestUnitedKingdomWorkingDays(t *testing.T) {
	uk, ew := newUKCalendar(t), newTestCalendar(t)
	cases := []struct {
		name, received, want string
	}{
		// Christmas Day, the Boxing Day substitute, New Year's Day and Scotland's 2 January
		// substitute on Monday 4 January 2027 do not count.
		{"over Christmas", "2026-12-18", "2027-01-21"},
		// St Patrick's Day, Good Friday and Easter Monday do not count.
		{"over Easter", "2026-03-12", "2026-04-14"},
		// Received on a Saturday: the first working day after it is day one, as for a request
		// received on the Friday before.
		{"received on a Saturday", "2026-03-07", "2026-04-08"},
		{"received on the Friday before", "2026-03-06", "2026-04-08"},
		{"received on the Monday after", "2026-03-09", "2026-04-09"},
	}
	for _, tc := range cases {
		d := must(t)(uk.AddWorkingDays(noonLondon(t, tc.received), 20))
		if d.DueDate != date(t, tc.want) {
			t.Errorf("%s: due %s, want %s (skipped %q)", tc.name, d.DueDate, tc.want, skippedString(d.Skipped))
		}
	}
	d := must(t)(uk.AddWorkingDays(noonLondon(t, "2026-12-18"), 20))
	if want := "20 working days (the United Kingdom) after 2026-12-18"; d.Description != want {
		t.Errorf("description %q, want %q", d.Description, want)
	}
	// In England and Wales alone, 4 January 2027 is a working day.
	if got := must(t)(ew.AddWorkingDays(noonLondon(t, "2026-12-18"), 20)).DueDate; got != date(t, "2027-01-20") {
		t.Errorf("England and Wales: %s", got)
	}
}

// The days only Scotland or Northern Ireland keep are, every year of the table, exactly
// those their rules give (gov.uk/bank-holidays; Banking and Financial Dealings Act 1971
// Sch 1; St Andrew's Day Bank Holiday (Scotland) Act 2007): 1 and 2 January, each moved to
// the next weekday not already taken; the first Monday in August; St Andrew's Day from
// 2007; St Patrick's Day; 12 July. Each of them that England and Wales does not also keep
// must be in the UK table, and the table must hold no other.
func TestUnitedKingdomTableHasExactlyTheScottishAndNorthernIrishDays(t *testing.T) {
	uk, ew := newUKCalendar(t), newTestCalendar(t)
	from, to := uk.CoveredYears()
	nextFree := func(d Date, taken map[Date]bool) Date {
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || taken[d] {
			d = d.AddDays(1)
		}
		return d
	}
	for y := from; y <= to; y++ {
		want := map[Date]bool{}
		newYear := map[Date]bool{}
		for _, day := range []int{1, 2} {
			d := nextFree(NewDate(y, time.January, day), newYear)
			newYear[d] = true
			want[d] = true
		}
		august := NewDate(y, time.August, 1)
		for august.Weekday() != time.Monday {
			august = august.AddDays(1)
		}
		want[august] = true
		if y >= 2007 {
			want[nextFree(NewDate(y, time.November, 30), nil)] = true
		}
		want[nextFree(NewDate(y, time.March, 17), nil)] = true
		want[nextFree(NewDate(y, time.July, 12), nil)] = true
		for d := range want {
			if _, inEW, _ := ew.IsBankHoliday(d); inEW {
				delete(want, d)
			}
		}
		hs, err := uk.Holidays(y)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			if _, inEW, _ := ew.IsBankHoliday(h.Date); inEW {
				continue
			}
			if !want[h.Date] {
				t.Errorf("%s %q is in the UK table but no Scottish or Northern Irish rule gives it", h.Date, h.Name)
			}
			delete(want, h.Date)
		}
		for d := range want {
			t.Errorf("%s is a bank holiday in Scotland or Northern Ireland but missing from the UK table", d)
		}
	}
}
