package service_test

import (
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
	"casework.dev/services/rights/internal/service"
)

// The contract is exactly what the server does: every route is exercised, with a success
// and a refusal, and every answer (status, content type, headers, body) validates against
// contracts/openapi/rights.yaml with kin-openapi's ValidateResponse (testkit.StartService
// wraps the service in it); an undocumented status, a missing or undocumented field fails.
func TestEveryAnswerMatchesTheContract(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := fakes(t, e)
	complaints.serve(t, e)
	investigations.serve(t, e)
	call := e.Expect
	id := func(r testkit.Response) string { return r.JSON(t)["id"].(string) }
	olly, dora := e.officer(), e.dpo()
	const unknown = "0195f0a0-0000-7000-8000-00000000abcd"

	// Operational routes.
	call(200, "GET", "/notice", "", nil)
	call(200, "GET", "/notice.yaml", "", nil)
	etag := call(200, "GET", "/openapi.yaml", "", nil).Header.Get("ETag")
	call(304, "GET", "/openapi.yaml", "", nil, "If-None-Match", etag)
	call(200, "GET", "/healthz", "", nil)
	call(200, "GET", "/readyz", "", nil)
	call(200, "GET", "/metrics", "", nil)

	// An access request: the clock stopped and restarted, the month extended, searched,
	// confirmed, compiled and completed, with a refusal on each route.
	call(401, "POST", "/requests", "", anAccessRequest("access"))
	call(415, "POST", "/requests", olly, `{"kind":"access"}`, "Content-Type", "text/plain")
	call(413, "POST", "/requests", olly, `{"details":"`+strings.Repeat("x", int(service.MaxBodyBytes))+`"}`)
	acc := id(call(201, "POST", "/requests", olly, anAccessRequest("access")))
	p := "/requests/" + acc
	call(200, "GET", "/requests?status=open&kind=access&limit=1", olly, nil)
	call(400, "GET", "/requests?limit=0", olly, nil)
	call(400, "GET", "/requests?after=garbage", olly, nil) // a cursor that is no reference
	call(200, "GET", p, olly, nil)
	call(404, "GET", "/requests/"+unknown, olly, nil)
	call(400, "GET", "/requests/not-a-uuid", olly, nil)
	call(409, "GET", p+"/response", olly, nil)
	call(409, "GET", p+"/response.html", olly, nil)
	call(409, "POST", p+"/clock/restart", olly, map[string]any{"received_at": "2026-03-02T09:30:00Z"})
	call(200, "POST", p+"/clock/stop", olly, map[string]any{"awaiting": "clarification"})
	call(409, "POST", p+"/clock/stop", olly, map[string]any{"awaiting": "clarification"})
	e.Clock.Advance(24 * time.Hour)
	olly, dora = e.officer(), e.dpo() // tokens of the new day
	call(200, "POST", p+"/clock/restart", olly, map[string]any{"received_at": "2026-03-03T09:00:00Z"})
	call(400, "POST", p+"/extend", dora, map[string]any{"months": 3, "reason": "r", "told_on": "2026-03-03", "told_how": "email"})
	call(200, "POST", p+"/extend", dora, map[string]any{"months": 1, "reason": "records in several services", "told_on": "2026-03-03", "told_how": "email"})
	call(202, "POST", p+"/search", olly, nil)
	e.waitFor(acc, "the search", phaseIs("confirming"))
	call(403, "POST", p+"/confirm", olly, map[string]any{"matches": []any{}})
	call(202, "POST", p+"/confirm", dora, map[string]any{"matches": []map[string]any{
		{"service": "complaints", "record_id": "c-1"}, {"service": "investigations", "record_id": "i-1"}}})
	e.waitFor(acc, "the export", phaseIs("ready"))
	call(200, "GET", p+"/response", olly, nil)
	call(200, "GET", p+"/response.html", olly, nil)
	call(409, "POST", p+"/lift", dora, map[string]any{"told_on": "2026-03-03", "told_how": "letter"})
	call(403, "POST", p+"/complete", olly, nil)
	call(200, "POST", p+"/complete", dora, nil)

	// A request refused as a whole; one whose identity is not checked cannot be searched.
	unchecked := anAccessRequest("objection")
	delete(unchecked, "identity_method")
	ref := id(call(201, "POST", "/requests", olly, unchecked))
	call(409, "POST", "/requests/"+ref+"/search", olly, nil)
	call(400, "POST", "/requests/"+ref+"/refuse", dora, map[string]any{"ground": "too_busy", "reasons": "The fourth identical request this month."})
	call(200, "POST", "/requests/"+ref+"/refuse", dora, map[string]any{"ground": "identity_not_confirmed", "reasons": "The fourth identical request this month."})

	// A rectification whose recipients are told (Article 19), and a restriction lifted.
	rect := id(call(201, "POST", "/requests", olly, anAccessRequest("rectification")))
	res := id(call(201, "POST", "/requests", olly, anAccessRequest("restriction")))
	for _, r := range []string{rect, res} {
		call(202, "POST", "/requests/"+r+"/search", olly, nil)
		e.waitFor(r, "the search", phaseIs("confirming"))
		call(202, "POST", "/requests/"+r+"/confirm", dora, map[string]any{"matches": []map[string]any{{"service": "complaints", "record_id": "c-1"}}})
	}
	notices := e.waitFor(rect, "the rectification", phaseIs("ready"))["article19_notices"].([]any)
	notice := notices[0].(map[string]any)["id"].(string)
	call(400, "POST", "/requests/"+rect+"/article19/"+unknown+"/acknowledge", olly, nil)
	call(200, "POST", "/requests/"+rect+"/article19/"+notice+"/acknowledge", olly, nil)
	e.waitFor(res, "the restriction", phaseIs("ready"))
	call(200, "POST", "/requests/"+res+"/lift", dora, map[string]any{"told_on": "2026-03-03", "told_how": "letter"})
	call(200, "GET", "/requests/"+res, dora, nil) // with its lift, search, action and history

	// Requests for information: FOI answered and reviewed, EIR extended.
	noWay := anFOI()
	noWay["requester"] = map[string]any{"name": "Fred Asker"}
	call(400, "POST", "/foi", olly, noWay)
	asked := anFOI()
	asked["received_at"] = "2026-03-02T11:00:00Z"
	foi := id(call(201, "POST", "/foi", olly, asked))
	f := "/foi/" + foi
	call(200, "GET", "/foi?status=open&limit=1", olly, nil)
	call(400, "GET", "/foi?limit=501", olly, nil)
	call(400, "GET", "/foi?after=RR-2026-000001", olly, nil)
	call(200, "GET", f, olly, nil)
	call(404, "GET", "/foi/"+unknown, olly, nil)
	call(400, "POST", f+"/regime", olly, map[string]any{"regime": "gdpr", "reason": "r"})
	call(409, "POST", f+"/regime", olly, map[string]any{"regime": "foi", "reason": "it is already"})
	call(200, "POST", f+"/regime", olly, map[string]any{"regime": "eir", "reason": "fly-tipping is the state of the land"})
	call(200, "POST", f+"/regime", olly, map[string]any{"regime": "foi", "reason": "the contract costs are not environmental information"})
	call(400, "POST", f+"/extend", olly, map[string]any{"reason": " "})
	call(409, "POST", f+"/clock/restart", olly, map[string]any{"received_at": "2026-03-03T09:00:00Z"})
	call(200, "POST", f+"/clock/stop", olly, nil)
	call(409, "POST", f+"/clock/stop", olly, nil)
	call(409, "POST", f+"/lapse", olly, nil) // clarification asked for a moment ago
	e.Clock.Advance(30 * time.Minute)
	call(200, "POST", f+"/clock/restart", olly, map[string]any{"received_at": "2026-03-03T10:15:00Z"})
	call(409, "POST", f+"/review", olly, map[string]any{"requested_at": "2026-03-03T09:00:00Z"})
	call(400, "POST", f+"/respond", olly, map[string]any{"parts": []any{}, "publish": true})
	call(200, "POST", f+"/respond", olly, map[string]any{"publish": true, "parts": []map[string]any{
		{"description": "number of fly-tipping reports in 2025", "outcome": "released"},
		{"description": "cost of the clearance contract", "outcome": "withheld", "exemption": "s43", "public_interest": map[string]any{
			"for_disclosure": "transparency in spending", "for_withholding": "the contract is being retendered",
			"favours_withholding": true, "conclusion": "withhold until the tender closes"}}}})
	call(200, "GET", "/public/foi-disclosure-log", "", nil)
	call(409, "POST", f+"/review/extend", olly, nil)
	e.Clock.Advance(10 * time.Minute)
	call(200, "POST", f+"/review", olly, map[string]any{"requested_at": "2026-03-03T10:35:00Z"})
	call(200, "POST", f+"/review/extend", olly, nil)
	call(403, "POST", f+"/review/decision", olly, map[string]any{"outcome": "upheld", "reasons": "r"})
	call(200, "POST", f+"/review/decision", dora, map[string]any{"outcome": "upheld", "reasons": "the tender is still open"})
	call(200, "GET", f, olly, nil) // with its parts, review and history
	eir := asked
	eir["regime"] = "eir"
	call(200, "POST", "/foi/"+id(call(201, "POST", "/foi", olly, eir))+"/extend", olly, map[string]any{"reason": "12 years of inspection records"})

	// A breach reported, its people told, closed and reviewed at the end of its retention.
	empty := aBreach()
	empty["categories_affected"] = []string{}
	call(400, "POST", "/breaches", olly, empty)
	br := id(call(201, "POST", "/breaches", olly, aBreach()))
	b := "/breaches/" + br
	call(200, "GET", "/breaches?status=open&limit=1", olly, nil)
	call(400, "GET", "/breaches?status=lost", olly, nil)
	call(400, "GET", "/breaches?after=garbage", olly, nil)
	call(200, "GET", b, olly, nil)
	call(404, "GET", "/breaches/"+unknown, olly, nil)
	call(403, "POST", b+"/assessment", olly, map[string]any{"reportable": true, "reason": "r", "high_risk": false, "tell_people": false})
	call(200, "POST", b+"/assessment", dora, map[string]any{"reportable": true, "reason": "Her home address reached the person she complained about.",
		"high_risk": true, "tell_people": true, "tell_reason": "She can take steps to protect herself."})
	call(403, "POST", b+"/report", olly, map[string]any{"consequences": "c", "measures": "m"})
	call(200, "POST", b+"/report", dora, map[string]any{"consequences": "Risk of harassment.", "measures": "Letter recovered.",
		"late_reason": "the DPO was away"})
	call(409, "POST", b+"/close", dora, nil)
	call(400, "POST", b+"/people-told", olly, map[string]any{"told_on": "2026-03-03", "method": "letter", "count": 0})
	call(200, "POST", b+"/people-told", olly, map[string]any{"told_on": "2026-03-03", "method": "letter", "count": 1})
	call(403, "POST", b+"/close", olly, nil)
	call(200, "POST", b+"/close", dora, nil)
	call(409, "POST", b+"/review", dora, map[string]any{"decision": "keep", "reason": "a claim is threatened", "keep_years": 2})
	unclear := "/foi/" + id(call(201, "POST", "/foi", olly, asked))
	call(200, "POST", unclear+"/clock/stop", olly, nil)
	e.Clock.Advance(93 * 24 * time.Hour)
	call(200, "POST", unclear+"/lapse", e.officer(), nil) // a token of today
	e.Clock.Set(time.Date(2037, 1, 1, 0, 30, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(t.Context(), 100); err != nil || n == 0 {
		t.Fatalf("retention sweep: %d %v", n, err)
	}
	call(200, "POST", b+"/review", e.dpo(), map[string]any{"decision": "erase", "reason": "no claim, no further use"})
	call(200, "GET", b, e.dpo(), nil) // erased
	call(200, "GET", "/requests/"+acc, e.officer(), nil)
	call(200, "GET", f, e.officer(), nil)
	call(200, "GET", "/breaches", e.officer(), nil)

	e.Contract.RequireExercised(t, []int{2, 4}, map[string][]int{
		"GET /notice": {4}, "GET /notice.yaml": {4}, "GET /openapi.yaml": {4}, "GET /healthz": {4}, "GET /readyz": {4}, "GET /metrics": {4},
		"GET /public/foi-disclosure-log": {4},
	})
	if t.Failed() {
		t.Log(e.Contract.Summary())
	}
}
