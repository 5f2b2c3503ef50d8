package domain_test

import (
	"strings"
	"testing"
)

// A correction keeps to the contract's limit of each detail, as logging does: a name of 201
// characters, a phone number of 51 or an e-mail address of 321 is refused and nothing is
// changed; an address of 1,000 characters is taken, though a detail's default limit is 500.
func TestRectificationKeepsToEachDetailsContractLimit(t *testing.T) {
	c := logged(t)
	before := c.Complainant
	for _, tc := range []struct{ field, value, want string }{
		{"name", strings.Repeat("n", 201), "name: at most 200 characters"},
		{"phone", strings.Repeat("1", 51), "phone: at most 50 characters"},
		{"email", strings.Repeat("a", 309) + "@example.org", "email: at most 320 characters"},
		{"address", strings.Repeat("a", 1001), "address: at most 1000 characters"},
	} {
		if _, changed, err := c.Rectify(tc.field, tc.value); changed || err == nil || err.Error() != tc.want {
			t.Errorf("%s of %d characters: changed %v, %v; want %q", tc.field, len(tc.value), changed, err, tc.want)
		}
	}
	if c.Complainant != before {
		t.Fatalf("refused corrections changed the complainant: %+v", c.Complainant)
	}
	address := strings.Repeat("a", 1000)
	if _, changed, err := c.Rectify("address", address); err != nil || !changed || c.Complainant.Address != address {
		t.Fatalf("1,000-character address: changed %v, %v", changed, err)
	}
}
