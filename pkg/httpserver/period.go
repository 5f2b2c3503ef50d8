package httpserver

import (
	"net/http"
	"time"

	"casework.dev/pkg/calendar"
)

// Period reads the query's from and to as Europe/London dates (YYYY-MM-DD), to inclusive,
// each defaulting to the date given, and returns the instant the period starts and the one
// it ends (exclusive: the London midnight after to). A date that does not parse, or a to
// before from, is a validation problem naming the parameter; so is a date no record can
// have: before 1900, or more than a year after the default to (the callers' today).
func Period(r *http.Request, from, to calendar.Date) (time.Time, time.Time, error) {
	q := r.URL.Query()
	earliest, latest := calendar.NewDate(1900, time.January, 1), to.AddMonths(12)
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
	for _, d := range []struct {
		name string
		date calendar.Date
	}{{"from", from}, {"to", to}} {
		if d.date.Before(earliest) || latest.Before(d.date) {
			return time.Time{}, time.Time{}, Validation(d.name+" is a date no record can have",
				FieldError{Parameter: d.name, Detail: "must be from " + earliest.String() + " to " + latest.String()})
		}
	}
	if to.Before(from) {
		return time.Time{}, time.Time{}, Validation("to is before from", FieldError{Parameter: "to", Detail: "must not be before from"})
	}
	return from.StartOfDay(), to.EndOfDay(), nil
}
