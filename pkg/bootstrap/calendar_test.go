package bootstrap

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"casework.dev/pkg/calendar"
)

func TestHolidayTableEndIsPublishedForTheAlert(t *testing.T) {
	reg := prometheus.NewRegistry()
	for _, table := range [][]byte{nil, calendar.UnitedKingdomHolidays()} {
		cal, err := calendar.New(calendar.Config{Holidays: table})
		if err != nil {
			t.Fatal(err)
		}
		holidayTableEnd(reg, cal)
	}
	// Both built-in tables cover 1995-2027: deadlines are refused from 1 January 2028.
	want := `
# HELP casework_calendar_holidays_known_until_timestamp_seconds When the loaded bank-holiday table ends (the start of the first year it does not cover). A deadline reckoned past it is refused, so the table must be updated well before.
# TYPE casework_calendar_holidays_known_until_timestamp_seconds gauge
casework_calendar_holidays_known_until_timestamp_seconds{region="England and Wales"} 1.8302976e+09
casework_calendar_holidays_known_until_timestamp_seconds{region="the United Kingdom"} 1.8302976e+09
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "casework_calendar_holidays_known_until_timestamp_seconds"); err != nil {
		t.Fatal(err)
	}
}
