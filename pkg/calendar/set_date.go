package calendar

import (
	"fmt"
	"time"
)

// RuleSetDate is a deadline another body fixed as a date (for example the Ombudsman's
// date for a council's response): nothing is counted, but the date and who set it are
// recorded like any computed deadline.
const RuleSetDate = "set_date"

// SetDate records a due date set by setBy, given on the London date of from. As with the
// counted rules, DueDate is the last day still on time and Due the London midnight ending it.
func (c *Calendar) SetDate(from time.Time, due Date, setBy string) Deadline {
	return c.dayDeadline(from, RuleSetDate, 0, due, []SkippedDay{},
		fmt.Sprintf("date %s set by %s on %s", due, setBy, DateOf(from)))
}
