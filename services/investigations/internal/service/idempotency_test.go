package service_test

import (
	"net/http"
	"testing"

	"casework.dev/pkg/httpserver"
)

// The same officer's key with a different report is refused and stores nothing; the first
// report's replay stays as it was; another officer's key is their own.
func TestIdempotencyKeyReusedWithAnotherReportIsRefused(t *testing.T) {
	e := newEnv(t)
	olive, pat := e.officer("olive"), e.officer("pat")
	body := map[string]any{"area": "drainage", "matter": map[string]any{"summary": "Blocked drain flooding the lane"},
		"people": []any{map[string]any{"role": "reporter", "name": "Ada Lovelace"}}}
	first := e.Must(http.StatusCreated, "POST", "/investigations", olive, body, "Idempotency-Key", "k-1")
	counts := func() [3]int {
		var n [3]int
		for i, table := range []string{"investigations", "audit_log", "watermill_outbox"} {
			if err := e.DB.Get(&n[i], `SELECT count(*) FROM `+table); err != nil {
				t.Fatal(err)
			}
		}
		return n
	}
	before := counts()

	other := map[string]any{"area": "drainage", "matter": map[string]any{"summary": "Blocked drain flooding the lane"},
		"people": []any{map[string]any{"role": "reporter", "name": "Grace Hopper"}}}
	r := e.Call("POST", "/investigations", olive, other, "Idempotency-Key", "k-1")
	if r.Status != http.StatusUnprocessableEntity || r.Header.Get("Content-Type") != httpserver.ProblemContentType ||
		r.JSON(t)["type"] != httpserver.TypeIdempotencyKeyReused {
		t.Fatalf("key reused with another report: %d %s", r.Status, r.Body)
	}
	if after := counts(); after != before {
		t.Fatalf("a refused key changed the tables: %v, was %v", after, before)
	}
	again := e.Must(http.StatusOK, "POST", "/investigations", olive, body, "Idempotency-Key", "k-1")
	if again["id"] != first["id"] || again["reference"] != first["reference"] {
		t.Fatalf("replay answered %v, want %v", again["id"], first["id"])
	}
	if theirs := e.Must(http.StatusCreated, "POST", "/investigations", pat, other, "Idempotency-Key", "k-1"); theirs["id"] == first["id"] {
		t.Fatal("another officer's identical key returned olive's investigation")
	}
}
