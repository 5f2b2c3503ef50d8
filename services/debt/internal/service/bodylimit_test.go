package service_test

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"casework.dev/pkg/testkit"
	"casework.dev/services/debt/internal/service"
)

// Every JSON body the contract allows is admitted, however it is written: each operation's
// largest body, every character escaped, is within service.MaxJSONBodyBytes, and the
// service reads it whole (it answers on what the body says, never 413). The largest legal
// hold's reason, 2000 characters beyond the Basic Multilingual Plane written as escapes, is
// stored exactly.
func TestJSONBodyLimitAdmitsEveryBodyTheContractAllows(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-BIG", 100000)
	bodies := testkit.LargestBodies(t, e.svc.Spec)
	if len(bodies) == 0 {
		t.Fatal("no operation takes a JSON body")
	}
	got := map[string]int{}
	for _, op := range slices.Sorted(maps.Keys(bodies)) {
		body := bodies[op]
		if len(body) > service.MaxJSONBodyBytes {
			t.Errorf("%s: its largest body, every character escaped, is %d bytes, past the limit of %d", op, len(body), service.MaxJSONBodyBytes)
		}
		method, path, _ := strings.Cut(op, " ")
		r := e.Call(method, strings.ReplaceAll(path, "{id}", id), e.manager(), string(body))
		if r.Status == 413 || r.Status >= 500 {
			t.Errorf("%s (%d bytes): %d %s", op, len(body), r.Status, r.Body)
		}
		got[op] = r.Status
	}
	// Each answered on what it says: the largest values are no case's (a 400 or, once the
	// return with its longest reason has closed the case, a 409; an arrangement review with
	// no breached arrangement awaiting one, a 409), but a legal hold's reason and a return's
	// are.
	want := map[string]int{"POST /cases/{id}/arrangement": 400, "POST /cases/{id}/arrangement/review": 409, "POST /cases/{id}/consents": 400, "POST /cases/{id}/disclosures": 400,
		"POST /cases/{id}/payments": 400, "POST /cases/{id}/removal-attendance": 400, "POST /cases/{id}/return": 200,
		"POST /cases/{id}/sale": 400, "POST /cases/{id}/visits": 400, "POST /cases/{id}/vulnerability": 409,
		"POST /cases/{id}/vulnerability/review": 409, "PUT /cases/{id}/legal-hold": 200}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statuses\n got %v\nwant %v", got, want)
	}
	var reason string
	if err := e.DB.Get(&reason, `SELECT legal_hold->>'reason' FROM debt_cases WHERE id = $1`, id); err != nil || reason != strings.Repeat("\U0001F600", 2000) {
		t.Fatalf("legal hold reason stored as %d characters (%v), sent 2000", len([]rune(reason)), err)
	}
}
