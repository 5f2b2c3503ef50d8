package service_test

import (
	"testing"
)

// An evidence item the case does not hold is a 404 naming it, never a validation or state
// error, and changes nothing; the same request on a real item still works.
func TestUnknownEvidenceItemIsNotFound(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	f := e.openCase(officer, "noise", "", nil)
	const unknown = "6f1c2e0a-0000-4000-8000-000000000009"
	var before int
	if err := e.DB.Get(&before, `SELECT count(*) FROM audit_log`); err != nil {
		t.Fatal(err)
	}
	for _, item := range []string{unknown, f.photoID + "x"} {
		r := e.Call("POST", "/investigations/"+f.id+"/evidence/"+item+"/used-as-evidence", officer, nil)
		p := r.JSON(t)
		if r.Status != 404 || r.Header.Get("Content-Type") != "application/problem+json" ||
			p["type"] != "https://casework.dev/problems/not-found" || p["detail"] != "no evidence item "+item+" on this investigation" {
			t.Errorf("unknown item %s: %d %s", item, r.Status, r.Body)
		}
	}
	var after int
	if err := e.DB.Get(&after, `SELECT count(*) FROM audit_log`); err != nil || after != before {
		t.Errorf("audit rows %d -> %d (%v): a refusal changed the case", before, after, err)
	}
	e.Must(200, "POST", "/investigations/"+f.id+"/evidence/"+f.photoID+"/used-as-evidence", officer, nil)
}
