package domain

import (
	"errors"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// calendarRefusal turns a date the bank holiday table does not cover into a refusal. Every
// date the debt procedure reckons from is the clock's, so nothing in the request can fix it:
// the table has to be extended to this year.
func calendarRefusal(err error) error {
	var outside *calendar.OutsideTableError
	if errors.As(err, &outside) {
		return &casework.RuleError{Rule: "outside_holiday_table", Detail: outside.Reason()}
	}
	return err
}
