package ports

import (
	"errors"
	"testing"

	"casework.dev/services/debt/internal/app"
)

// panicking is a row reader that fails as csv.Reader.FieldPos once did on a quote in a
// row's first field.
type panicking struct{}

func (panicking) next() (app.ReferralRow, error) { panic("out of range index passed to FieldPos") }
func (panicking) unreadLine() int                { return 2 }

// A panic reading a row is a failure of the stream like any other: a report already begun
// ends whole, its last row saying the file could not be read from there on, instead of
// being cut short by the panic.
func TestAPanicReadingARowIsAFailureOfTheStream(t *testing.T) {
	_, err := nextRow(panicking{})
	if !errors.Is(err, errReading) || readFailure(err) != "the service failed reading it" {
		t.Fatalf("%v: %q", err, readFailure(err))
	}
}
