package service_test

import (
	"strings"
	"testing"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/testkit"
	"casework.dev/services/investigations/internal/service"
)

// TestNoticeCarriesTheSource checks the notice states what the community protection
// notice does: fourteen areas, fifty pieces of legislation, the special categories.
func TestNoticeCarriesTheSource(t *testing.T) {
	n, _, err := bootstrap.LoadNotice(service.Name, "", contracts.Notice)
	if err != nil {
		t.Fatal(err)
	}
	var areas []string
	for _, c := range n.CaseTypes {
		areas = append(areas, c.ID)
	}
	if normal(t, areas) != normal(t, allAreas) {
		t.Errorf("areas %v, want %v", areas, allAreas)
	}
	p, _ := n.Purpose("investigation")
	if len(p.Legislation) != 50 || p.Legislation[0] != "Animal Boarding Establishments Act 1963" || p.Legislation[49] != "Water Industry Act 1991" {
		t.Errorf("legislation: %d items, first %q", len(p.Legislation), p.Legislation[0])
	}
	for _, id := range []string{"health", "racial_or_ethnic_origin", "religious_or_philosophical_beliefs", "sex_life", "sexual_orientation", "previous_convictions"} {
		if c, ok := n.Category(id); !ok || !c.Special() {
			t.Errorf("%s is not a special category", id)
		}
	}
	var recipients []string
	for _, r := range n.Recipients {
		recipients = append(recipients, r.ID)
	}
	for r := range noticeSpec {
		if !strings.Contains(strings.Join(recipients, ","), r) {
			t.Errorf("recipient %s missing from the notice", r)
		}
	}
	if len(recipients) != len(noticeSpec) {
		t.Errorf("notice names %d recipients %v, the spec %d", len(recipients), recipients, len(noticeSpec))
	}
}

// TestContractNoticeAndBadInput: the OpenAPI contract and the notice are served; bad input
// is a problem and changes nothing.
func TestContractNoticeAndBadInput(t *testing.T) {
	e := newEnv(t)
	if r := e.Call("GET", "/openapi.yaml", "", nil); r.Status != 200 || !strings.Contains(string(r.Body), "operationId: refer") {
		t.Errorf("openapi: %d", r.Status)
	}
	if r := e.Call("GET", "/notice", "", nil); r.Status != 200 || !strings.Contains(string(r.Body), "Goodwin Pest Management") {
		t.Errorf("notice: %d %s", r.Status, r.Body)
	}
	open := func(name string, body map[string]any, pointer string) testkit.BadInput {
		return testkit.BadInput{Name: name, Method: "POST", Path: "/investigations", Body: body,
			Status: 400, Problem: "validation", Pointers: []string{pointer}}
	}
	e.RefusesBadInput(t, e.officer("olive"), []testkit.BadInput{
		open("unknown field", map[string]any{"area": "noise", "matter": map[string]any{"summary": "x"}, "surprise": true}, "/surprise"),
		open("not an area", map[string]any{"area": "parking", "matter": map[string]any{"summary": "x"}}, "/area"),
		open("scope outside dogs", map[string]any{"area": "noise", "scope": "stray_dog", "matter": map[string]any{"summary": "x"}}, "/scope"),
		open("dogs need a scope", map[string]any{"area": "dangerous_and_nuisance_dogs", "matter": map[string]any{"summary": "x"}}, "/scope"),
		open("hate crime is ASB", map[string]any{"area": "noise", "hate_crime": true, "matter": map[string]any{"summary": "x"}}, "/hate_crime"),
		open("received at Go's zero time (it was read as now)", map[string]any{"area": "noise", "matter": map[string]any{"summary": "x"},
			"received_at": "0001-01-01T00:00:00Z"}, "/received_at"),
		open("no such role", map[string]any{"area": "noise", "matter": map[string]any{"summary": "x"},
			"people": []any{map[string]any{"role": "boss", "name": "x"}}}, "/people/0/role"),
	})
	if list := e.Must(200, "GET", "/investigations", e.manager("mina"), nil)["items"].([]any); len(list) != 0 {
		t.Errorf("bad input stored %d cases", len(list))
	}
	if r := e.Call("GET", "/investigations", e.Token("nora", "planning_officer"), nil); r.Status != 403 {
		t.Errorf("a token without an investigations role: %d", r.Status)
	}
}

// TestFootageUsedAsEvidenceKeepsSixYears: marking a clip as evidence moves its clock.
func TestFootageUsedAsEvidenceKeepsSixYears(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	f := e.openCase(officer, "noise", "", nil)
	due := func(v map[string]any) any {
		return v["evidence"].([]any)[2].(map[string]any)["retention"].(map[string]any)["due"]
	}
	if got := due(f.view); got != "2026-03-27" {
		t.Errorf("clip not used as evidence: due %v, want 2026-03-27", got)
	}
	v := e.Must(200, "POST", "/investigations/"+f.id+"/evidence/"+f.cctvID+"/used-as-evidence", officer, nil)
	if got := due(v); got != "2032-02-25" {
		t.Errorf("clip used as evidence: due %v, want 2032-02-25", got)
	}
}

// TestIdempotentOpen: a retried report with the same key stores nothing new.
func TestIdempotentOpen(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	body := map[string]any{"area": "drainage", "matter": map[string]any{"summary": "Blocked drain flooding the lane"}}
	first := e.Must(201, "POST", "/investigations", officer, body, "Idempotency-Key", "k-1")
	again := e.Must(200, "POST", "/investigations", officer, body, "Idempotency-Key", "k-1")
	if again["id"] != first["id"] || again["reference"] != first["reference"] {
		t.Errorf("retry answered %v, want %v", again["id"], first["id"])
	}
	var n int
	if err := e.DB.Get(&n, `SELECT count(*) FROM investigations`); err != nil || n != 1 {
		t.Errorf("%d investigations stored (%v), want 1", n, err)
	}
}
