package service_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// With the database unreachable a write answers 503 with Retry-After and changes nothing.
func TestADatabaseOutageAnswers503WithRetryAfter(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f := e.openCase(olive, "noise", "", nil)
	before := e.rowCounts()

	restore := testkit.CutDatabase(t, e.DB)
	for _, path := range []string{"/investigations", "/investigations/" + f.id + "/triage"} {
		body := any(nil)
		if path == "/investigations" {
			body = map[string]any{"area": "drainage", "matter": map[string]any{"summary": "Blocked drain"}}
		}
		r := e.Call("POST", path, olive, body)
		var p httpserver.Problem
		if err := json.Unmarshal(r.Body, &p); err != nil {
			t.Fatal(err)
		}
		if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != "5" ||
			p.Type != httpserver.TypeServiceUnavailable || p.Detail != "the database is unavailable; try again later" {
			t.Errorf("POST %s: %d %v %s", path, r.Status, r.Header, r.Body)
		}
	}
	restore()
	if after := e.rowCounts(); !reflect.DeepEqual(before, after) {
		t.Fatalf("rows changed during the outage: before %v, after %v", before, after)
	}
	e.Must(http.StatusOK, "POST", "/investigations/"+f.id+"/triage", olive, nil)
}
