package calendar

import (
	"fmt"
	"time"
)

// RuleMonths is a period of calendar months that ends on whatever day it falls, with no
// move to a working day: a publication period, a rehabilitation period.
const RuleMonths = "months"

// AddMonths gives the corresponding day n calendar months after the London date of from,
// or the last day of the month when it has no such day (31 August + 6 months = 28/29
// February). Unlike AddCalendarMonths the date is not moved off a weekend or bank holiday:
// the period is a span of time, not a time to act. DueDate is that day; Due its end. It
// panics if n < 0.
func (c *Calendar) AddMonths(from time.Time, n int) Deadline {
	mustNotBeNegative(RuleMonths, n)
	start := DateOf(from)
	return c.dayDeadline(from, RuleMonths, n, addMonthsClamped(start, n), []SkippedDay{},
		fmt.Sprintf("%s after %s (the corresponding day, or the last day of a shorter month)", plural(n, "calendar month"), start))
}
