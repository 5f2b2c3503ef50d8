package domain

import (
	"regexp"
	"strings"
	"unicode"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// What a conviction's details must be however they arrive: a disclosure from the
// investigations service, an officer's entry, or a rectification the offender asked for.

// ukPostcode matches a UK postcode (outward and inward code, the space optional) anywhere
// in a text, e.g. "ME15 6JQ", "me156jq" or "SW1A 1AA".
var ukPostcode = regexp.MustCompile(`(?i)\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b`)

// CheckTown refuses a town the register may not show: the notice publishes the town the
// offender lives in and never the street address, so a postcode, or a number as a house
// or flat has, is refused. An empty town is allowed (the register then shows none), one of
// white space alone is not.
func CheckTown(field, town string) error {
	switch {
	case town != "" && strings.TrimSpace(town) == "":
		return &ValidationError{Field: field, Detail: "is blank: give the town, or no town at all"}
	case ukPostcode.MatchString(town):
		return &ValidationError{Field: field, Detail: "holds a postcode: give the town alone, never the street address (the register shows the town only)"}
	case strings.IndexFunc(town, unicode.IsDigit) >= 0:
		return &ValidationError{Field: field, Detail: "holds a number, as a street address does: give the town alone (the register shows the town only)"}
	}
	return nil
}

// CheckConvictionDate refuses a date of conviction in the future, or before
// calendar.Earliest: no conviction the council weighs publishing is older.
func CheckConvictionDate(field string, d calendar.Date, today calendar.Date) error {
	if d.IsZero() {
		return &ValidationError{Field: field, Detail: "is missing: give the date of conviction"}
	}
	if err := calendar.Within(d, calendar.Limit{Date: calendar.Earliest}, calendar.Limit{Date: today, Name: "today"}); err != nil {
		return &ValidationError{Field: field, Detail: "must be the date of conviction, not in the future: " + err.Error()}
	}
	return nil
}

// checkText refuses, on field, text that PostgreSQL cannot store (casework.Storable): a
// save must never fail on what the domain accepted. Text that is required (ifBlank says
// what to give instead) is refused when blank, whitespace alone included.
func checkText(field, value, ifBlank string) error {
	if ifBlank != "" && strings.TrimSpace(value) == "" {
		return &ValidationError{Field: field, Detail: ifBlank}
	}
	return casework.Storable(field, value)
}
