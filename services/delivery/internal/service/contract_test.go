package service_test

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
	"casework.dev/services/delivery/internal/domain"
)

// The contract is exactly what the worker's API does: every route is exercised, with a
// success and (behind a token) a refusal, and every answer validates against
// contracts/openapi/delivery.yaml with kin-openapi's ValidateResponse.
func TestEveryAnswerMatchesTheContract(t *testing.T) {
	var healthy atomic.Bool
	lgo := newReceiver(t, func(string, int) int {
		if healthy.Load() {
			return 0
		}
		return http.StatusServiceUnavailable
	})
	e := newEnv(t, domain.RetryPolicy{MaxAttempts: 2, InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond}, lgo.partner("lgo"))
	e.publish("lgo", "d-1")
	e.publish("lgo", "d-2")
	e.drained("lgo")

	contract := e.Contract
	call := func(status int, method, path, token string, headers ...string) testkit.Response {
		t.Helper()
		return e.Expect(status, method, path, token, nil, headers...)
	}
	manager := e.Token("mgr", "delivery_manager")
	etag := call(200, "GET", "/openapi.yaml", "").Header.Get("ETag")
	call(304, "GET", "/openapi.yaml", "", "If-None-Match", etag)
	call(200, "GET", "/healthz", "")
	call(200, "GET", "/readyz", "")
	call(200, "GET", "/metrics", "")

	call(401, "GET", "/dead-letters", "")
	call(400, "GET", "/dead-letters?status=lost", manager)
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(call(200, "GET", "/dead-letters?partner=lgo", manager).Body, &page); err != nil || len(page.Items) != 2 {
		t.Fatalf("dead letters: %v %+v", err, page)
	}
	call(200, "POST", "/dead-letters/"+page.Items[0].ID+"/retry", manager) // fails again: still open, answered 200
	healthy.Store(true)
	call(200, "POST", "/dead-letters/"+page.Items[0].ID+"/retry", manager) // delivered: resolved
	call(409, "POST", "/dead-letters/"+page.Items[0].ID+"/retry", manager)
	call(409, "POST", "/dead-letters/"+page.Items[0].ID+"/discard", manager) // redelivered: nothing to discard
	call(404, "POST", "/dead-letters/0193a4b2-0000-7000-8000-000000000000/retry", manager)
	call(200, "GET", "/dead-letters?status=all", manager)

	call(200, "POST", "/dead-letters/"+page.Items[1].ID+"/discard", manager) // content erased at once
	call(200, "POST", "/dead-letters/"+page.Items[1].ID+"/discard", manager) // idempotent
	call(409, "POST", "/dead-letters/"+page.Items[1].ID+"/retry", manager)   // disclose again
	call(400, "POST", "/dead-letters/not-a-uuid/discard", manager)
	call(404, "POST", "/dead-letters/0193a4b2-0000-7000-8000-000000000000/discard", manager)
	call(200, "GET", "/dead-letters?status=all", manager)
	call(200, "GET", "/dead-letters?status=closed", manager)
	call(200, "GET", "/dead-letters?status=discarded&partner=lgo&limit=5", manager)
	call(200, "GET", "/dead-letters", manager) // open: none left

	contract.RequireExercised(t, []int{2, 4}, map[string][]int{
		"GET /openapi.yaml": {4}, "GET /healthz": {4}, "GET /readyz": {4}, "GET /metrics": {4},
	})
	if t.Failed() {
		t.Log(contract.Summary())
	}
}
