package domain

import (
	"strings"
	"unicode/utf8"
)

// What an officer sends is stored exactly as sent or refused, never trimmed or otherwise
// changed. Free text (a name, a reason, a description) keeps its spaces, but where it is
// required it must say something: empty or white space only is refused (Blank). An
// identifier (an officer) is refused when it begins or ends with white space (EdgeSpace):
// " olive" would be stored, and matched against a token's subject, as another officer.

// Blank reports whether s is empty or white space only.
func Blank(s string) bool { return strings.TrimSpace(s) == "" }

// EdgeSpace reports whether s begins or ends with white space.
func EdgeSpace(s string) bool { return s != strings.TrimSpace(s) }

// EdgeSpaceDetail is why an identifier that begins or ends with white space is refused.
const EdgeSpaceDetail = "begins or ends with white space: send it without, as it is stored exactly as sent, never trimmed"

// Chars is the length of s in characters (Unicode code points), as every limit in the
// contract is stated and as JSON Schema's maxLength counts, never in UTF-8 bytes.
func Chars(s string) int { return utf8.RuneCountInString(s) }

// MaxReasonChars bounds a reason (a legal hold's, a closure's), in characters.
const MaxReasonChars = 2000
