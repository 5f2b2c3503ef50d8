package domain

import (
	"strings"
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

// What a client sends is stored exactly as sent or refused, never trimmed or otherwise
// changed. Free text (a name, an address, a reason, a note) keeps its spaces, but one that
// is required, or given at all, must say something: empty or white space only is refused
// (Blank). An identifier or reference (a client or order reference, a body-worn video
// reference, a phone number, an e-mail address) is refused when it begins or ends with
// white space (EdgeSpace): " CT-1" and "CT-1" would be stored, and matched, as two.

// Blank reports whether s is empty or white space only.
func Blank(s string) bool { return strings.TrimSpace(s) == "" }

// EdgeSpace reports whether s begins or ends with white space.
func EdgeSpace(s string) bool { return s != strings.TrimSpace(s) }

// EdgeSpaceDetail is why an identifier or reference that begins or ends with white space
// is refused.
const EdgeSpaceDetail = "begins or ends with white space: send it without, as it is stored exactly as sent, never trimmed"

// BlankDetail is why optional free text of white space only is refused.
const BlankDetail = "is white space only: leave it out (or empty) when there is nothing to say"

// Chars is the length of s in characters (Unicode code points), as every limit in the
// contract is stated and as JSON Schema's maxLength counts, never in UTF-8 bytes.
func Chars(s string) int { return utf8.RuneCountInString(s) }
