package notice

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"casework.dev/pkg/calendar"
)

// Period is a length of time in calendar units. It is kept in units rather
// than as a duration because "6 years" and "2191 days" end on different dates;
// the service's calendar turns it into an end date.
type Period struct {
	Years, Months, Days, Hours int
}

// periodUnits in the order they must appear in a period such as "1y6m".
var periodUnits = []byte{'y', 'm', 'w', 'd', 'h'}

// ParsePeriod reads a period such as "6y", "30d", "72h", "2w" or "1y6m"
// (y years, m months, w weeks, d days, h hours; largest unit first).
func ParsePeriod(s string) (Period, error) {
	var p Period
	rest := strings.TrimSpace(s)
	if rest == "" {
		return p, fmt.Errorf("period is empty; write it like 6y, 18m, 30d or 72h")
	}
	next := 0 // index into periodUnits the next unit may start from
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			return Period{}, fmt.Errorf("period %q is malformed; write it like 6y, 18m, 30d or 72h", s)
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > maxPeriodHours {
			return Period{}, fmt.Errorf("period %q is longer than %d years", s, MaxPeriodYears)
		}
		unit := rest[i]
		pos := strings.IndexByte(string(periodUnits[next:]), unit)
		if pos < 0 {
			if strings.IndexByte(string(periodUnits), unit) < 0 {
				return Period{}, fmt.Errorf("period %q has unknown unit %q; use y, m, w, d or h", s, string(unit))
			}
			return Period{}, fmt.Errorf("period %q repeats a unit or puts a smaller unit first", s)
		}
		next += pos + 1
		switch unit {
		case 'y':
			p.Years = n
		case 'm':
			p.Months = n
		case 'w':
			p.Days += 7 * n
		case 'd':
			p.Days += n
		case 'h':
			p.Hours = n
		}
		rest = rest[i+1:]
	}
	if p.IsZero() {
		return Period{}, fmt.Errorf("period %q is zero; a retention period must be longer than nothing", s)
	}
	if p.AddTo(periodYardstick).After(periodYardstick.AddDate(MaxPeriodYears, 0, 0)) {
		return Period{}, fmt.Errorf("period %q is longer than %d years", s, MaxPeriodYears)
	}
	return p, nil
}

// MaxPeriodYears bounds every period: no retention, sentence or term the services record
// runs longer, and a longer one would take its end date past what the database stores.
const MaxPeriodYears = 100

// maxPeriodHours is the most of any one unit a period can hold within MaxPeriodYears; it
// keeps the sum below from overflowing.
const maxPeriodHours = MaxPeriodYears * 366 * 24

// periodYardstick is the date periods are measured from, to compare them with each other
// and with MaxPeriodYears.
var periodYardstick = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// IsZero reports whether the period has no length.
func (p Period) IsZero() bool { return p == Period{} }

// String writes the period back in the notation ParsePeriod reads ("1y6m").
func (p Period) String() string {
	var b strings.Builder
	for _, part := range []struct {
		n    int
		unit string
	}{{p.Years, "y"}, {p.Months, "m"}, {p.Days, "d"}, {p.Hours, "h"}} {
		if part.n != 0 {
			fmt.Fprintf(&b, "%d%s", part.n, part.unit)
		}
	}
	if b.Len() == 0 {
		return "0d"
	}
	return b.String()
}

// Words writes the period for people: "6 years", "1 year and 6 months".
func (p Period) Words() string {
	var parts []string
	for _, part := range []struct {
		n    int
		unit string
	}{{p.Years, "year"}, {p.Months, "month"}, {p.Days, "day"}, {p.Hours, "hour"}} {
		switch {
		case part.n == 1:
			parts = append(parts, "1 "+part.unit)
		case part.n > 1:
			parts = append(parts, fmt.Sprintf("%d %ss", part.n, part.unit))
		}
	}
	if len(parts) == 0 {
		return "no time"
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// AddTo adds the period to t in t's location: years and months to the
// corresponding day, or the last day of a shorter month (7 years from 29
// February 2028 is 28 February 2035, 6 months from 31 August is 28 or 29
// February; time.AddDate would run on into March), then days, then hours.
// Services that reckon dates in a particular zone should pass t in that zone.
func (p Period) AddTo(t time.Time) time.Time {
	y, m, d := t.Date()
	day := calendar.NewDate(y, m, d).AddMonths(p.Years*12 + p.Months)
	hh, mm, ss := t.Clock()
	out := time.Date(day.Year, day.Month, day.Day, hh, mm, ss, t.Nanosecond(), t.Location())
	return out.AddDate(0, 0, p.Days).Add(time.Duration(p.Hours) * time.Hour)
}

// longer returns the longer of two periods. Periods in mixed units have no
// exact order, so they are compared by adding both to a fixed reference date;
// the answer can differ from a real start date only by a day or two at the
// margin.
func longer(a, b Period) Period {
	if b.AddTo(periodYardstick).After(a.AddTo(periodYardstick)) {
		return b
	}
	return a
}

// parseMaxSentence recognises "max(sentence, 7y)" and returns its floor period.
func parseMaxSentence(s string) (floor Period, ok bool, err error) {
	compact := strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if !strings.HasPrefix(compact, "max(") {
		return Period{}, false, nil
	}
	inner, found := strings.CutPrefix(compact, "max(sentence,")
	if !found || !strings.HasSuffix(inner, ")") {
		return Period{}, true, fmt.Errorf("%q is malformed; the only max form is max(sentence, 7y)", s)
	}
	floor, err = ParsePeriod(strings.TrimSuffix(inner, ")"))
	if err != nil {
		return Period{}, true, fmt.Errorf("in %q: %w", s, err)
	}
	return floor, true, nil
}
