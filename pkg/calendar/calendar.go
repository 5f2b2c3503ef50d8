package calendar

import (
	"fmt"
	"strings"
)

// Config configures a Calendar.
type Config struct {
	// Holidays optionally replaces the embedded holiday table (same JSON shape
	// as holidays/england-and-wales.json).
	Holidays []byte
	// Extra holds holidays announced after the table was published. They must
	// fall in the years the table covers and win over it for the same date.
	Extra []Holiday
}

// Calendar answers working-day questions and computes deadlines. It is safe
// for concurrent use.
type Calendar struct {
	version  string
	source   string
	region   string // where the table's bank holidays apply; empty: England and Wales
	fromYear int
	toYear   int
	table    map[Date]Holiday
	extra    map[Date]Holiday
}

// New builds a Calendar from cfg.
func New(cfg Config) (*Calendar, error) {
	raw := cfg.Holidays
	if len(raw) == 0 {
		raw = embeddedTable
	}
	t, byDate, err := parseHolidayTable(raw)
	if err != nil {
		return nil, err
	}
	extra := make(map[Date]Holiday, len(cfg.Extra))
	for _, h := range cfg.Extra {
		if err := validateHoliday(h); err != nil {
			return nil, fmt.Errorf("calendar: extra holiday: %w", err)
		}
		if h.Date.Year < t.Covers.From || h.Date.Year > t.Covers.To {
			// The year's other holidays would still be unknown: that needs a new table version.
			return nil, fmt.Errorf("calendar: extra holiday %s is outside the years table %s covers (%d to %d)",
				h.Date, t.Version, t.Covers.From, t.Covers.To)
		}
		extra[h.Date] = h
	}
	return &Calendar{
		version:  versionWithExtras(t.Version, cfg.Extra),
		source:   t.Source,
		region:   t.Region,
		fromYear: t.Covers.From,
		toYear:   t.Covers.To,
		table:    byDate,
		extra:    extra,
	}, nil
}

// versionWithExtras makes extra holidays visible in the version recorded on
// every deadline, e.g. "2026-11-22+2027-06-07".
func versionWithExtras(base string, extra []Holiday) string {
	if len(extra) == 0 {
		return base
	}
	hs := append([]Holiday(nil), extra...)
	sortHolidays(hs)
	dates := make([]string, 0, len(hs))
	for i, h := range hs {
		if i > 0 && h.Date == hs[i-1].Date {
			continue
		}
		dates = append(dates, h.Date.String())
	}
	return base + "+" + strings.Join(dates, "+")
}

// HolidayTableVersion identifies the holiday data in use: the table's version,
// followed by "+date" for each Config.Extra holiday.
func (c *Calendar) HolidayTableVersion() string { return c.version }

// Region is where the holiday table's bank holidays apply, as descriptions name it.
func (c *Calendar) Region() string {
	if c.region == "" {
		return "England and Wales"
	}
	return c.region
}

// HolidayTableSource is the table's note on where its data came from.
func (c *Calendar) HolidayTableSource() string { return c.source }

// CoveredYears is the first and last year the holiday table covers; a
// working-day question about any other year is refused with *OutsideTableError.
func (c *Calendar) CoveredYears() (from, to int) { return c.fromYear, c.toYear }

// IsBankHoliday reports whether d is an England and Wales bank holiday, and
// its label (e.g. "Christmas Day (substitute day)"). A day outside the
// table's years is refused with *OutsideTableError.
func (c *Calendar) IsBankHoliday(d Date) (name string, ok bool, err error) {
	h, ok, err := c.holiday(d, d)
	if !ok || err != nil {
		return "", false, err
	}
	return h.Label(), true, nil
}

// IsWorkingDay reports whether d is Monday to Friday and not a bank holiday.
// A day outside the table's years is refused with *OutsideTableError.
func (c *Calendar) IsWorkingDay(d Date) (bool, error) {
	_, off, err := c.nonWorkingReason(d, d)
	return !off && err == nil, err
}

// Holidays lists the bank holidays of a year in date order. A year outside
// the table is refused with *OutsideTableError.
func (c *Calendar) Holidays(year int) ([]Holiday, error) {
	first := NewDate(year, 1, 1)
	if err := c.covers(first, first); err != nil {
		return nil, err
	}
	merged := make(map[Date]Holiday)
	for _, source := range []map[Date]Holiday{c.table, c.extra} { // extra wins for the same date
		for d, h := range source {
			if d.Year == year {
				merged[d] = h
			}
		}
	}
	out := make([]Holiday, 0, len(merged))
	for _, h := range merged {
		out = append(out, h)
	}
	sortHolidays(out)
	return out, nil
}

// covers refuses d when its year is outside the table; start is the date the
// question was counted from, for the refusal.
func (c *Calendar) covers(start, d Date) error {
	if d.Year < c.fromYear || d.Year > c.toYear {
		return &OutsideTableError{Start: start, Date: d, FromYear: c.fromYear, ToYear: c.toYear, TableVersion: c.version, Region: c.region}
	}
	return nil
}

// holiday looks d up, extra holidays first; start is as for covers.
func (c *Calendar) holiday(start, d Date) (Holiday, bool, error) {
	if err := c.covers(start, d); err != nil {
		return Holiday{}, false, err
	}
	if h, ok := c.extra[d]; ok {
		return h, true, nil
	}
	h, ok := c.table[d]
	return h, ok, nil
}
