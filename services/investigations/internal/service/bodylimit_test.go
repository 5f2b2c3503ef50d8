package service_test

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"casework.dev/pkg/testkit"
	"casework.dev/services/investigations/internal/service"
)

// Every JSON body the contract allows is admitted, however it is written: each operation's
// largest body, every character escaped, is within service.MaxBodyBytes, and the
// service reads it whole (it answers on what the body says, never 413). An e-mail of
// 100,000 characters beyond the Basic Multilingual Plane written as escapes (1.2 MB; the
// limit was 256 KiB) is stored exactly.
func TestJSONBodyLimitAdmitsEveryBodyTheContractAllows(t *testing.T) {
	e := newEnv(t)
	f := e.openCase(e.officer("olive"), "noise", "", nil)
	bodies := testkit.LargestBodies(t, e.svc.Spec)
	if len(bodies) == 0 {
		t.Fatal("no operation takes a JSON body")
	}
	got := map[string]int{}
	for _, op := range slices.Sorted(maps.Keys(bodies)) {
		body := bodies[op]
		if len(body) > service.MaxBodyBytes {
			t.Errorf("%s: its largest body, every character escaped, is %d bytes, past the limit of %d", op, len(body), service.MaxBodyBytes)
		}
		method, path, _ := strings.Cut(op, " ")
		r := e.Call(method, strings.ReplaceAll(path, "{id}", f.id), e.manager("mona"), string(body))
		if r.Status == 413 || r.Status >= 500 {
			t.Errorf("%s (%d bytes): %d %.300s", op, len(body), r.Status, r.Body)
		}
		got[op] = r.Status
	}
	// Each answered on what it says: the largest values are no case's (a 400, a 403 from the
	// notice for a recipient it does not name, a 409 for an action the case is not at), but
	// an officer's id and a legal hold's reason are.
	want := map[string]int{"POST /investigations": 400, "POST /investigations/{id}/actions": 409, "POST /investigations/{id}/assignments": 200,
		"POST /investigations/{id}/close": 409, "POST /investigations/{id}/conditions": 400, "POST /investigations/{id}/emails": 400,
		"POST /investigations/{id}/evidence": 400, "POST /investigations/{id}/outcome": 400, "POST /investigations/{id}/people": 400,
		"POST /investigations/{id}/referrals": 403, "POST /investigations/{id}/special-category-data": 400, "PUT /investigations/{id}/legal-hold": 200}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statuses\n got %v\nwant %v", got, want)
	}
	body := strings.Repeat("\U0001F600", 100000)
	sent := `{"from":` + testkit.Escaped("rita@example.org") + `,"subject":` + testkit.Escaped("Noise again") + `,"body":"` +
		strings.Repeat(testkit.Astral, 100000) + `","received_at":"2026-03-01T09:00:00Z"}`
	v := e.Must(200, "POST", "/investigations/"+f.id+"/emails", e.officer("olive"), sent)
	emails := v["emails"].([]any)
	if m := emails[len(emails)-1].(map[string]any); m["body"] != body || m["subject"] != "Noise again" {
		t.Fatalf("the e-mail's body stored as %d characters, sent 100000", len([]rune(m["body"].(string))))
	}
}
