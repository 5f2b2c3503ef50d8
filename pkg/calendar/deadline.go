package calendar

import (
	"fmt"
	"time"
)

// Rule names recorded in Deadline.Rule.
const (
	RuleWorkingDays    = "working_days"    // Complaint Handling Code
	RuleCalendarMonths = "calendar_months" // UK GDPR subject access
	RuleHours          = "hours"           // ICO breach report
	RuleYears          = "years"           // retention
	RuleClearDaysTCG   = "clear_days_tcg"  // Taking Control of Goods notice of enforcement
	RuleClearDays      = "clear_days"      // every day counted: a notice of sale
)

// SkippedDay is a day that was not counted, with why.
type SkippedDay struct {
	Date   Date   `json:"date"`
	Reason string `json:"reason"` // e.g. "Saturday", "Christmas Day (bank holiday)"
}

// Extension records one extension of a deadline.
type Extension struct {
	Amount      int    `json:"amount"`        // in the unit of the deadline's rule
	Reason      string `json:"reason"`        // why the deadline was extended
	FromDueDate Date   `json:"from_due_date"` // the due date it extended
}

// Deadline is a computed deadline together with how it was computed, so that
// it can be stored (JSONB), shown to officers and recomputed.
//
// For every rule except the clear days rules, DueDate is the last day on which
// the thing is still on time and Due is the instant it becomes overdue: the
// London midnight ending DueDate (hours rules: the exact instant, with
// DueDate the London date of the last on-time moment).
//
// For RuleClearDaysTCG and RuleClearDays, DueDate is the EARLIEST day on which
// the step (taking control of goods, a sale) may be taken and Due is the start of
// that day: before Due is too early.
type Deadline struct {
	Start               time.Time    `json:"start"` // the instant the period runs from (UTC)
	StartDate           Date         `json:"start_date"`
	Rule                string       `json:"rule"`
	Amount              int          `json:"amount"`
	Description         string       `json:"description"`
	DueDate             Date         `json:"due_date"`
	Due                 time.Time    `json:"due"`
	Skipped             []SkippedDay `json:"skipped"`
	Extensions          []Extension  `json:"extensions,omitempty"`
	Stops               []ClockStop  `json:"stops,omitempty"` // see StopClock
	HolidayTableVersion string       `json:"holiday_table_version"`
}

// ExtendedBy is the total of all extensions, in the rule's unit.
func (d Deadline) ExtendedBy() int {
	total := 0
	for _, e := range d.Extensions {
		total += e.Amount
	}
	return total
}

// IsOverdue reports whether now is at or after Due; never while the clock is
// stopped. For the clear days rules it reports that the step is now allowed.
func (d Deadline) IsOverdue(now time.Time) bool { return !d.Stopped() && !now.Before(d.Due) }

func plural(n int, unit string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func mustNotBeNegative(rule string, n int) {
	if n < 0 {
		panic(fmt.Sprintf("calendar: %s amount must be >= 0, got %d", rule, n))
	}
}
