package calendar

import (
	"fmt"
	"time"

	"github.com/rickar/cal/v2/gb"
)

// AddWorkingDays counts as the Complaint Handling Code does: the day of
// receipt does not count, and the due date is the n-th working day after the
// London date of from (weekends and England and Wales bank holidays skipped).
// n = 0 gives the day of receipt itself. A start or due date outside the
// holiday table's years is refused with *OutsideTableError. It panics if n < 0.
func (c *Calendar) AddWorkingDays(from time.Time, n int) (Deadline, error) {
	mustNotBeNegative(RuleWorkingDays, n)
	start := DateOf(from)
	due, skipped, err := c.countWorkingDays(start, start, n)
	if err != nil {
		return Deadline{}, err
	}
	return c.dayDeadline(from, RuleWorkingDays, n, due, skipped,
		fmt.Sprintf("%s (%s) after %s", plural(n, "working day"), c.Region(), start)), nil
}

// AddCalendarMonths gives the UK GDPR subject access period: the
// corresponding day n months after the London date of from, or the last day
// of the month when it has no such day (31 January -> 28/29 February). As the
// ICO advises, a due date on a weekend or bank holiday moves to the next
// working day; the days passed over are recorded in Skipped. A start or due
// date outside the holiday table's years is refused with *OutsideTableError.
// It panics if n < 0.
func (c *Calendar) AddCalendarMonths(from time.Time, n int) (Deadline, error) {
	mustNotBeNegative(RuleCalendarMonths, n)
	start := DateOf(from)
	due, skipped, err := c.nextWorkingDay(start, addMonthsClamped(start, n))
	if err != nil {
		return Deadline{}, err
	}
	return c.dayDeadline(from, RuleCalendarMonths, n, due, skipped, c.monthsDescription(n, start)), nil
}

func (c *Calendar) monthsDescription(n int, start Date) string {
	return fmt.Sprintf("%s from %s (the corresponding day, or the last day of a shorter month; "+
		"moved to the next working day if that is a weekend or %s bank holiday)",
		plural(n, "calendar month"), start, c.Region())
}

// AddHours gives a period of n calendar hours, such as the ICO's 72 hours for
// a breach report: Due is exactly from + n hours. It panics if n < 0.
func (c *Calendar) AddHours(from time.Time, n int) Deadline {
	mustNotBeNegative(RuleHours, n)
	start := from.UTC()
	due := start.Add(time.Duration(n) * time.Hour)
	return Deadline{
		Start:               start,
		StartDate:           DateOf(start),
		Rule:                RuleHours,
		Amount:              n,
		Description:         fmt.Sprintf("%s from %s", plural(n, "hour"), start.Format(time.RFC3339)),
		DueDate:             DateOf(due.Add(-time.Nanosecond)),
		Due:                 due,
		Skipped:             []SkippedDay{},
		HolidayTableVersion: c.version,
	}
}

// AddYears gives the London date n years after from (29 February becomes 28
// February in a non-leap year), for retention periods. It panics if n < 0.
func (c *Calendar) AddYears(from time.Time, n int) Deadline {
	mustNotBeNegative(RuleYears, n)
	start := DateOf(from)
	return c.dayDeadline(from, RuleYears, n, addMonthsClamped(start, 12*n), []SkippedDay{},
		fmt.Sprintf("%s after %s", plural(n, "year"), start))
}

// ClearDaysTCG gives the earliest day on which control of goods may be taken
// after a notice of enforcement given on the London date of from, leaving at
// least n clear days between (Taking Control of Goods Regulations 2013, SI
// 2013/1894). Clear days exclude the day of the notice and the day control is
// taken (reg 2); a Sunday, bank holiday, Good Friday or Christmas Day within the
// period does not count, but a Saturday does (reg 6(2)). The day of taking
// control is outside the period and may be any day of the week (reg 12), so it
// is the day after the n-th clear day, whatever day that is.
//
// DueDate is the earliest allowed day and Due its StartOfDay. A start or due
// date outside the holiday table's years is refused with *OutsideTableError.
// It panics if n < 0.
func (c *Calendar) ClearDaysTCG(from time.Time, n int) (Deadline, error) {
	mustNotBeNegative(RuleClearDaysTCG, n)
	start := DateOf(from)
	if err := c.covers(start, start); err != nil {
		return Deadline{}, err
	}
	skipped := []SkippedDay{}
	d := start
	for counted := 0; counted < n; {
		d = d.AddDays(1)
		reason, excluded, err := c.tcgExcludedReason(start, d)
		if err != nil {
			return Deadline{}, err
		}
		if excluded {
			skipped = append(skipped, SkippedDay{Date: d, Reason: reason})
			continue
		}
		counted++
	}
	d = d.AddDays(1)
	if err := c.covers(start, d); err != nil {
		return Deadline{}, err
	}
	dl := c.dayDeadline(from, RuleClearDaysTCG, n, d, skipped,
		fmt.Sprintf("%s (Sundays, bank holidays, Good Friday and Christmas Day not counted) after notice given on %s; "+
			"due date is the earliest day control of goods may be taken", plural(n, "clear day"), start))
	dl.Due = d.StartOfDay()
	return dl, nil
}

// ClearDays gives the earliest day of a step that must follow notice given on the London
// date of from by at least n clear days, every day counting: neither the day of the notice
// nor the day of the step is one (SI 2013/1894 reg 2), and no day is left out, as only the
// notice of enforcement's period leaves out Sundays and holidays (reg 6(2): ClearDaysTCG).
// The notice of sale is one (reg 37(1): 7 clear days before the sale). DueDate is the
// earliest allowed day and Due its StartOfDay. It panics if n < 0.
func (c *Calendar) ClearDays(from time.Time, n int) Deadline {
	mustNotBeNegative(RuleClearDays, n)
	start := DateOf(from)
	d := start.AddDays(n + 1)
	dl := c.dayDeadline(from, RuleClearDays, n, d, []SkippedDay{},
		fmt.Sprintf("%s (every day counted) after notice given on %s; due date is the earliest day the step may be taken", plural(n, "clear day"), start))
	dl.Due = d.StartOfDay()
	return dl
}

// dayDeadline fills in a deadline whose due date is a whole London day.
func (c *Calendar) dayDeadline(from time.Time, rule string, n int, due Date, skipped []SkippedDay, description string) Deadline {
	return Deadline{
		Start:               from.UTC(),
		StartDate:           DateOf(from),
		Rule:                rule,
		Amount:              n,
		Description:         description,
		DueDate:             due,
		Due:                 due.EndOfDay(),
		Skipped:             skipped,
		HolidayTableVersion: c.version,
	}
}

// countWorkingDays returns the n-th working day after from and the days it
// passed over; start is the period's start, for a refusal. from itself must be
// in the table's years too, so a period never starts where it cannot be checked.
func (c *Calendar) countWorkingDays(start, from Date, n int) (Date, []SkippedDay, error) {
	if err := c.covers(start, from); err != nil {
		return Date{}, nil, err
	}
	skipped := []SkippedDay{}
	d := from
	for counted := 0; counted < n; {
		d = d.AddDays(1)
		reason, off, err := c.nonWorkingReason(start, d)
		if err != nil {
			return Date{}, nil, err
		}
		if off {
			skipped = append(skipped, SkippedDay{Date: d, Reason: reason})
			continue
		}
		counted++
	}
	return d, skipped, nil
}

// nextWorkingDay returns d if it is a working day, else the next one, with
// the days passed over; start is the period's start, checked like d.
func (c *Calendar) nextWorkingDay(start, d Date) (Date, []SkippedDay, error) {
	if err := c.covers(start, start); err != nil {
		return Date{}, nil, err
	}
	skipped := []SkippedDay{}
	for {
		reason, off, err := c.nonWorkingReason(start, d)
		if err != nil {
			return Date{}, nil, err
		}
		if !off {
			return d, skipped, nil
		}
		skipped = append(skipped, SkippedDay{Date: d, Reason: reason})
		d = d.AddDays(1)
	}
}

func (c *Calendar) nonWorkingReason(start, d Date) (string, bool, error) {
	h, ok, err := c.holiday(start, d)
	if err != nil {
		return "", false, err
	}
	if ok {
		return h.reason(), true, nil
	}
	switch d.Weekday() {
	case time.Saturday:
		return "Saturday", true, nil
	case time.Sunday:
		return "Sunday", true, nil
	}
	return "", false, nil
}

// tcgExcludedReason: Christmas Day and Good Friday are named separately in
// the regulations because they are not bank holidays under the 1971 Act; a
// Christmas Day on a weekend is excluded even though its bank holiday is the
// substitute Monday.
func (c *Calendar) tcgExcludedReason(start, d Date) (string, bool, error) {
	h, ok, err := c.holiday(start, d)
	switch {
	case err != nil:
		return "", false, err
	case ok:
		return h.reason(), true, nil
	case d.Month == time.December && d.Day == 25:
		return "Christmas Day", true, nil
	case isGoodFriday(d):
		return "Good Friday", true, nil
	case d.Weekday() == time.Sunday:
		return "Sunday", true, nil
	}
	return "", false, nil
}

func isGoodFriday(d Date) bool {
	actual, _ := gb.GoodFriday.Calc(d.Year)
	y, m, day := actual.Date()
	return d == Date{Year: y, Month: m, Day: day}
}

// addMonthsClamped returns the corresponding day n months later, or the last
// day of that month when it is shorter.
func addMonthsClamped(d Date, n int) Date {
	firstOfTarget := NewDate(d.Year, d.Month+time.Month(n), 1)
	lastDay := NewDate(firstOfTarget.Year, firstOfTarget.Month+1, 1).AddDays(-1).Day
	return NewDate(firstOfTarget.Year, firstOfTarget.Month, min(d.Day, lastDay))
}
