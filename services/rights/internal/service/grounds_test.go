package service_test

import (
	"testing"

	"casework.dev/pkg/testkit"
)

// A request is refused only on a ground its record allows: not for an identity that could
// not be confirmed once it was verified, nor for a representative's authority not given
// when the person asks for themselves or the authority was recorded. Each such refusal is
// refused naming its rule, and changes nothing; the grounds the record bears out are
// accepted.
func TestRefusalOnAGroundTheRecordContradicts(t *testing.T) {
	e := newEnv(t)
	olly, dora := e.officer(), e.dpo()
	verified := "/requests/" + e.Must(201, "POST", "/requests", olly, anAccessRequest("access"))["id"].(string)
	withAuthority := anAccessRequest("access")
	withAuthority["representative"] = map[string]any{"name": "Rita Rep", "organisation": "Citizens Advice Maidstone",
		"authority": "a signed letter of authority"}
	represented := "/requests/" + e.Must(201, "POST", "/requests", olly, withAuthority)["id"].(string)
	refuse := func(ground string) map[string]any { return map[string]any{"ground": ground} }

	e.RefusesBadInput(t, dora, []testkit.BadInput{
		{Name: "identity not confirmed, though verified", Method: "POST", Path: verified + "/refuse", Body: refuse("identity_not_confirmed"),
			Status: 409, Problem: "conflict", Check: conflictOn("identity_verified")},
		{Name: "no authority, though no one acts for the person", Method: "POST", Path: verified + "/refuse", Body: refuse("authority_not_given"),
			Status: 409, Problem: "conflict", Check: conflictOn("no_authority_awaited")},
		{Name: "no authority, though it was recorded", Method: "POST", Path: represented + "/refuse", Body: refuse("authority_not_given"),
			Status: 409, Problem: "conflict", Check: conflictOn("no_authority_awaited")},
	})
	for _, p := range []string{verified, represented} {
		if r := e.Must(200, "GET", p, olly, nil); r["status"] != "open" || r["closure"] != nil {
			t.Errorf("%s changed: %v %v", p, r["status"], r["closure"])
		}
	}

	// The grounds the record bears out: the identity never verified, the authority awaited.
	unverified := anAccessRequest("access")
	delete(unverified, "identity_method")
	awaiting := anAccessRequest("access")
	awaiting["representative"] = map[string]any{"name": "Rita Rep"}
	for _, c := range []struct {
		body   map[string]any
		ground string
	}{{unverified, "identity_not_confirmed"}, {awaiting, "authority_not_given"}} {
		id := e.Must(201, "POST", "/requests", olly, c.body)["id"].(string)
		if r := e.Must(200, "POST", "/requests/"+id+"/refuse", dora, refuse(c.ground)); r["status"] != "refused" {
			t.Errorf("%s: %v", c.ground, r["status"])
		}
	}
	e.Must(200, "POST", verified+"/refuse", dora, refuse("manifestly_excessive"))
}
