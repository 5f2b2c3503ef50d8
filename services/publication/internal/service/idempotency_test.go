package service_test

import (
	"net/http"
	"strings"
	"testing"
)

// An Idempotency-Key replays only the request it came with: the same officer and key with
// another conviction is refused with 422 and creates nothing, and the first request's replay
// is unchanged (issue 8 item 3, in this service's manual entry).
func TestIdempotencyKeyReusedWithAnotherConvictionIsRefused(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	first := map[string]any{"team": "licensing", "conviction": aConviction()}
	created := e.Must(http.StatusCreated, "POST", "/decisions", officer, first, "Idempotency-Key", "k-1")

	other := aConviction()
	other["name"] = "Someone Else"
	r := e.Call("POST", "/decisions", officer, map[string]any{"team": "licensing", "conviction": other}, "Idempotency-Key", "k-1")
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `"type":"https://casework.dev/problems/idempotency-key-reused"`) {
		t.Fatalf("reused key with another conviction: %d %s", r.Status, r.Body)
	}
	if n := e.Count(`SELECT count(*) FROM publication_decisions`); n != 1 {
		t.Fatalf("%d decisions after the refused reuse, want 1", n)
	}
	replay := e.Must(http.StatusOK, "POST", "/decisions", officer, first, "Idempotency-Key", "k-1")
	if replay["id"] != created["id"] || replay["conviction"].(map[string]any)["name"] != "Sam Subject" {
		t.Fatalf("replay %v, want the first decision %v", replay["id"], created["id"])
	}
}
