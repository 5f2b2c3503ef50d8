package domain

import (
	"errors"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// calendarRefusal turns a date the bank holiday table does not cover into a refusal naming
// the request field the date came from. With no field the date is the clock's: the table
// has not been extended to this year, which nothing in the request can fix.
func calendarRefusal(field string, err error) error {
	var outside *calendar.OutsideTableError
	switch {
	case !errors.As(err, &outside):
		return err
	case field == "":
		return &casework.RuleError{Rule: "outside_holiday_table", Detail: outside.Reason()}
	}
	return &casework.ValidationError{Field: field, Detail: outside.Reason()}
}
