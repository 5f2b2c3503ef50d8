package service_test

import (
	"testing"
	"time"

	"casework.dev/contracts"
	"casework.dev/pkg/testkit"
)

// The contract is exactly what the server does: every route is exercised, with a success
// and a refusal, and every answer (status, content type, headers, body) validates against
// contracts/openapi/publication.yaml with kin-openapi's ValidateResponse; an undocumented
// status, a missing or undocumented field fails.
func TestEveryAnswerMatchesTheContract(t *testing.T) {
	e := newEnv(t)
	spec, err := contracts.OpenAPI("publication")
	if err != nil {
		t.Fatal(err)
	}
	contract, call := testkit.ServeContract(t, spec, e.svc.HTTPHandler())
	olive, maria, mark := e.officer("olive"), e.manager("maria"), e.manager("mark")

	// Operational routes.
	call(200, "GET", "/notice", "", nil)
	call(200, "GET", "/notice.yaml", "", nil)
	etag := call(200, "GET", "/openapi.yaml", "", nil).Header.Get("ETag")
	call(304, "GET", "/openapi.yaml", "", nil, "If-None-Match", etag)
	call(200, "GET", "/healthz", "", nil)
	call(200, "GET", "/readyz", "", nil)
	call(200, "GET", "/metrics", "", nil)

	// Decisions, with a refusal on each route.
	manual := map[string]any{"team": "licensing", "case_reference": "LIC-7", "conviction": aConviction()}
	call(401, "POST", "/decisions", "", manual)
	call(400, "POST", "/decisions", olive, map[string]any{"team": "parking", "conviction": aConviction()})
	id := call(201, "POST", "/decisions", olive, manual, "Idempotency-Key", "contract-1").JSON(t)["id"].(string)
	call(200, "POST", "/decisions", olive, manual, "Idempotency-Key", "contract-1")
	call(422, "POST", "/decisions", olive, map[string]any{"team": "planning_enforcement", "conviction": aConviction()}, "Idempotency-Key", "contract-1")
	p := "/decisions/" + id
	call(200, "GET", "/decisions?status=to_decide&limit=1", olive, nil)
	call(400, "GET", "/decisions?limit=0", olive, nil)
	call(200, "GET", p, olive, nil)
	call(404, "GET", "/decisions/00000000-0000-4000-8000-000000000000", olive, nil)
	call(409, "POST", p+"/approve", maria, nil)
	call(400, "POST", p+"/draft", olive, map[string]any{"outcome": "publish_website"})
	call(200, "POST", p+"/draft", maria, aDraft())
	call(409, "POST", p+"/send-back", maria, map[string]any{"reason": "Rate publicity again."})
	call(200, "POST", p+"/send-back", mark, map[string]any{"reason": "Rate publicity again."})
	call(200, "POST", p+"/draft", olive, aDraft())
	call(403, "POST", p+"/approve", olive, nil)
	pressDraft := aDraft()
	pressDraft["outcome"] = "publish_and_press"
	call(200, "POST", p+"/approve", maria, nil)
	call(200, "GET", "/public/prosecutions", "", nil)
	for _, path := range []string{"/public/prosecutions", "/public/prosecutions.atom", "/public/prosecutions.html"} {
		tag := call(200, "GET", path, "", nil).Header.Get("ETag")
		call(304, "GET", path, "", nil, "If-None-Match", tag)
	}
	call(403, "POST", p+"/takedown", olive, map[string]any{"reason": "Objection upheld."})
	call(400, "POST", p+"/appeal", olive, map[string]any{"decided_on": "2026-01-01", "court": "Crown Court"})
	call(200, "POST", p+"/appeal", olive, map[string]any{"decided_on": "2026-03-02", "court": "Maidstone Crown Court"})
	call(200, "GET", p, maria, nil) // with the takedown, the appeal and the history

	// Press release and a manager's takedown.
	other := call(201, "POST", "/decisions", olive, manual).JSON(t)["id"].(string)
	call(200, "POST", "/decisions/"+other+"/draft", olive, pressDraft)
	call(200, "POST", "/decisions/"+other+"/approve", maria, nil)
	call(200, "POST", "/decisions/"+other+"/takedown", maria, map[string]any{"reason": "Objection upheld (Art 21)."})
	call(409, "POST", "/decisions/"+other+"/takedown", maria, map[string]any{"reason": "Again."})

	// An erased decision: conviction and draft null.
	e.Clock.Set(time.Date(2032, 3, 3, 9, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(t.Context(), 10); err != nil || n != 2 {
		t.Fatalf("erased %d (%v), want 2", n, err)
	}
	call(200, "GET", p, e.manager("maria"), nil)
	call(200, "GET", "/decisions", e.officer("olive"), nil)

	contract.RequireExercised(t, []int{2, 4}, map[string][]int{
		"GET /notice": {4}, "GET /notice.yaml": {4}, "GET /openapi.yaml": {4}, "GET /healthz": {4}, "GET /readyz": {4}, "GET /metrics": {4},
		"GET /public/prosecutions": {4}, "GET /public/prosecutions.atom": {4}, "GET /public/prosecutions.html": {4},
	})
	if t.Failed() {
		t.Log(contract.Summary())
	}
}
