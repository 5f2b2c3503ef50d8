package service_test

import (
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/services/publication/internal/service"
)

// The contract is exactly what the server does: every route is exercised, with a success
// and a refusal, and every answer (status, content type, headers, body) validates against
// contracts/openapi/publication.yaml through the environment's contract (testkit.Contract,
// kin-openapi's ValidateResponse); an undocumented status, a missing or undocumented field
// fails. The decision passes through each of its shapes: received, drafted, sent back,
// published with its takedown plan, with a press release, taken down by a manager, by an
// appeal and by the sweep, never spent, not published, erased.
func TestEveryAnswerMatchesTheContract(t *testing.T) {
	e := newEnv(t)
	call := e.Expect
	olive, maria, mark := e.officer("olive"), e.manager("maria"), e.manager("mark")

	// Operational routes.
	call(200, "GET", "/notice", "", nil)
	call(200, "GET", "/notice.yaml", "", nil)
	etag := call(200, "GET", "/openapi.yaml", "", nil).Header.Get("ETag")
	call(304, "GET", "/openapi.yaml", "", nil, "If-None-Match", etag)
	call(200, "GET", "/healthz", "", nil)
	call(200, "GET", "/readyz", "", nil)
	call(200, "GET", "/metrics", "", nil)

	// Every protected route refuses a caller without a token, one with a bad token, a role of
	// another service and an id that is not a UUID, before anything else.
	const unknown = "/decisions/00000000-0000-4000-8000-000000000000"
	protected := []struct{ method, path string }{{"POST", "/decisions"}, {"GET", "/decisions"}, {"GET", unknown},
		{"POST", unknown + "/draft"}, {"POST", unknown + "/approve"}, {"POST", unknown + "/send-back"},
		{"POST", unknown + "/appeal"}, {"POST", unknown + "/takedown"}, {"POST", unknown + "/sentence"}}
	for _, r := range protected {
		call(401, r.method, r.path, "", nil)
		call(401, r.method, r.path, "not-a-token", nil)
		call(403, r.method, r.path, e.Token("nora", "complaints_officer"), nil)
		if strings.HasPrefix(r.path, unknown) {
			call(400, r.method, strings.Replace(r.path, unknown, "/decisions/42", 1), maria, nil)
		}
	}
	call(404, "GET", unknown, olive, nil)
	call(404, "POST", unknown+"/draft", olive, aDraft())
	call(404, "POST", unknown+"/approve", maria, nil)
	call(404, "POST", unknown+"/send-back", maria, map[string]any{"reason": "r"})
	call(404, "POST", unknown+"/appeal", olive, map[string]any{"decided_on": "2026-03-01", "court": "Crown Court"})
	call(404, "POST", unknown+"/takedown", maria, map[string]any{"reason": "r"})
	call(404, "POST", unknown+"/sentence", olive, map[string]any{"sentence": map[string]any{"type": "fine"}})
	call(415, "POST", "/decisions", olive, "team=licensing", "Content-Type", "application/x-www-form-urlencoded")
	call(413, "POST", unknown+"/takedown", maria, `{"reason":"`+strings.Repeat("x", int(service.MaxBodyBytes))+`"}`)

	// Decisions, with a refusal on each route.
	manual := map[string]any{"team": "licensing", "case_reference": "LIC-7", "conviction": aConviction()}
	call(400, "POST", "/decisions", olive, map[string]any{"team": "parking", "conviction": aConviction()})
	entered := call(201, "POST", "/decisions", olive, manual, "Idempotency-Key", "contract-1")
	id := entered.JSON(t)["id"].(string)
	if loc := entered.Header.Get("Location"); loc != "/decisions/"+id {
		t.Errorf("Location %q, want /decisions/%s", loc, id)
	}
	call(200, "POST", "/decisions", olive, manual, "Idempotency-Key", "contract-1")
	call(422, "POST", "/decisions", olive, map[string]any{"team": "planning_enforcement", "conviction": aConviction()}, "Idempotency-Key", "contract-1")
	p := "/decisions/" + id
	call(200, "GET", "/decisions?status=to_decide&limit=1", olive, nil)
	call(400, "GET", "/decisions?limit=0", olive, nil)
	call(200, "GET", p, olive, nil) // history: received and this read
	call(409, "POST", p+"/approve", maria, nil)
	call(400, "POST", p+"/draft", olive, map[string]any{"outcome": "publish_website"})
	call(200, "POST", p+"/draft", maria, aDraft())
	call(409, "POST", p+"/send-back", maria, map[string]any{"reason": "Rate publicity again."})
	call(200, "POST", p+"/send-back", mark, map[string]any{"reason": "Rate publicity again."})
	call(200, "POST", p+"/draft", olive, aDraft())
	call(403, "POST", p+"/approve", olive, nil)
	call(200, "POST", p+"/approve", maria, nil)
	for _, path := range []string{"/public/prosecutions", "/public/prosecutions.atom", "/public/prosecutions.html"} {
		tag := call(200, "GET", path, "", nil).Header.Get("ETag")
		call(304, "GET", path, "", nil, "If-None-Match", tag)
	}
	call(403, "POST", p+"/takedown", olive, map[string]any{"reason": "Objection upheld."})
	call(400, "POST", p+"/appeal", olive, map[string]any{"decided_on": "2026-01-01", "court": "Crown Court"})
	call(200, "POST", p+"/appeal", olive, map[string]any{"decided_on": "2026-03-02", "court": "Maidstone Crown Court"})
	call(200, "GET", p, maria, nil) // with the takedown, the appeal and the history
	call(409, "POST", p+"/approve", maria, nil)

	// Press release and a manager's takedown.
	pressDraft := aDraft()
	pressDraft["outcome"] = "publish_and_press"
	other := call(201, "POST", "/decisions", olive, manual).JSON(t)["id"].(string)
	call(200, "POST", "/decisions/"+other+"/draft", olive, pressDraft)
	call(200, "POST", "/decisions/"+other+"/approve", maria, nil)
	call(200, "POST", "/decisions/"+other+"/takedown", maria, map[string]any{"reason": "Objection upheld (Art 21)."})
	call(409, "POST", "/decisions/"+other+"/takedown", maria, map[string]any{"reason": "Again."})
	call(200, "GET", "/decisions/"+other, maria, nil)

	// A sentence never spent (no spent date, no computation); a decision not to publish; an
	// under-18 offender refused.
	neverSpent := aDraft()
	neverSpent["sentence"] = map[string]any{"type": "custody_never_spent"}
	kept := call(201, "POST", "/decisions", olive, manual).JSON(t)["id"].(string)
	call(200, "POST", "/decisions/"+kept+"/draft", olive, neverSpent)
	call(200, "POST", "/decisions/"+kept+"/approve", maria, nil)
	notPublished := aDraft()
	notPublished["outcome"] = "do_not_publish"
	notPublished["sentence"] = map[string]any{"type": "community_order", "ends_on": "2027-02-19"}
	child := aDraft()
	child["offender"] = map[string]any{"age_at_conviction": 16}
	declined := call(201, "POST", "/decisions", olive, manual).JSON(t)["id"].(string)
	call(409, "POST", "/decisions/"+declined+"/draft", olive, child)
	call(200, "POST", "/decisions/"+declined+"/draft", olive, notPublished)
	call(200, "POST", "/decisions/"+declined+"/approve", mark, nil)
	call(200, "GET", "/decisions?limit=500", olive, nil)

	// A sentence corrected in the court's words holds the entry off the register until an
	// officer amends the sentence for the rehabilitation rules; only a published entry's.
	call(400, "POST", "/decisions/"+kept+"/sentence", olive, map[string]any{"sentence": map[string]any{"type": "custody"}})
	call(409, "POST", "/decisions/"+declined+"/sentence", olive, map[string]any{"sentence": map[string]any{"type": "fine"}})
	ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-c", RecordIDs: []string{kept}, Field: "sentence",
		Value: "Imprisonment for life"})
	call(200, "GET", "/decisions/"+kept, maria, nil) // sentence_to_amend
	call(200, "POST", "/decisions/"+kept+"/sentence", olive, map[string]any{"sentence": map[string]any{"type": "custody_never_spent"}})

	// The sweep takes the never-spent entry down when its month on the register ends.
	e.Clock.Set(time.Date(2026, 4, 3, 9, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepTakedowns(t.Context(), 10); err != nil || n != 1 {
		t.Fatalf("took down %d (%v), want 1", n, err)
	}
	call(200, "GET", "/decisions/"+kept, e.manager("maria"), nil)
	call(200, "GET", "/public/prosecutions", "", nil)

	// An erased decision: conviction and draft null.
	e.Clock.Set(time.Date(2032, 4, 4, 9, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(t.Context(), 10); err != nil || n != 4 {
		t.Fatalf("erased %d (%v), want 4", n, err)
	}
	call(200, "GET", p, e.manager("maria"), nil)
	call(409, "POST", p+"/appeal", e.officer("olive"), map[string]any{"decided_on": "2026-03-02", "court": "Maidstone Crown Court"})
	call(200, "GET", "/decisions", e.officer("olive"), nil)

	e.Contract.RequireExercised(t, []int{2, 4}, map[string][]int{
		"GET /notice": {4}, "GET /notice.yaml": {4}, "GET /openapi.yaml": {4}, "GET /healthz": {4}, "GET /readyz": {4}, "GET /metrics": {4},
		"GET /public/prosecutions": {4}, "GET /public/prosecutions.atom": {4}, "GET /public/prosecutions.html": {4},
	})
	if t.Failed() {
		t.Log(e.Contract.Summary())
	}
}
