package calendar

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// embeddedTable is the England and Wales bank holiday table shipped with the
// code. Changing holidays means a new version of this file, not new code.
//
//go:embed holidays/england-and-wales.json
var embeddedTable []byte

// Holiday is one England and Wales bank holiday as observed (a substitute day
// carries the name of the holiday it replaces).
type Holiday struct {
	Date       Date   `json:"date"`
	Name       string `json:"name"`
	Substitute bool   `json:"substitute,omitempty"`
}

// Label is the name shown to people, e.g. "Boxing Day (substitute day)".
func (h Holiday) Label() string {
	if h.Substitute {
		return h.Name + " (substitute day)"
	}
	return h.Name
}

// reason is how a skipped bank holiday is explained in a Deadline.
func (h Holiday) reason() string {
	if h.Substitute {
		return h.Name + " (substitute bank holiday)"
	}
	return h.Name + " (bank holiday)"
}

// holidayTable is the parsed form of holidays/england-and-wales.json.
type holidayTable struct {
	Version string `json:"version"`
	Source  string `json:"source"`
	Region  string `json:"region"` // absent: England and Wales
	Covers  struct {
		From int `json:"from"`
		To   int `json:"to"`
	} `json:"covers"`
	Holidays []Holiday `json:"holidays"`
}

func parseHolidayTable(raw []byte) (holidayTable, map[Date]Holiday, error) {
	var t holidayTable
	if err := json.Unmarshal(raw, &t); err != nil {
		return t, nil, fmt.Errorf("calendar: parse holiday table: %w", err)
	}
	if t.Version == "" {
		return t, nil, errors.New("calendar: holiday table has no version")
	}
	if t.Covers.From == 0 || t.Covers.To < t.Covers.From {
		return t, nil, fmt.Errorf("calendar: holiday table %s covers no years (%d..%d)", t.Version, t.Covers.From, t.Covers.To)
	}
	byDate := make(map[Date]Holiday, len(t.Holidays))
	for _, h := range t.Holidays {
		if err := validateHoliday(h); err != nil {
			return t, nil, fmt.Errorf("calendar: holiday table %s: %w", t.Version, err)
		}
		if h.Date.Year < t.Covers.From || h.Date.Year > t.Covers.To {
			return t, nil, fmt.Errorf("calendar: holiday table %s: %s is outside the years it covers", t.Version, h.Date)
		}
		if _, dup := byDate[h.Date]; dup {
			return t, nil, fmt.Errorf("calendar: holiday table %s: %s listed twice", t.Version, h.Date)
		}
		byDate[h.Date] = h
	}
	return t, byDate, nil
}

func validateHoliday(h Holiday) error {
	if !h.Date.IsValid() {
		return fmt.Errorf("holiday %q has no valid date", h.Name)
	}
	if h.Name == "" {
		return fmt.Errorf("holiday on %s has no name", h.Date)
	}
	return nil
}

// OutsideTableError refuses a question about a day whose year the holiday table does not
// cover: whether it is a bank holiday cannot be known, so no deadline is counted across it.
// A service maps it to a refusal naming the field the start date came from.
type OutsideTableError struct {
	Start        Date   // the date the period runs from
	Date         Date   // the first day the table could not answer for (may equal Start)
	FromYear     int    // the first year the table covers
	ToYear       int    // the last year the table covers
	TableVersion string // the holiday table version in use
	Region       string // where the table's bank holidays apply; empty means England and Wales
}

func (e *OutsideTableError) Error() string { return "calendar: " + e.Reason() }

// Reason says in plain words why the date was refused, for a problem detail.
func (e *OutsideTableError) Reason() string {
	where := "after"
	if e.Date.Year < e.FromYear {
		where = "before"
	}
	reach := fmt.Sprintf("%s is", e.Date)
	if e.Start != e.Date {
		reach = fmt.Sprintf("counting from %s reaches %s, which is", e.Start, e.Date)
	}
	region := strings.TrimPrefix(e.Region, "the ") // "the %s ... table" below
	if region == "" {
		region = "England and Wales"
	}
	return fmt.Sprintf("%s %s the years the %s bank holiday table covers (%d to %d, version %s), "+
		"so its working days cannot be known", reach, where, region, e.FromYear, e.ToYear, e.TableVersion)
}

func sortHolidays(hs []Holiday) {
	sort.Slice(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
}
