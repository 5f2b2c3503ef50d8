package bootstrap

import (
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/telemetry"
)

// CalendarSettings are the bank-holiday settings of a service that reckons deadlines.
type CalendarSettings struct {
	HolidaysFile string `conf:"help:bank-holiday table JSON replacing the built-in one"`
}

// Load builds the calendar (LoadCalendar) and logs which holiday table it reckons by.
func (c CalendarSettings) Load(log *slog.Logger) (*calendar.Calendar, error) {
	cal, err := LoadCalendar(c.HolidaysFile)
	if err != nil {
		return nil, err
	}
	log.Info("calendar loaded", "holiday_table", cal.HolidayTableVersion())
	return cal, nil
}

var holidayTableEndGauge = prometheus.NewGaugeVec(prometheus.GaugeOpts{
	Name: "casework_calendar_holidays_known_until_timestamp_seconds",
	Help: "When the loaded bank-holiday table ends (the start of the first year it does not cover). " +
		"A deadline reckoned past it is refused, so the table must be updated well before.",
}, []string{"region"})

// holidayTableEnd publishes when cal's table ends, so an alert warns operators months
// before deadlines start to be refused (deploy/prometheus/alerts.yml HolidayTableEndingSoon).
func holidayTableEnd(reg prometheus.Registerer, cal *calendar.Calendar) {
	_, to := cal.CoveredYears()
	end := time.Date(to+1, time.January, 1, 0, 0, 0, 0, time.UTC)
	telemetry.Register(reg, holidayTableEndGauge).WithLabelValues(cal.Region()).Set(float64(end.Unix()))
}
