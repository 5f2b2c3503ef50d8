package calendar

import (
	"fmt"
	"strings"
	"sync"
)

// Config configures a Calendar.
type Config struct {
	// Holidays optionally replaces the embedded holiday table (same JSON shape
	// as holidays/england-and-wales.json).
	Holidays []byte
	// Extra holds holidays announced after the table was published. They apply
	// in any year and win over the table for the same date.
	Extra []Holiday
}

// Calendar answers working-day questions and computes deadlines. It is safe
// for concurrent use.
type Calendar struct {
	version  string
	source   string
	fromYear int
	toYear   int
	table    map[Date]Holiday
	extra    map[Date]Holiday

	mu       sync.Mutex
	libYears map[int]map[Date]Holiday // years outside the table, computed lazily
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
		extra[h.Date] = h
	}
	return &Calendar{
		version:  versionWithExtras(t.Version, cfg.Extra),
		source:   t.Source,
		fromYear: t.Covers.From,
		toYear:   t.Covers.To,
		table:    byDate,
		extra:    extra,
		libYears: make(map[int]map[Date]Holiday),
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

// HolidayTableSource is the table's note on where its data came from.
func (c *Calendar) HolidayTableSource() string { return c.source }

// IsBankHoliday reports whether d is an England and Wales bank holiday, and
// its label (e.g. "Christmas Day (substitute day)").
func (c *Calendar) IsBankHoliday(d Date) (name string, ok bool) {
	h, ok := c.holiday(d)
	if !ok {
		return "", false
	}
	return h.Label(), true
}

// IsWorkingDay reports whether d is Monday to Friday and not a bank holiday.
func (c *Calendar) IsWorkingDay(d Date) bool {
	_, ok := c.nonWorkingReason(d)
	return !ok
}

// Holidays lists the bank holidays of a year in date order.
func (c *Calendar) Holidays(year int) []Holiday {
	merged := make(map[Date]Holiday)
	for _, source := range []map[Date]Holiday{c.yearHolidays(year), c.extra} {
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
	return out
}

func (c *Calendar) holiday(d Date) (Holiday, bool) {
	if h, ok := c.extra[d]; ok {
		return h, true
	}
	h, ok := c.yearHolidays(d.Year)[d]
	return h, ok
}

// yearHolidays returns the table for covered years and rickar/cal otherwise.
// The returned map must not be modified.
func (c *Calendar) yearHolidays(year int) map[Date]Holiday {
	if year >= c.fromYear && year <= c.toYear {
		return c.table // keyed by date, so other years simply do not match
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	hs, ok := c.libYears[year]
	if !ok {
		hs = libraryHolidays(year)
		c.libYears[year] = hs
	}
	return hs
}
