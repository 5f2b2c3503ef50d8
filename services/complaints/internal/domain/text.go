package domain

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"casework.dev/pkg/casework"
)

// What a client sends is kept exactly as sent, or refused naming the field; it is never
// changed. Free text (names, addresses, reasons, notes, summaries) is stored as it came,
// leading and trailing white space included, and refused only where it is required and
// empty or white space alone. An identifier or reference a person types (the Ombudsman's
// reference, an officer, an e-mail address, a phone number) is refused when it begins or
// ends with white space, rather than trimmed: a trimmed copy would no longer be what the
// client holds. Lengths are counted as the contract's maxLength counts them.

// chars is the length of s as the OpenAPI contract's maxLength counts it: Unicode code
// points (JSON Schema), not UTF-8 bytes. "é" is one character, and so is "😀".
func chars(s string) int { return utf8.RuneCountInString(s) }

// blank reports whether s is empty or white space alone: no text where text is required.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// paddedDetail is the refusal of an identifier that begins or ends with white space.
const paddedDetail = "must not begin or end with white space"

// padded reports whether s begins or ends with white space (s is not empty).
func padded(s string) bool { return s != strings.TrimSpace(s) }

// checkIdentifier refuses an identifier a person typed that begins or ends with white
// space; it is never trimmed. Emptiness and length are the caller's.
func checkIdentifier(field, value string) error {
	if padded(value) {
		return &casework.ValidationError{Field: field, Detail: paddedDetail}
	}
	return nil
}

// checkRequiredText refuses free text that is required and blank, or longer than max
// characters, with detail; the text is stored as sent.
func checkRequiredText(field, value string, max int, detail string) error {
	if blank(value) || chars(value) > max {
		return &casework.ValidationError{Field: field, Detail: detail}
	}
	return nil
}

// checkLength refuses text longer than max characters.
func checkLength(field, value string, max int) error {
	if chars(value) > max {
		return &casework.ValidationError{Field: field, Detail: fmt.Sprintf("at most %d characters", max)}
	}
	return nil
}
