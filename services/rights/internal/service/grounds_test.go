package service_test

import (
	"testing"
	"time"

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
	withAuthority["requester"] = map[string]any{"name": "Rita Rep", "email": "rita@example.org"}
	withAuthority["representative"] = map[string]any{"name": "Rita Rep", "organisation": "Citizens Advice Maidstone",
		"authority": "a signed letter of authority"}
	represented := "/requests/" + e.Must(201, "POST", "/requests", olly, withAuthority)["id"].(string)
	refuse := func(ground string) map[string]any {
		return map[string]any{"ground": ground, "reasons": "The fourth identical request this month."}
	}

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
	awaiting["requester"] = map[string]any{"name": "Rita Rep", "email": "rita@example.org"}
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

// A refusal says why, as the person is told it with their right to complain to the ICO
// (Art 12(4)); the words are kept with the request and erased with its personal data.
func TestARefusalRecordsItsReasons(t *testing.T) {
	e := newEnv(t)
	id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("access"))["id"].(string)
	p := "/requests/" + id + "/refuse"
	e.RefusesBadInput(t, e.dpo(), []testkit.BadInput{
		{Name: "no reasons", Method: "POST", Path: p, Body: map[string]any{"ground": "manifestly_excessive"}, Status: 400, Problem: "validation", Pointers: []string{"/reasons"}},
		{Name: "blank reasons", Method: "POST", Path: p, Body: map[string]any{"ground": "manifestly_excessive", "reasons": "  "}, Status: 400, Problem: "validation", Pointers: []string{"/reasons"}},
	})
	why := "The same request for the fourth time this month, each answered in full."
	// Kept exactly as the DPO wrote them, white space and all (they were trimmed).
	r := e.Must(200, "POST", p, e.dpo(), map[string]any{"ground": "manifestly_excessive", "reasons": " " + why + "\n"})
	if c := r["closure"].(map[string]any); c["ground"] != "manifestly_excessive" || c["reasons"] != " "+why+"\n" {
		t.Fatalf("closure %v", c)
	}
	if c := e.Must(200, "GET", "/requests/"+id, e.officer(), nil)["closure"].(map[string]any); c["reasons"] != " "+why+"\n" {
		t.Fatalf("stored closure %v", c)
	}
	e.Clock.Set(time.Date(2028, 3, 3, 12, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(t.Context(), 100); n != 1 || err != nil {
		t.Fatalf("retention sweep: %d %v", n, err)
	}
	if c := e.Must(200, "GET", "/requests/"+id, e.officer(), nil)["closure"].(map[string]any); c["reasons"] != nil || c["ground"] != "manifestly_excessive" {
		t.Errorf("after erasure the closure is %v", c)
	}
}
