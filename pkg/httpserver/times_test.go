package httpserver

import (
	"errors"
	"testing"
	"time"
)

func TestOptionalTimeRefusesTheZeroTimeSentExplicitly(t *testing.T) {
	if got, err := OptionalTime("/received_at", nil); err != nil || !got.IsZero() {
		t.Fatalf("absent: %v %v, want the zero time", got, err)
	}
	given := time.Date(2026, 11, 30, 16, 20, 33, 826_290_123, time.FixedZone("BST", 3600))
	if got, err := OptionalTime("/received_at", &given); err != nil || !got.Equal(time.Date(2026, 11, 30, 15, 20, 33, 826_290_000, time.UTC)) || got.Location() != time.UTC {
		t.Fatalf("given: %v %v, want it in UTC to the microsecond", got, err)
	}
	// The zero time, also when it is only a tenth of a microsecond away.
	for _, zero := range []time.Time{{}, time.Time{}.Add(100 * time.Nanosecond)} {
		_, err := OptionalTime("/received_at", &zero)
		var p *Problem
		if !errors.As(err, &p) || p.Status != 400 || p.Type != TypeValidation || len(p.Errors) != 1 || p.Errors[0].Pointer != "/received_at" {
			t.Fatalf("%v sent: %#v, want a validation problem at /received_at", zero, err)
		}
	}
}
