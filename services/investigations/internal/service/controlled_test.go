package service_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/contracts/events"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/testkit"
)

// Personal-looking text in every free-text input of a case, from report to closure,
// appears nowhere on investigations.events.> or status.investigations.>; every string
// they carry is an id or a value of the list its field declares.
func TestEventsCarryOnlyIdsAndControlledValues(t *testing.T) {
	e := newEnv(t)
	domainEvents := e.Collect("INVESTIGATIONS_EVENTS", "investigations.events.>")
	statusEvents := e.Collect("INVESTIGATIONS_STATUS", "status.>")
	olive, mina := e.officer("olive"), e.manager("mina")
	const text = "Jane Doe of 12 Acacia Avenue, 07700 900777, jane.doe@example.org"
	person := func(role string) map[string]any {
		return map[string]any{"role": role, "name": "Jane Doe", "address": "12 Acacia Avenue", "town": "Acaciaton", "phone": "07700 900777",
			"email": "jane.doe@example.org", "proof_of_identity": "Jane Doe passport", "vehicle_registration": "JD12 ACA", "date_of_birth": "1980-01-02"}
	}
	changes := 0
	do := func(status int, method, path, token string, body any) map[string]any {
		t.Helper()
		changes++
		return e.Must(status, method, path, token, body)
	}
	v := do(201, "POST", "/investigations", olive, map[string]any{"area": "noise", "channel": "web",
		"people":                []any{person("reporter"), person("subject")},
		"matter":                map[string]any{"summary": text, "locations": []any{"12 Acacia Avenue"}, "dates": []any{"2026-02-20"}, "times": []any{"Jane Doe's party"}},
		"evidence":              []any{map[string]any{"kind": "photo", "description": text, "storage_ref": "Jane Doe/photo.jpg", "captured_at": "2026-02-21T10:00:00Z"}},
		"special_category_data": []any{map[string]any{"category": "health", "details": text, "person_index": 0}},
		"emails":                []any{map[string]any{"from": "jane.doe@example.org", "subject": text, "body": text, "received_at": "2026-02-22T10:00:00Z"}}})
	p := "/investigations/" + v["id"].(string)
	subjectID := v["people"].([]any)[1].(map[string]any)["id"].(string)
	do(200, "POST", p+"/people", olive, person("witness"))
	item := do(200, "POST", p+"/evidence", olive, map[string]any{"kind": "cctv", "description": text, "captured_at": "2026-02-23T22:00:00Z"})["evidence"].([]any)[1].(map[string]any)["id"].(string)
	do(200, "POST", p+"/evidence/"+item+"/used-as-evidence", olive, nil)
	do(200, "POST", p+"/special-category-data", olive, map[string]any{"category": "previous_convictions", "details": text, "person_id": subjectID})
	do(200, "POST", p+"/emails", olive, map[string]any{"from": "jane.doe@example.org", "subject": text, "body": text, "received_at": "2026-02-24T10:00:00Z"})
	do(200, "POST", p+"/conditions", olive, map[string]any{"recipient": "kent-police", "condition": "crime_prevention", "reason": text})
	do(200, "POST", p+"/conditions", olive, map[string]any{"recipient": "voluntary-organisations", "condition": "consent", "person_id": subjectID, "reason": text})
	do(200, "DELETE", p+"/conditions/voluntary-organisations?condition=consent&person_id="+subjectID, olive, nil)
	do(201, "POST", p+"/referrals", olive, map[string]any{"recipient": "kent-police", "purpose": "prevention_and_detection_of_crime"})
	do(200, "POST", p+"/assignments", olive, map[string]any{"officer": "oscar"})
	do(200, "POST", p+"/triage", olive, nil)
	do(200, "POST", p+"/investigate", olive, nil)
	do(200, "POST", p+"/actions", olive, map[string]any{"kind": "community_protection_warning", "notes": text, "person_id": subjectID, "comply_by": "2026-03-16"})
	do(200, "POST", p+"/prosecute", olive, nil)
	do(200, "POST", p+"/outcome", olive, map[string]any{"outcome": "conviction", "offence": text, "court": text, "date": "2026-03-02",
		"sentence": text, "sentence_length": "none", "person_id": subjectID})
	do(200, "PUT", p+"/legal-hold", mina, map[string]any{"reason": text})
	do(200, "DELETE", p+"/legal-hold", mina, nil)
	do(200, "POST", p+"/close", olive, map[string]any{"reason": text})

	check := controlledValues(t, e)
	for _, m := range domainEvents.WaitFor(t, changes) {
		check(m, &events.InvestigationEvent{})
	}
	for _, m := range statusEvents.WaitFor(t, changes) {
		check(m, &events.InvestigationStatus{})
	}
	if got := testkit.Subjects(domainEvents.All()); !strings.Contains(got, "investigations.events.outcome.recorded") {
		t.Fatalf("domain events %s", got)
	}
}

// controlledValues returns a check that a message decodes strictly into its payload type,
// holds none of the personal text, and that each string belongs to its field's list.
func controlledValues(t *testing.T, e *env) func(m jetstream.Msg, payload any) {
	n, _, err := serviceNotice()
	if err != nil {
		t.Fatal(err)
	}
	statuses := []string{"received", "triaged", "investigating", "action_taken", "prosecution", "outcome", "closed"}
	outcomes := []string{"conviction", "acquittal", "no_further_action", "warning", "community_protection_warning", "community_protection_notice",
		"abatement_notice", "notice_served", "fixed_penalty", "licence_action", "works_in_default", "seizure", "injunction"}
	valid := map[string]func(string) bool{
		events.VocabMessageID:     events.UUIDPattern.MatchString,
		events.VocabCaseID:        events.UUIDPattern.MatchString,
		events.VocabCaseReference: events.ReferencePattern.MatchString,
		events.VocabEventType:     events.EventTypePattern.MatchString,
		events.VocabStatus:        func(v string) bool { return slices.Contains(statuses, v) },
		events.VocabOutcome:       func(v string) bool { return slices.Contains(outcomes, v) },
		events.VocabRecipient:     func(v string) bool { _, ok := n.Recipient(v); return ok },
		events.VocabCaseType: func(v string) bool {
			return slices.ContainsFunc(n.CaseTypes, func(l notice.Label) bool { return l.ID == v })
		},
	}
	personal := [][]byte{[]byte("jane"), []byte("acacia"), []byte("07700"), []byte("jd12")}
	return func(m jetstream.Msg, payload any) {
		t.Helper()
		for _, f := range personal {
			if bytes.Contains(bytes.ToLower(m.Data()), f) {
				t.Errorf("%s carries %q: %s", m.Subject(), f, m.Data())
			}
		}
		for _, problem := range events.Check(m.Data(), payload, valid) {
			t.Errorf("%s: %v: %s", m.Subject(), problem, m.Data())
		}
	}
}
