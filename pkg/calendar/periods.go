package calendar

import (
	"fmt"
	"time"
)

// RuleMonthsBeginningWith names a period of whole months that includes its first day, such
// as "the period of 12 months beginning with the date of the notice of enforcement" (Taking
// Control of Goods Regulations 2013, SI 2013/1894, reg 9(1)).
const RuleMonthsBeginningWith = "months_beginning_with"

// MonthsBeginningWith gives the last day of the period of n months beginning with the London
// date of from (the corresponding date rule for a period that includes its first day): the
// day before the corresponding day n months later or, when that month has no corresponding
// day, the last day of that month. So 12 months beginning with 29 February 2028 end on 28
// February 2029, 3 months beginning with 30 November 2026 on 28 February 2027 (29 February
// in a leap year), 3 months beginning with 31 August on 30 November. DueDate is that last
// day, still inside the period, and Due the London midnight that ends it. It panics if n < 1.
func (c *Calendar) MonthsBeginningWith(from time.Time, n int) Deadline {
	if n < 1 {
		panic(fmt.Sprintf("calendar: %s amount must be >= 1, got %d", RuleMonthsBeginningWith, n))
	}
	start := DateOf(from)
	return c.dayDeadline(from, RuleMonthsBeginningWith, n, lastDayOfMonthsBeginningWith(start, n), []SkippedDay{},
		fmt.Sprintf("%s beginning with %s; due date is the last day of the period", plural(n, "month"), start))
}

// lastDayOfMonthsBeginningWith is the last day of the n months beginning with d: the day
// before the corresponding day n months later, or the last day of that month when it is
// too short to have one (clamping alone and then stepping back a day would end a period
// beginning with a 29th, 30th or 31st a day early whenever the last month is shorter).
func lastDayOfMonthsBeginningWith(d Date, n int) Date {
	corresponding := addMonthsClamped(d, n)
	if corresponding.Day < d.Day { // clamped: the period takes the whole short month
		return corresponding
	}
	return corresponding.AddDays(-1)
}

// AddMonths returns the corresponding day n months later (earlier if n is negative), or the
// last day of that month when it is shorter: 31 January plus one month is 28 or 29 February.
// Instalment schedules use it for monthly due dates.
func (d Date) AddMonths(n int) Date { return addMonthsClamped(d, n) }

// ClockTime is a time of day on the London wall clock, to the second.
type ClockTime struct {
	Hour, Minute, Second int
}

// String writes the time as HH:MM:SS.
func (t ClockTime) String() string { return fmt.Sprintf("%02d:%02d:%02d", t.Hour, t.Minute, t.Second) }

func (t ClockTime) seconds() int { return t.Hour*3600 + t.Minute*60 + t.Second }

// LondonClockTime is the Europe/London wall-clock time of the instant t (GMT in winter, BST
// in summer), ignoring fractions of a second.
func LondonClockTime(t time.Time) ClockTime {
	h, m, s := t.In(london).Clock()
	return ClockTime{Hour: h, Minute: m, Second: s}
}

// WithinLondonHours reports whether the London wall-clock time of t lies from `from` to `to`,
// both included. Taking Control of Goods Regulations 2013 reg 13(1): control may not be taken
// "before 6 a.m. or after 9 p.m." on any day, so 06:00:00 and 21:00:00 are both allowed.
func WithinLondonHours(t time.Time, from, to ClockTime) bool {
	s := LondonClockTime(t).seconds()
	return s >= from.seconds() && s <= to.seconds()
}
