package domain

import (
	"errors"
	"fmt"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// The bounds each date of an investigation's input takes from its meaning, checked with
// the service's clock.

// firstEmail is the earliest an e-mail can have reached the council.
var firstEmail = calendar.NewDate(1990, time.January, 1)

func today(now time.Time) calendar.Limit {
	return calendar.Limit{Date: calendar.DateOf(now), Name: "today"}
}

// checkReceived: a report is logged when it arrives, or soon after; a year back at most.
func checkReceived(field string, at, now time.Time) error {
	return invalid(field, calendar.Happened(at, now, calendar.Limit{Date: calendar.YearsFrom(calendar.DateOf(now), -1), Name: "12 months ago"}))
}

// checkBirth checks a date of birth, where a person is recorded and where it is rectified:
// a date from 1900 to today. Empty is none: a date of birth is optional.
func checkBirth(field, value string, now time.Time) error {
	if value == "" {
		return nil
	}
	_, err := checkDay(field, value, calendar.Limit{Date: calendar.Earliest}, today(now))
	return err
}

// checkDay parses a YYYY-MM-DD date and checks it lies in [from, to].
func checkDay(field, value string, from, to calendar.Limit) (calendar.Date, error) {
	d, err := calendar.ParseDate(value)
	if err != nil {
		return calendar.Date{}, &casework.ValidationError{Field: field, Detail: "must be a date (YYYY-MM-DD)"}
	}
	return d, invalid(field, calendar.Within(d, from, to))
}

func invalid(field string, err error) error {
	if err == nil {
		return nil
	}
	return &casework.ValidationError{Field: field, Detail: err.Error()}
}

// within puts a nested item's validation error under its place in the report, e.g.
// people/2/date_of_birth.
func within(list string, i int, err error) error {
	var ve *casework.ValidationError
	if errors.As(err, &ve) {
		return &casework.ValidationError{Field: fmt.Sprintf("%s/%d/%s", list, i, ve.Field), Detail: ve.Detail}
	}
	return err
}
