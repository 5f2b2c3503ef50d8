package domain

import (
	"unicode"
	"unicode/utf8"

	"casework.dev/pkg/casework"
)

// TextFault says what is wrong with free text from a request or a referral file, or "" when
// nothing is: it must be UTF-8 (a referral file exported in another encoding is refused
// row by row, not half stored) and hold no control character but tab and line breaks. NUL
// above all: PostgreSQL text cannot hold it, and no name, address or reason needs one.
func TextFault(s string) string {
	if !utf8.ValidString(s) {
		return "is not UTF-8 text"
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return "contains a control character"
		}
	}
	return ""
}

// CheckText is TextFault as the field's validation error, or nil.
func CheckText(field, s string) error {
	if fault := TextFault(s); fault != "" {
		return &casework.ValidationError{Field: field, Detail: fault}
	}
	return nil
}
