package domain

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// What of a person's identity a text may give away, as a refusal names it.
const (
	identityName    = "name"
	identityEmail   = "email address"
	identityPhone   = "phone number"
	identityAddress = "address"
)

// minPhoneDigits is the fewest digits taken as a phone number: fewer would match years and
// counts in the text.
const minPhoneDigits = 6

// identifiedIn names the part of p's identity that text contains, "" when none: the name
// or the address as whole words in any case ("Fred Asker" in "FRED ASKER's request", not
// "Ann" in "Annual"), the first line of the address alone too when it has a house number
// ("1 Old Road", not "High Street"), the email address in any case, the phone number
// whatever its spacing or punctuation (and 0 or 44 before the area code). A name of one
// word is not looked for: "May", "Mark" or "Which?" are words a summary uses for other
// things, and one word alone does not single out a person.
func (p Person) identifiedIn(text string) string {
	words := wordsOf(text)
	if name := wordsOf(p.Name); len(name) > 1 && containsRun(words, name) {
		return identityName
	}
	if email := strings.ToLower(strings.TrimSpace(p.Email)); email != "" && strings.Contains(strings.ToLower(text), email) {
		return identityEmail
	}
	if phoneIn(text, p.Phone) {
		return identityPhone
	}
	parts := []string{p.Address}
	if firstLine, _, _ := strings.Cut(p.Address, ","); strings.ContainsFunc(firstLine, unicode.IsDigit) {
		parts = append(parts, firstLine)
	}
	for _, part := range parts {
		if address := wordsOf(part); len(address) > 1 && containsRun(words, address) {
			return identityAddress
		}
	}
	return ""
}

// wordsOf is text's words, lower case: runs of letters and digits, in one Unicode form
// (NFKC), so a name with "ë" is found written either way.
func wordsOf(text string) []string {
	return strings.FieldsFunc(strings.ToLower(norm.NFKC.String(text)), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// containsRun reports whether run appears in words, word for word and in order.
func containsRun(words, run []string) bool {
	for i := 0; i+len(run) <= len(words); i++ {
		if slices.Equal(words[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// phoneIn reports whether phone's digits appear in text, the spaces, hyphens, dots,
// brackets and plus signs between digits left out, with the UK's 0 or 44 before the area
// code either way.
func phoneIn(text, phone string) bool {
	digits := onlyDigits(phone)
	if len(digits) < minPhoneDigits {
		return false
	}
	variants := []string{digits}
	switch {
	case strings.HasPrefix(digits, "44"):
		variants = append(variants, "0"+digits[2:])
	case strings.HasPrefix(digits, "0"):
		variants = append(variants, "44"+digits[1:])
	}
	compact := strings.Map(func(r rune) rune {
		if strings.ContainsRune(" -.()+\u00a0", r) {
			return -1
		}
		return r
	}, text)
	return slices.ContainsFunc(variants, func(v string) bool { return strings.Contains(compact, v) })
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
