package postgres_test

import (
	"database/sql"
	"testing"
	"time"

	"casework.dev/pkg/postgres"
)

// An optional instant goes into a nullable column and comes back as it was, in UTC; nil is
// NULL both ways.
func TestNullTimeRoundTrip(t *testing.T) {
	london := time.FixedZone("BST", 3600)
	at := time.Date(2026, 3, 30, 10, 0, 0, 0, london)
	if got := postgres.NullTime(&at); !got.Valid || !got.Time.Equal(at) {
		t.Errorf("NullTime(%v) = %+v", at, got)
	}
	if got := postgres.NullTime(nil); got.Valid {
		t.Errorf("NullTime(nil) = %+v, want NULL", got)
	}
	back := postgres.TimePtr(sql.NullTime{Time: at, Valid: true})
	if back == nil || !back.Equal(at) || back.Location() != time.UTC {
		t.Errorf("TimePtr = %v, want %v in UTC", back, at)
	}
	if got := postgres.TimePtr(sql.NullTime{}); got != nil {
		t.Errorf("TimePtr(NULL) = %v, want nil", got)
	}
	if got := postgres.UTCPtr(&at); got == nil || !got.Equal(at) || got.Location() != time.UTC {
		t.Errorf("UTCPtr = %v, want %v in UTC", got, at)
	}
	if got := postgres.UTCPtr(nil); got != nil {
		t.Errorf("UTCPtr(nil) = %v, want nil", got)
	}
}
