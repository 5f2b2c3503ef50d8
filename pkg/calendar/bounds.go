package calendar

import (
	"fmt"
	"time"
)

// Bounds for dates that record something real: a service refuses a date its meaning rules
// out (a birth in 2099, a letter received in 1066) instead of storing it.

// Earliest is the first day a birth or a past event may fall on: nothing a council records
// about a living matter happened before 1900.
var Earliest = NewDate(1900, time.January, 1)

// FirstDate and LastDate bound the dates ParseDate accepts. PostgreSQL has no year 0, and
// an instant keeps a four-digit year (RFC 3339, JSON) only up to 9999: the last year is
// left out so that the periods the services add to a date (the end of its day, a month to
// answer, the years a record is kept) still end in one.
var (
	FirstDate = Date{Year: 1, Month: time.January, Day: 1}
	LastDate  = Date{Year: 9998, Month: time.December, Day: 31}
)

// ClockSkew is how far ahead of the service's clock a client's "now" may run: an instant
// that far in the future is taken as now-ish, not refused as the future.
const ClockSkew = 5 * time.Minute

// Limit is one end of a date's range, named for the message: {today, "today"}.
type Limit struct {
	Date Date
	Name string // e.g. "today", "the decision date"; empty for the date alone
}

func (l Limit) String() string {
	if l.Name == "" {
		return l.Date.String()
	}
	return fmt.Sprintf("%s (%s)", l.Name, l.Date)
}

// YearsFrom is the same day n years after d (before it when n < 0); 29 February gives
// 1 March in a year without one.
func YearsFrom(d Date, n int) Date { return NewDate(d.Year+n, d.Month, d.Day) }

// Within reports why d is outside [from, to], both ends inclusive, or nil. A zero Date in
// a limit leaves that end open.
func Within(d Date, from, to Limit) error {
	switch {
	case !from.Date.IsZero() && d.Before(from.Date):
		return fmt.Errorf("cannot be before %s", from)
	case !to.Date.IsZero() && d.After(to.Date):
		return fmt.Errorf("cannot be after %s", to)
	}
	return nil
}

// Happened reports why the instant t, something that has already happened, cannot be
// true at now: later than now (beyond ClockSkew), or on a London day before from.
func Happened(t, now time.Time, from Limit) error {
	if t.After(now.Add(ClockSkew)) {
		return fmt.Errorf("cannot be in the future")
	}
	return Within(DateOf(t), from, Limit{})
}
