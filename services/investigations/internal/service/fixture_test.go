package service_test

import (
	"encoding/json"
	"testing"
)

// The people, matter and items every fixture case holds. Values are fictional.
var (
	reporter = map[string]any{"role": "reporter", "name": "Rita Reporter", "address": "1 Mill Lane, Maidstone ME14 1AA",
		"town": "Maidstone", "phone": "01622 111111", "email": "rita@example.org", "date_of_birth": "1970-01-02"}
	subject = map[string]any{"role": "subject", "name": "Sam Subject", "address": "3 Mill Lane, Maidstone ME14 1AA",
		"town": "Maidstone", "phone": "07700 900003", "email": "sam@example.org", "proof_of_identity": "passport 123456789",
		"vehicle_registration": "AB12 CDE", "date_of_birth": "1985-05-06"}
	witness = map[string]any{"role": "witness", "name": "Wendy Witness", "address": "5 Mill Lane, Maidstone ME14 1AA", "phone": "01622 555555"}
	matter  = map[string]any{"summary": "Loud music every night", "locations": []any{"Mill Lane, Maidstone"},
		"dates": []any{"2026-02-20"}, "times": []any{"23:00-02:00"}}
)

// fixture is one opened case and the ids the service gave its people and items.
type fixture struct {
	id                               string
	reporterID, subjectID, witnessID string
	statementID, photoID, cctvID     string
	healthID, convictionsID          string
	view                             map[string]any
}

// openCase opens a case in area with the full fixture and returns its ids.
func (e *env) openCase(token, area, scope string, extra map[string]any) fixture {
	e.T.Helper()
	body := map[string]any{
		"area": area, "channel": "web", "people": []any{reporter, subject, witness}, "matter": matter,
		"evidence": []any{
			map[string]any{"kind": "witness_statement", "description": "Statement of Wendy Witness", "person_index": 2, "captured_at": "2026-02-21T10:00:00Z"},
			map[string]any{"kind": "photo", "description": "Photo of the speakers", "captured_at": "2026-02-22T11:00:00Z"},
			map[string]any{"kind": "cctv", "description": "CCTV from No. 5", "captured_at": "2026-02-25T22:00:00Z"},
		},
		"special_category_data": []any{
			map[string]any{"category": "health", "details": "Asthma; GP Dr Patel, Mill Surgery", "person_index": 0},
			map[string]any{"category": "previous_convictions", "details": "2019 noise offence", "person_index": 1},
		},
	}
	if scope != "" {
		body["scope"] = scope
	}
	for k, v := range extra {
		body[k] = v
	}
	v := e.Must(201, "POST", "/investigations", token, body)
	people, evidence, special := v["people"].([]any), v["evidence"].([]any), v["special"].([]any)
	id := func(list []any, i int) string { return list[i].(map[string]any)["id"].(string) }
	return fixture{id: v["id"].(string), reporterID: id(people, 0), subjectID: id(people, 1), witnessID: id(people, 2),
		statementID: id(evidence, 0), photoID: id(evidence, 1), cctvID: id(evidence, 2),
		healthID: id(special, 0), convictionsID: id(special, 1), view: v}
}

// pick returns the fixture person's id, role and only the named attributes.
func pick(person map[string]any, id string, keys ...string) map[string]any {
	out := map[string]any{"id": id, "role": person["role"]}
	for _, k := range keys {
		out[k] = person[k]
	}
	return out
}

// normal round-trips v through JSON so expectations compare with decoded messages.
func normal(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back any
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(back)
	return string(out)
}
