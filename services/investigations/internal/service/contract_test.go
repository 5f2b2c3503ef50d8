package service_test

import (
	"context"
	"testing"
	"time"
)

// The contract is exactly what the server does: every route is exercised, with a success
// and a refusal, and every answer (status, content type, headers, body) validates against
// contracts/openapi/investigations.yaml with kin-openapi's ValidateResponse; an
// undocumented status, a missing or undocumented field fails.
func TestEveryAnswerMatchesTheContract(t *testing.T) {
	e := newEnv(t)
	contract, call := e.Contract, e.Expect
	olive, mina := e.officer("olive"), e.manager("mina")

	call(200, "GET", "/notice", "", nil)
	call(200, "GET", "/notice.yaml", "", nil)
	etag := call(200, "GET", "/openapi.yaml", "", nil).Header.Get("ETag")
	call(304, "GET", "/openapi.yaml", "", nil, "If-None-Match", etag)
	call(200, "GET", "/healthz", "", nil)
	call(200, "GET", "/readyz", "", nil)
	call(200, "GET", "/metrics", "", nil)

	call(401, "POST", "/investigations", "", map[string]any{"area": "noise", "matter": matter})
	call(400, "POST", "/investigations", olive, map[string]any{"area": "noise"})
	open := map[string]any{"area": "noise", "channel": "web", "people": []any{reporter, subject, witness}, "matter": matter,
		"evidence":              []any{map[string]any{"kind": "cctv", "description": "CCTV from No. 5", "person_index": 2, "captured_at": "2026-02-25T22:00:00Z"}},
		"special_category_data": []any{map[string]any{"category": "health", "details": "Asthma", "person_index": 0}},
		"emails":                []any{map[string]any{"from": "rita@example.org", "subject": "Noise", "body": "Again", "received_at": "2026-02-26T09:00:00Z"}}}
	v := call(201, "POST", "/investigations", olive, open, "Idempotency-Key", "contract-1").JSON(t)
	call(200, "POST", "/investigations", olive, open, "Idempotency-Key", "contract-1")
	p := "/investigations/" + v["id"].(string)
	item := v["evidence"].([]any)[0].(map[string]any)["id"].(string)
	subjectID := v["people"].([]any)[1].(map[string]any)["id"].(string)
	call(200, "GET", "/investigations?area=noise&limit=5", olive, nil)
	call(400, "GET", "/investigations?area=parking", olive, nil)
	call(200, "GET", p, olive, nil)
	call(404, "GET", "/investigations/00000000-0000-4000-8000-000000000000", olive, nil)
	call(400, "POST", p+"/people", olive, map[string]any{"role": "victim", "name": "Vic", "date_of_birth": "2099-01-01"})
	call(200, "POST", p+"/people", olive, map[string]any{"role": "victim", "name": "Vic"})
	call(400, "POST", p+"/evidence", olive, map[string]any{"kind": "photo", "description": "p", "captured_at": "2099-01-01T00:00:00Z"})
	call(200, "POST", p+"/evidence", olive, map[string]any{"kind": "photo", "description": "Photo", "captured_at": "2026-02-27T10:00:00Z"})
	call(404, "POST", p+"/evidence/no-such-item/used-as-evidence", olive, nil)
	call(200, "POST", p+"/evidence/"+item+"/used-as-evidence", olive, nil)
	call(400, "POST", p+"/special-category-data", olive, map[string]any{"category": "health", "details": " "})
	call(200, "POST", p+"/special-category-data", olive, map[string]any{"category": "previous_convictions", "details": "2019", "person_id": subjectID})
	call(400, "POST", p+"/emails", olive, map[string]any{"from": "a@example.org", "received_at": "1989-01-01T00:00:00Z"})
	call(200, "POST", p+"/emails", olive, map[string]any{"from": "a@example.org", "subject": "s", "body": "b", "received_at": "2026-03-01T10:00:00Z"})
	call(403, "POST", p+"/referrals", olive, map[string]any{"recipient": "kent-police", "purpose": "prevention_and_detection_of_crime"})
	// An empty list of categories is refused, not read as everything the notice allows.
	call(400, "POST", p+"/referrals", olive, map[string]any{"recipient": "kent-police", "purpose": "prevention_and_detection_of_crime", "categories": []any{}})
	call(400, "POST", p+"/conditions", olive, map[string]any{"recipient": "nobody", "condition": "crime_prevention", "reason": "r"})
	call(400, "POST", p+"/conditions", olive, map[string]any{"recipient": "kent-police", "condition": "consent", "reason": "r"}) // the police receive nothing on consent
	// A consent is a person's own: it names who gave it, a person on the case; a police request holds for the case.
	call(400, "POST", p+"/conditions", olive, map[string]any{"recipient": "voluntary-organisations", "condition": "consent", "reason": "r"})
	call(400, "POST", p+"/conditions", olive, map[string]any{"recipient": "voluntary-organisations", "condition": "consent", "reason": "r", "person_id": "nobody"})
	call(400, "POST", p+"/conditions", olive, map[string]any{"recipient": "kent-police", "condition": "crime_prevention", "reason": "r", "person_id": subjectID})
	call(200, "POST", p+"/conditions", olive, map[string]any{"recipient": "voluntary-organisations", "condition": "consent", "reason": "r", "person_id": subjectID})
	// A consent is withdrawn once, by the person who gave it; nothing else is a consent.
	withdraw := p + "/conditions/voluntary-organisations?condition=consent&person_id=" + subjectID
	call(400, "DELETE", p+"/conditions/voluntary-organisations?condition=consent", olive, nil)
	call(404, "DELETE", p+"/conditions/voluntary-organisations?condition=explicit_consent&person_id="+subjectID, olive, nil)
	call(200, "DELETE", withdraw, olive, nil)
	call(409, "DELETE", withdraw, olive, nil)
	call(409, "DELETE", p+"/conditions/kent-police?condition=crime_prevention", olive, nil)
	call(200, "POST", p+"/conditions", olive, map[string]any{"recipient": "kent-police", "condition": "crime_prevention", "reason": "request 42"})
	call(201, "POST", p+"/referrals", olive, map[string]any{"recipient": "kent-police", "purpose": "prevention_and_detection_of_crime"})
	call(200, "POST", p+"/assignments", olive, map[string]any{"officer": "oscar"})
	call(409, "POST", p+"/assignments", olive, map[string]any{"officer": "oscar"})
	call(409, "POST", p+"/investigate", olive, nil)
	call(200, "POST", p+"/triage", olive, nil)
	call(409, "POST", p+"/triage", olive, nil)
	call(409, "POST", p+"/prosecute", olive, nil)
	call(200, "POST", p+"/investigate", olive, nil)
	call(400, "POST", p+"/actions", olive, map[string]any{"kind": "stern_look"})
	call(200, "POST", p+"/actions", olive, map[string]any{"kind": "warning", "notes": "verbal warning"})
	// A community protection warning states by when the conduct must change; a notice waits until that has passed.
	call(400, "POST", p+"/actions", olive, map[string]any{"kind": "community_protection_warning", "person_id": subjectID})
	call(200, "POST", p+"/actions", olive, map[string]any{"kind": "community_protection_warning", "person_id": subjectID, "comply_by": "2026-03-16"})
	call(409, "POST", p+"/actions", olive, map[string]any{"kind": "community_protection_notice", "person_id": subjectID})
	call(200, "POST", p+"/prosecute", olive, nil)
	call(400, "POST", p+"/outcome", olive, map[string]any{"outcome": "conviction", "offence": "o", "court": "c", "date": "2099-01-01",
		"sentence": "s", "sentence_length": "none"})
	call(200, "POST", p+"/outcome", olive, map[string]any{"outcome": "conviction", "offence": "Noise", "court": "Maidstone Magistrates' Court",
		"date": "2026-03-02", "sentence": "Fine", "sentence_length": "none", "person_id": subjectID})
	call(403, "PUT", p+"/legal-hold", olive, map[string]any{"reason": "claim"})
	call(409, "DELETE", p+"/legal-hold", mina, nil)
	call(200, "PUT", p+"/legal-hold", mina, map[string]any{"reason": "civil claim pending"})
	call(200, "DELETE", p+"/legal-hold", mina, nil)
	call(200, "POST", p+"/close", olive, map[string]any{"reason": "fined"})
	call(409, "POST", p+"/close", olive, map[string]any{"reason": "again"})

	// An anti-social behaviour case review: the third report about one place.
	asb := map[string]any{"area": "anti_social_behaviour", "matter": map[string]any{"summary": "Shouting", "locations": []any{"Brenchley Gardens"}}}
	call(201, "POST", "/investigations", olive, asb)
	call(201, "POST", "/investigations", olive, asb)
	if call(201, "POST", "/investigations", olive, asb).JSON(t)["asb_review"] == nil {
		t.Fatal("no case review on the third report")
	}

	// An erased case: the retention sweep empties the people, matter and free text.
	n := call(201, "POST", "/investigations", olive, map[string]any{"area": "drainage", "people": []any{reporter},
		"matter": map[string]any{"summary": "Blocked drain", "locations": []any{"Mill Lane"}}}).JSON(t)
	call(200, "POST", "/investigations/"+n["id"].(string)+"/outcome", olive, map[string]any{"outcome": "no_further_action"})
	call(200, "POST", "/investigations/"+n["id"].(string)+"/close", olive, map[string]any{"reason": "cleared"})
	e.Clock.Set(time.Date(2045, 1, 1, 9, 0, 0, 0, time.UTC))
	if _, err := e.svc.App.SweepRetention(context.Background(), 100); err != nil {
		t.Fatal(err)
	}
	olive = e.officer("olive")
	if call(200, "GET", "/investigations/"+n["id"].(string), olive, nil).JSON(t)["erased_at"] == nil {
		t.Fatal("the drainage case was not erased")
	}
	call(200, "GET", p, olive, nil)
	call(200, "GET", "/investigations", olive, nil)

	contract.RequireExercised(t, []int{2, 4}, map[string][]int{
		"GET /notice": {4}, "GET /notice.yaml": {4}, "GET /openapi.yaml": {4}, "GET /healthz": {4}, "GET /readyz": {4}, "GET /metrics": {4},
	})
	if t.Failed() {
		t.Log(contract.Summary())
	}
}
