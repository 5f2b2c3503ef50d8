package service_test

import (
	"slices"
	"testing"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/testkit"
)

// A restriction is lifted only once every service applied it, only with the day the
// person was told (Article 18(3)), and only once: each service that restricted a record is
// asked to lift it, and the request waits for their answers again.
func TestRestrictionLiftedAfterThePersonIsTold(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := fakes(t, e)
	investigations.refuse["i-2"] = rights.Refusal{Ground: "legal_hold", Words: "held for proceedings"}
	complaints.serve(t, e)
	investigations.serve(t, e)
	dpo, lift := e.dpo(), map[string]any{"told_on": "2026-03-02", "told_how": "letter"}

	id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("restriction"))["id"].(string)
	p := "/requests/" + id
	r := testkit.ProblemOf(t, e.Call("POST", p+"/lift", dpo, lift), 409, "https://casework.dev/problems/conflict")
	if r["rule"] != "not_restricted" {
		t.Errorf("lift before the restriction: %v", r)
	}
	e.Must(202, "POST", p+"/search", e.officer(), nil)
	e.waitFor(id, "the search", phaseIs("confirming"))
	e.Must(202, "POST", p+"/confirm", dpo, map[string]any{"matches": []map[string]any{
		{"service": "complaints", "record_id": "c-1"}, {"service": "investigations", "record_id": "i-1"}, {"service": "investigations", "record_id": "i-2"}}})
	e.waitFor(id, "the restriction", phaseIs("ready"))

	e.RefusesBadInput(t, dpo, []testkit.BadInput{
		{Name: "told tomorrow", Method: "POST", Path: p + "/lift", Body: map[string]any{"told_on": "2026-03-03", "told_how": "letter"},
			Status: 400, Problem: "validation", Pointers: []string{"/told_on"}},
		{Name: "told before the request", Method: "POST", Path: p + "/lift", Body: map[string]any{"told_on": "2026-02-27", "told_how": "letter"},
			Status: 400, Problem: "validation", Pointers: []string{"/told_on"}},
		{Name: "not told how", Method: "POST", Path: p + "/lift", Body: map[string]any{"told_on": "2026-03-02"}, Status: 400, Problem: "validation"},
	})
	testkit.ProblemOf(t, e.Call("POST", p+"/lift", e.officer(), lift), 403, "https://casework.dev/problems/forbidden")

	got := e.Must(200, "POST", p+"/lift", dpo, lift)
	if l, _ := got["lift"].(map[string]any); l["told_on"] != "2026-03-02" || l["told_how"] != "letter" || l["by"] != "dora" || got["phase"] != "actioning" {
		t.Fatalf("lifted: phase %v lift %v", got["phase"], got["lift"])
	}
	e.waitFor(id, "the lifting", phaseIs("ready"))
	if !slices.Equal(complaints.acted[rights.Lift], []string{"c-1"}) || investigations.questions(rights.Lift) != 1 {
		t.Errorf("lifted: complaints %v, investigations asked %d", complaints.acted[rights.Lift], investigations.questions(rights.Lift))
	}
	if r := testkit.ProblemOf(t, e.Call("POST", p+"/lift", dpo, lift), 409, "https://casework.dev/problems/conflict"); r["rule"] != "already_lifted" {
		t.Errorf("lifted twice: %v", r)
	}
	e.Must(200, "POST", p+"/complete", dpo, nil)
}
