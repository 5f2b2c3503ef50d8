package casework_test

import (
	"errors"
	"strings"
	"testing"

	"casework.dev/pkg/casework"
)

// A detail is corrected once, exactly as given; the same value again changes nothing; a value the
// checks refuse, or a field that is no detail, changes nothing and names why.
func TestRectify(t *testing.T) {
	var name, email string = "Ada", "ada@example.org"
	errBlank := &casework.ValidationError{Field: "name", Detail: "is required"}
	details := []casework.Detail{
		{Name: "name", Value: &name, Check: func(v string) error {
			if v == "" {
				return errBlank
			}
			return nil
		}},
		{Name: "email", Value: &email},
	}
	for i, want := range []bool{true, false} {
		if changed, err := casework.Rectify(details, "name", "Ada Lovelace"); err != nil || changed != want {
			t.Fatalf("rectify #%d: %v, %v; want %v", i+1, changed, err, want)
		}
	}
	for _, tc := range []struct{ field, value, want string }{
		{"email", "not an address", "email: is not an e-mail address"},
		{"email", "Ada <ada@example.org>", "email: is not an e-mail address"},
		{"name", "", "name: is required"},
		// Never trimmed into another value than the one asked for (it was, silently).
		{"name", " ", "name: must not begin or end with white space"},
		{"name", "  Ada Lovelace ", "name: must not begin or end with white space"},
		{"name", "Ada\u00a0", "name: must not begin or end with white space"},
		{"name", strings.Repeat("x", 501), "name: at most 500 characters"},
		{"name", strings.Repeat("é", 501), "name: at most 500 characters"},
		{"phone", "01622 000111", "field: may be one of name, email"},
		// Text PostgreSQL cannot store is refused here, not by the database when it is saved
		// (22P05, 22021), which a caller would take for a failure and retry.
		{"name", "Ada\x00Lovelace", "name: contains U+0000 (NUL), which cannot be stored"},
		{"name", "Ada \xff\xfe", "name: is not valid UTF-8"},
	} {
		_, err := casework.Rectify(details, tc.field, tc.value)
		var invalid *casework.ValidationError
		if !errors.As(err, &invalid) || err.Error() != tc.want {
			t.Errorf("%s %q: %v, want %q", tc.field, tc.value, err, tc.want)
		}
	}
	// 500 characters of two bytes each are 500 characters.
	long := strings.Repeat("é", 500)
	if changed, err := casework.Rectify(details, "email", ""); err != nil || !changed {
		t.Fatalf("clearing the e-mail: %v, %v", changed, err)
	}
	if _, err := casework.Rectify([]casework.Detail{{Name: "address", Value: new(string)}}, "address", long); err != nil {
		t.Fatalf("500 characters refused: %v", err)
	}
	email = "ada@example.org"
	if name != "Ada Lovelace" || email != "ada@example.org" {
		t.Errorf("held %q, %q", name, email)
	}
}

// A detail's own limit, its contract's maxLength, replaces the default both ways: a phone
// number of 51 characters is refused where the contract allows 50, and an address of 1,000
// accepted where the contract allows 1,000.
func TestRectifyKeepsToEachDetailsOwnLimit(t *testing.T) {
	var phone, address string
	details := []casework.Detail{{Name: "phone", Value: &phone, Max: 50}, {Name: "address", Value: &address, Max: 1000}}
	_, err := casework.Rectify(details, "phone", strings.Repeat("1", 51))
	if err == nil || err.Error() != "phone: at most 50 characters" || phone != "" {
		t.Fatalf("51-character phone: %v, held %q", err, phone)
	}
	if changed, err := casework.Rectify(details, "address", strings.Repeat("é", 1000)); err != nil || !changed {
		t.Fatalf("1,000-character address: %v, %v", changed, err)
	}
	if _, err := casework.Rectify(details, "address", strings.Repeat("é", 1001)); err == nil || err.Error() != "address: at most 1000 characters" {
		t.Fatalf("1,001-character address: %v", err)
	}
}
