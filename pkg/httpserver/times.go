package httpserver

import "time"

// OptionalTime reads an optional timestamp of a request body (pointer names it, e.g.
// "/received_at"): the zero time when it is absent, else the time in UTC at the
// microsecond precision PostgreSQL keeps. The services take a zero time to mean "not
// given" (now), so Go's zero time sent explicitly, 0001-01-01T00:00:00Z, is refused rather
// than quietly read as now.
func OptionalTime(pointer string, t *time.Time) (time.Time, error) {
	if t == nil {
		return time.Time{}, nil
	}
	at := t.UTC().Truncate(time.Microsecond)
	if at.IsZero() {
		return time.Time{}, Validation(pointer+" is not a time this can have happened",
			FieldError{Pointer: pointer, Detail: "cannot be 0001-01-01T00:00:00Z; leave it out to mean now"})
	}
	return at, nil
}
