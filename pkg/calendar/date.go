package calendar

import (
	"database/sql/driver"
	"fmt"
	"time"
	_ "time/tzdata" // the London rules must not depend on the host's zoneinfo
)

var london = mustLoadLocation("Europe/London")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("calendar: load %s: %v", name, err))
	}
	return loc
}

// London is the zone every Casework date is reckoned in.
func London() *time.Location { return london }

// Date is a civil date in Europe/London, with no time of day. The zero value
// is "no date". Dates are comparable with ==.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

const dateLayout = "2006-01-02"

// NewDate returns the date y-m-d, normalising overflow (31 April becomes 1 May)
// as time.Date does.
func NewDate(year int, month time.Month, day int) Date {
	return dateOfUTCNoon(time.Date(year, month, day, 12, 0, 0, 0, time.UTC))
}

// DateOf returns the London date of the instant t.
func DateOf(t time.Time) Date {
	y, m, d := t.In(london).Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses a YYYY-MM-DD date and rejects impossible dates: ones the calendar does
// not have (30 February) and ones before FirstDate or after LastDate.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("calendar: parse date %q: %w", s, err)
	}
	d := dateOfUTCNoon(t)
	if d.Before(FirstDate) || d.After(LastDate) {
		return Date{}, fmt.Errorf("calendar: date %q is outside %s to %s", s, FirstDate, LastDate)
	}
	return d, nil
}

func dateOfUTCNoon(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// noonUTC is a stable anchor for date arithmetic that no DST change can move.
func (d Date) noonUTC() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return string(d.appendTo(make([]byte, 0, 10))) }

// appendTo appends the date as YYYY-MM-DD without fmt's allocations: every deadline's
// computation carries several dates, written on each transition and in each answer.
func (d Date) appendTo(b []byte) []byte {
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		return fmt.Appendf(b, "%04d-%02d-%02d", d.Year, int(d.Month), d.Day) // not a date a case holds
	}
	return append(b, byte('0'+d.Year/1000), byte('0'+d.Year/100%10), byte('0'+d.Year/10%10), byte('0'+d.Year%10), '-',
		byte('0'+d.Month/10), byte('0'+d.Month%10), '-', byte('0'+d.Day/10), byte('0'+d.Day%10))
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// IsValid reports whether d names a real day (not 30 February, not zero).
func (d Date) IsValid() bool {
	return !d.IsZero() && NewDate(d.Year, d.Month, d.Day) == d
}

// AddDays returns the date n days later (earlier if n is negative).
func (d Date) AddDays(n int) Date {
	return NewDate(d.Year, d.Month, d.Day+n)
}

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.noonUTC().Weekday() }

// Compare returns -1, 0 or +1 as d is before, equal to or after other.
func (d Date) Compare(other Date) int {
	switch {
	case d.Year != other.Year:
		return cmpInt(d.Year, other.Year)
	case d.Month != other.Month:
		return cmpInt(int(d.Month), int(other.Month))
	default:
		return cmpInt(d.Day, other.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	default:
		return 0
	}
}

// Before reports whether d is earlier than other.
func (d Date) Before(other Date) bool { return d.Compare(other) < 0 }

// After reports whether d is later than other.
func (d Date) After(other Date) bool { return d.Compare(other) > 0 }

// Equal reports whether d and other are the same date.
func (d Date) Equal(other Date) bool { return d == other }

// StartOfDay is the instant (UTC) of London midnight at which the day begins.
func (d Date) StartOfDay() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, london).UTC()
}

// EndOfDay is the instant (UTC) of London midnight at which the day ends, i.e.
// the exclusive end: it equals the next day's StartOfDay. An instant t is on
// the day iff !t.Before(d.StartOfDay()) && t.Before(d.EndOfDay()).
func (d Date) EndOfDay() time.Time {
	return d.AddDays(1).StartOfDay()
}

// MarshalText encodes the date as YYYY-MM-DD (empty for the zero Date).
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return d.appendTo(make([]byte, 0, 10)), nil
}

// UnmarshalText decodes YYYY-MM-DD; empty text gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// MarshalJSON encodes the date as "YYYY-MM-DD", and the zero Date as null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return append(d.appendTo(append(make([]byte, 0, 12), '"')), '"'), nil
}

// UnmarshalJSON accepts "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		*d = Date{}
		return nil
	}
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return fmt.Errorf("calendar: date must be a JSON string, got %s", s)
	}
	return d.UnmarshalText([]byte(s[1 : len(s)-1]))
}

// Value stores the date in a SQL DATE column as YYYY-MM-DD (NULL when zero).
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a SQL DATE. Drivers such as lib/pq return a time.Time whose
// calendar fields already hold the date, so it is not converted to London.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		y, m, day := v.Date()
		*d = Date{Year: y, Month: m, Day: day}
		return nil
	case string:
		return d.UnmarshalText([]byte(v))
	case []byte:
		return d.UnmarshalText(v)
	default:
		return fmt.Errorf("calendar: cannot scan %T into Date", src)
	}
}

// WholeMonths widens the period [start, end) to whole months in London: from the first
// day of start's month to the end of the month end falls in (end itself when it is a
// month's first instant). Figures published by month for any period asked then never
// differ between two overlapping periods by less than a whole month's.
func WholeMonths(start, end time.Time) (time.Time, time.Time) {
	first := DateOf(start)
	first.Day = 1
	last := DateOf(end.Add(-time.Nanosecond))
	return first.StartOfDay(), NewDate(last.Year, last.Month+1, 1).StartOfDay()
}
