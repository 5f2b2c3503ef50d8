package service_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
	"casework.dev/services/delivery/internal/domain"
)

// The worker's /readyz answers anyone, so with the database unreachable it says only
// "database unavailable" (the driver's error, which names the database, goes to the log);
// the dead-letter list answers 503 with Retry-After, not 500.
func TestADatabaseOutageIsReportedInFixedWords(t *testing.T) {
	e := newEnv(t, domain.RetryPolicy{MaxAttempts: 1, InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
	var database string
	if err := e.DB.Get(&database, `SELECT current_database()`); err != nil {
		t.Fatal(err)
	}
	restore := testkit.CutDatabase(t, e.DB)

	ready := e.Call("GET", "/readyz", "", nil)
	var p httpserver.Problem
	if err := json.Unmarshal(ready.Body, &p); err != nil {
		t.Fatal(err)
	}
	if ready.Status != http.StatusServiceUnavailable || ready.Header.Get("Content-Type") != httpserver.ProblemContentType ||
		ready.Header.Get("Retry-After") != "5" || p.Type != httpserver.TypeServiceUnavailable || p.Detail != "database unavailable" {
		t.Fatalf("readyz: %d %v %s", ready.Status, ready.Header, ready.Body)
	}
	for _, leak := range []string{database, "pq:", "accepting connections", "55000"} {
		if strings.Contains(string(ready.Body), leak) {
			t.Fatalf("readyz shows the driver's error (%q): %s", leak, ready.Body)
		}
	}

	list := e.Call("GET", "/dead-letters", e.Token("mgr-1", "delivery_manager"), nil)
	if err := json.Unmarshal(list.Body, &p); err != nil {
		t.Fatal(err)
	}
	if list.Status != http.StatusServiceUnavailable || list.Header.Get("Retry-After") != "5" ||
		p.Detail != "the database is unavailable; try again later" {
		t.Fatalf("dead letters: %d %v %s", list.Status, list.Header, list.Body)
	}

	restore()
	testkit.Eventually(t, 10*time.Second, "ready again", func() (bool, string) {
		r := e.Call("GET", "/readyz", "", nil)
		return r.Status == http.StatusOK && string(r.Body) == "{\"status\":\"ready\"}\n", string(r.Body)
	})
}
