package service_test

import (
	"net/http"
	"testing"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// With its database unreachable the board answers 503 with Retry-After (never a 500) and
// says so on /readyz; status events published meanwhile wait on their streams and are
// counted once it is back.
func TestADatabaseOutageAnswers503AndLosesNoStatusEvent(t *testing.T) {
	e := newEnv(t)
	e.seed()
	maya := e.token("maya", "complaints_manager")
	restore := testkit.CutDatabase(t, e.db)

	for _, path := range []string{"/api/board", "/api/cases?service=complaints&figure=open"} {
		r := testkit.Call(t, e.server.URL, "GET", path, maya, nil)
		testkit.ProblemOf(t, r, http.StatusServiceUnavailable, httpserver.TypeServiceUnavailable)
		if r.Header.Get("Retry-After") == "" {
			t.Errorf("GET %s with the database down: no Retry-After", path)
		}
	}
	if r := testkit.Call(t, e.server.URL, "GET", "/readyz", "", nil); r.Status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database down: %d %s", r.Status, r.Body)
	}
	c := complaint("0010", "CMP-6", 1, "stage1_received", "stage1.received", day(4, 9))
	e.publish("status.complaints.stage1", c.EventID, c)

	restore()
	e.waitProcessed(10)
	if r := testkit.Call(t, e.server.URL, "GET", "/readyz", "", nil); r.Status != http.StatusOK {
		t.Errorf("/readyz with the database back: %d %s", r.Status, r.Body)
	}
	for _, f := range e.board(maya) {
		if f.Service == "complaints" && f.Open != 5 {
			t.Errorf("complaints open = %d after the outage, want 5 (the 4 before and the one sent during it)", f.Open)
		}
	}
}
