package httpserver

import (
	"net/http"
	"time"

	"casework.dev/pkg/calendar"
)

// Period reads the query's from and to as Europe/London dates (YYYY-MM-DD), to inclusive,
// each defaulting to the date given, and returns the instant the period starts and the one
// it ends (exclusive: the London midnight after to). A date that does not parse, or a to
// before from, is a validation problem naming the parameter.
func Period(r *http.Request, from, to calendar.Date) (time.Time, time.Time, error) {
	q := r.URL.Query()
	var err error
	if v := q.Get("from"); v != "" {
		if from, err = calendar.ParseDate(v); err != nil {
			return time.Time{}, time.Time{}, Validation("from must be a date (YYYY-MM-DD)", FieldError{Parameter: "from", Detail: err.Error()})
		}
	}
	if v := q.Get("to"); v != "" {
		if to, err = calendar.ParseDate(v); err != nil {
			return time.Time{}, time.Time{}, Validation("to must be a date (YYYY-MM-DD)", FieldError{Parameter: "to", Detail: err.Error()})
		}
	}
	if to.Before(from) {
		return time.Time{}, time.Time{}, Validation("to is before from", FieldError{Parameter: "to", Detail: "must not be before from"})
	}
	return from.StartOfDay(), to.EndOfDay(), nil
}
