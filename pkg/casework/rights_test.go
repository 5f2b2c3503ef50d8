package casework_test

import (
	"errors"
	"testing"

	"casework.dev/pkg/casework"
)

// A detail is corrected once, trimmed; the same value again changes nothing; a value the
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
		if changed, err := casework.Rectify(details, "name", "  Ada Lovelace "); err != nil || changed != want {
			t.Fatalf("rectify #%d: %v, %v; want %v", i+1, changed, err, want)
		}
	}
	for _, tc := range []struct{ field, value, want string }{
		{"email", "not an address", "email: is not an e-mail address"},
		{"email", "Ada <ada@example.org>", "email: is not an e-mail address"},
		{"name", " ", "name: is required"},
		{"name", string(make([]byte, 501)), "name: at most 500 characters"},
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
	if name != "Ada Lovelace" || email != "ada@example.org" {
		t.Errorf("held %q, %q", name, email)
	}
}
