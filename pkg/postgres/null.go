package postgres

import (
	"database/sql"
	"time"
)

// NullTime is an optional instant as a nullable column: NULL for nil.
func NullTime(t *time.Time) sql.NullTime {
	if t == nil {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: *t, Valid: true}
}

// TimePtr is a nullable column read back: nil for NULL, else the instant in UTC.
func TimePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// UTCPtr is an optional instant in UTC (as the domain keeps it), nil for nil.
func UTCPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
