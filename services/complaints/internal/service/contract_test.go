package service_test

import (
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// The contract is exactly what the server does: every route is exercised, with a success
// and a refusal, and every answer (status, content type, headers, body) validates against
// contracts/openapi/complaints.yaml with kin-openapi's ValidateResponse; an undocumented
// status, a missing or undocumented field fails.
func TestEveryAnswerMatchesTheContract(t *testing.T) {
	e := newEnv(t)
	contract, call := e.Contract, e.Expect
	id := func(r testkit.Response) string { return r.JSON(t)["id"].(string) }
	alice, bob, carol, lucy, mina := e.officer("alice"), e.officer("bob"), e.officer("carol"), e.lgo("lucy"), e.manager("mina")

	// Public routes.
	call(200, "GET", "/notice", "", nil)
	call(200, "GET", "/notice.yaml", "", nil)
	etag := call(200, "GET", "/openapi.yaml", "", nil).Header.Get("ETag")
	call(304, "GET", "/openapi.yaml", "", nil, "If-None-Match", etag)
	call(200, "GET", "/healthz", "", nil)
	call(200, "GET", "/readyz", "", nil)
	call(200, "GET", "/metrics", "", nil)

	// Stage 1 and 2, with a refusal on each route.
	call(401, "POST", "/complaints", "", aComplaint())
	bad := aComplaint()
	bad["complainant"] = map[string]any{"name": "Ada Lovelace", "email": " "} // no way to reply
	call(400, "POST", "/complaints", alice, bad)
	body := aComplaint()
	body["consent_to"] = []string{"ward-councillor"}
	c := id(call(201, "POST", "/complaints", alice, body, "Idempotency-Key", "contract-1"))
	call(200, "POST", "/complaints", alice, body, "Idempotency-Key", "contract-1")
	p := "/complaints/" + c
	call(200, "GET", "/complaints?status=stage1_received&service=waste&limit=1", alice, nil)
	call(400, "GET", "/complaints?limit=0", alice, nil)
	call(200, "GET", p, alice, nil)
	// HEAD wherever GET is allowed (RFC 9110): GET's status and headers, no body.
	if r := e.Call("HEAD", p, alice, nil); r.Status != 200 || len(r.Body) != 0 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Errorf("HEAD %s: %d %q %q, want 200 with GET's content type and no body", p, r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	if r := e.Call("HEAD", p, "", nil); r.Status != 401 {
		t.Errorf("HEAD %s without a token: %d, want 401", p, r.Status)
	}
	call(404, "GET", "/complaints/00000000-0000-4000-8000-000000000000", alice, nil)
	call(409, "POST", p+"/respond", alice, map[string]any{"outcome": "upheld", "summary": "s"})
	call(200, "POST", p+"/acknowledge", alice, nil)
	call(409, "POST", p+"/acknowledge", alice, nil)
	call(400, "POST", p+"/extend", alice, map[string]any{"working_days": 0, "reason": "r"})
	call(200, "POST", p+"/extend", alice, map[string]any{"working_days": 5, "reason": "awaiting the crew's report"})
	call(400, "POST", p+"/consents", alice, map[string]any{"recipient": "nobody-at-all"})
	call(400, "POST", p+"/consents", alice, map[string]any{"recipient": "lgo"}) // shared with on the complainant's request, never consent
	call(200, "POST", p+"/consents", alice, map[string]any{"recipient": "kent-county-council"})
	call(200, "DELETE", p+"/consents/kent-county-council", alice, nil)
	call(404, "DELETE", p+"/consents/police", alice, nil)
	call(201, "POST", p+"/disclosures", alice, map[string]any{"recipient": "ward-councillor", "purpose": "complaint_handling"})
	call(403, "POST", p+"/disclosures", alice, map[string]any{"recipient": "kent-county-council", "purpose": "complaint_handling"})
	call(200, "GET", p+"/disclosures", mina, nil)
	call(403, "GET", p+"/disclosures", alice, nil)
	call(200, "GET", "/disclosures?email=ada@example.org", mina, nil)
	call(400, "GET", "/disclosures", mina, nil)
	call(200, "POST", p+"/respond", alice, map[string]any{"outcome": "partly_upheld", "summary": "Crews rescheduled.", "remedies": []string{"apology"}})
	call(409, "POST", p+"/escalate", alice, map[string]any{"further_details": "Still missed.", "handler": "alice"})
	call(200, "POST", p+"/escalate", alice, map[string]any{"further_details": "Still missed.", "handler": "bob"})
	call(200, "POST", p+"/acknowledge", bob, nil)
	call(200, "POST", p+"/respond", bob, map[string]any{"outcome": "upheld", "summary": "Fault found."})

	// Stage 3.
	call(400, "POST", p+"/lgo/referral", carol, map[string]any{"lgo_reference": "25 012 345", "first_knew_on": "2099-01-01", "process_completed": true})
	call(200, "POST", p+"/lgo/referral", carol, map[string]any{"lgo_reference": "25 012 345", "first_knew_on": "2024-01-01", "process_completed": false})
	call(409, "POST", p+"/lgo/referral", carol, map[string]any{"lgo_reference": "25 012 345", "first_knew_on": "2026-02-01", "process_completed": true})
	call(200, "POST", p+"/lgo/necessity", lucy, map[string]any{"reason": "The Ombudsman asked for the health details."})
	call(409, "POST", p+"/lgo/necessity", lucy, map[string]any{"reason": "Again."})
	call(400, "POST", p+"/lgo/enquiries", lucy, map[string]any{"questions": "Send the file.", "response_due_on": "2026-03-01"})
	call(200, "POST", p+"/lgo/enquiries", lucy, map[string]any{"questions": "Send the file.", "response_due_on": "2026-03-20"})
	call(404, "POST", p+"/lgo/enquiries/9/response", lucy, map[string]any{})
	call(201, "POST", p+"/lgo/enquiries/1/response", lucy, map[string]any{"documents": []string{"Stage 2 letter"}})
	call(400, "POST", p+"/lgo/decision", lucy, map[string]any{"outcome": "not_upheld", "decided_on": "2099-01-01", "summary": "s"})
	call(200, "POST", p+"/lgo/decision", lucy, map[string]any{"outcome": "upheld_fault_injustice", "decided_on": "2026-03-02", "summary": "Fault.",
		"remedies": []any{map[string]any{"description": "Apologise.", "due_on": "2026-03-30"}}})
	call(404, "POST", p+"/lgo/remedies/2/compliance", lucy, map[string]any{})
	call(200, "POST", p+"/lgo/remedies/1/compliance", lucy, map[string]any{"note": "Letter sent."})
	call(200, "GET", p, lucy, nil) // with every part of stage 3 filled in

	// Legal hold, closure, statistics.
	call(403, "PUT", p+"/legal-hold", alice, map[string]any{"reason": "claim"})
	// The route's role is checked before the body: not 400 for a request they may not make.
	if r := call(403, "PUT", p+"/legal-hold", lucy, map[string]any{}); r.JSON(t)["required_roles"] == nil {
		t.Errorf("an LGO's empty legal hold: %s, want the roles it needs", r.Body)
	}
	call(409, "DELETE", p+"/legal-hold", mina, nil)
	call(200, "PUT", p+"/legal-hold", mina, map[string]any{"reason": "civil claim pending"})
	call(200, "DELETE", p+"/legal-hold", mina, nil)
	call(200, "POST", p+"/close", lucy, map[string]any{})
	call(409, "POST", p+"/close", lucy, map[string]any{})
	call(200, "GET", "/statistics", alice, nil)
	call(400, "GET", "/statistics?from=2026-13-01", alice, nil)

	// An erased complaint: complainant null, free text gone.
	w := id(call(201, "POST", "/complaints", alice, aComplaint()))
	call(200, "POST", "/complaints/"+w+"/close", alice, map[string]any{"reason": "withdrawn"})
	e.Clock.Set(time.Date(2032, 3, 3, 9, 0, 0, 0, time.UTC))
	if n := e.sweepRetention(t); n != 1 { // the stage 3 case is kept 10 years
		t.Fatalf("erased %d, want 1", n)
	}
	if got := call(200, "GET", "/complaints/"+w, e.officer("alice"), nil).JSON(t)["complainant"]; got != nil {
		t.Fatalf("erased complainant %v", got)
	}
	call(200, "GET", "/complaints", e.officer("alice"), nil)

	contract.RequireExercised(t, []int{2, 4}, map[string][]int{
		"GET /notice": {4}, "GET /notice.yaml": {4}, "GET /openapi.yaml": {4}, "GET /healthz": {4}, "GET /readyz": {4}, "GET /metrics": {4},
	})
	if t.Failed() {
		t.Log(contract.Summary())
	}
}
