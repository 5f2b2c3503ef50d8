package service_test

import (
	"testing"
	"time"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// TestUnavailableDatabaseAnswers503WithRetryAfter: with PostgreSQL out of reach the
// register, the API's reads and writes and /readyz answer 503 with Retry-After, never 500;
// once it is back, they answer again.
func TestUnavailableDatabaseAnswers503WithRetryAfter(t *testing.T) {
	e := newEnv(t)
	tok := e.officer("olive")
	restore := testkit.CutDatabase(t, e.DB)
	for _, req := range []struct {
		method, path, token string
		body                any
	}{
		{"GET", "/public/prosecutions", "", nil},
		{"GET", "/public/prosecutions.atom", "", nil},
		{"GET", "/public/prosecutions.html", "", nil},
		{"GET", "/decisions", tok, nil},
		{"GET", "/decisions/0195f3a0-0000-7000-8000-000000000001", tok, nil},
		{"POST", "/decisions", tok, map[string]any{"team": "licensing", "conviction": aConviction()}},
		{"POST", "/decisions/0195f3a0-0000-7000-8000-000000000001/appeal", tok, map[string]any{"decided_on": "2026-03-01", "court": "Crown Court"}},
	} {
		r := e.Call(req.method, req.path, req.token, req.body)
		p := testkit.ProblemOf(t, r, 503, httpserver.TypeServiceUnavailable)
		if r.Header.Get("Retry-After") != "5" || p["dependency"] != "database" {
			t.Errorf("%s %s with the database down: Retry-After %q %s", req.method, req.path, r.Header.Get("Retry-After"), r.Body)
		}
	}
	if r := e.Call("GET", "/readyz", "", nil); r.Status != 503 {
		t.Errorf("/readyz with the database down: %d %s", r.Status, r.Body)
	}
	restore()
	testkit.Eventually(t, 10*time.Second, "the service to answer again", func() (bool, string) {
		r := e.Call("GET", "/public/prosecutions", "", nil)
		return r.Status == 200, string(r.Body)
	})
	e.Must(201, "POST", "/decisions", tok, map[string]any{"team": "licensing", "conviction": aConviction()})
}
