package httpserver

import (
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
)

// The query's dates replace the defaults, to is inclusive (the period ends at the London
// midnight after it); a bad date or a to before from is a validation problem naming the
// parameter.
func TestPeriod(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	from, to := calendar.DateOf(time.Date(2025, 4, 1, 12, 0, 0, 0, time.UTC)), calendar.DateOf(time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC))
	for _, tc := range []struct {
		query            string
		wantFrom, wantTo time.Time
		wantParameter    string
	}{
		{query: "", wantFrom: time.Date(2025, 4, 1, 0, 0, 0, 0, london), wantTo: time.Date(2026, 4, 1, 0, 0, 0, 0, london)},
		{query: "?from=2026-03-01&to=2026-03-31", wantFrom: time.Date(2026, 3, 1, 0, 0, 0, 0, london), wantTo: time.Date(2026, 4, 1, 0, 0, 0, 0, london)},
		{query: "?from=2026-13-01", wantParameter: "from"},
		{query: "?to=31/03/2026", wantParameter: "to"},
		{query: "?from=2026-03-31&to=2026-03-01", wantParameter: "to"},
		// Dates no record can have: Go's zero date, before 1900, a year past the default to.
		{query: "?from=0001-01-01", wantParameter: "from"},
		{query: "?from=1899-12-31", wantParameter: "from"},
		{query: "?to=9998-12-31", wantParameter: "to"},
		{query: "?to=2027-04-01", wantParameter: "to"},
		{query: "?from=1900-01-01&to=2027-03-31", wantFrom: time.Date(1900, 1, 1, 0, 0, 0, 0, london), wantTo: time.Date(2027, 4, 1, 0, 0, 0, 0, london)},
	} {
		gotFrom, gotTo, err := Period(httptest.NewRequest("GET", "/statistics"+tc.query, nil), from, to)
		var p *Problem
		switch {
		case tc.wantParameter != "":
			if !errors.As(err, &p) || p.Status != 400 || p.Type != TypeValidation || len(p.Errors) != 1 || p.Errors[0].Parameter != tc.wantParameter {
				t.Errorf("%q: %v, want a validation problem on %s", tc.query, err, tc.wantParameter)
			}
		case err != nil || !gotFrom.Equal(tc.wantFrom) || !gotTo.Equal(tc.wantTo):
			t.Errorf("%q: %v to %v, %v; want %v to %v", tc.query, gotFrom, gotTo, err, tc.wantFrom, tc.wantTo)
		}
	}
}
