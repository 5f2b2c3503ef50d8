package service_test

import (
	"encoding/json"
	"strings"
	"testing"

	"casework.dev/pkg/testkit"
	"casework.dev/services/rights/internal/service"
)

// Issue 8's kinds over every writing route: malformed JSON, an unknown field, a duplicate
// key, an oversized body, text PostgreSQL cannot store (U+0000, a lone surrogate) named by
// its field, impossible and out-of-bounds dates, unknown ids and a role without the right,
// each answered with its exact problem and nothing changed in any table.
func TestWritingRoutesRefuseBadInputAndChangeNothing(t *testing.T) {
	e := newEnv(t)
	olly, dora := e.officer(), e.dpo()
	req := "/requests/" + e.Must(201, "POST", "/requests", olly, anAccessRequest("access"))["id"].(string)
	br := "/breaches/" + e.Must(201, "POST", "/breaches", olly, aBreach())["id"].(string)
	e.Must(200, "POST", br+"/assessment", dora, map[string]any{"reportable": true, "reason": "Her address reached the neighbour.",
		"high_risk": true, "tell_people": true, "tell_reason": "She can protect herself."})
	asked := anFOI()
	asked["received_at"] = "2026-03-02T09:00:00Z"
	foi := "/foi/" + e.Must(201, "POST", "/foi", olly, asked)["id"].(string)
	const (
		unknown   = "0195f0a0-0000-7000-8000-00000000abcd"
		ghostReq  = "/requests/" + unknown
		ghostBr   = "/breaches/" + unknown
		ghostFOI  = "/foi/" + unknown
		validated = "validation"
	)
	request := func(change func(b map[string]any)) map[string]any {
		b := anAccessRequest("access")
		change(b)
		return b
	}
	breach := func(field string, value any) map[string]any {
		b := aBreach()
		b[field] = value
		return b
	}
	foiWith := func(field string, value any) map[string]any {
		b := anFOI()
		b["received_at"] = "2026-03-02T09:00:00Z"
		b[field] = value
		return b
	}
	extend := map[string]any{"months": 1, "reason": "records in several services", "told_on": "2026-03-02", "told_how": "email"}
	parts := func(description string) map[string]any {
		return map[string]any{"publish": true, "parts": []map[string]any{{"description": description, "outcome": "released"}}}
	}
	huge := `{"reason":"` + strings.Repeat("x", int(service.MaxBodyBytes)) + `"}` // past the service's limit, the production one
	// loneSurrogate is body as JSON with the text TEXT replaced by an unpaired surrogate escape.
	loneSurrogate := func(body map[string]any) string {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Replace(string(raw), "TEXT", `\ud800`, 1)
	}

	e.RefusesBadInput(t, olly, []testkit.BadInput{
		// The body's syntax and size, on each family of routes.
		{Name: "malformed JSON", Method: "POST", Path: "/requests", Body: `{"kind":`, Status: 400, Problem: "malformed-json"},
		{Name: "malformed JSON in a breach", Method: "POST", Path: "/breaches", Body: `{"nature":"x"`, Status: 400, Problem: "malformed-json"},
		{Name: "trailing data", Method: "POST", Path: req + "/clock/stop", Body: `{"awaiting":"identity"} {}`, Status: 400, Problem: "trailing-data"},
		{Name: "unknown field", Method: "POST", Path: "/requests", Body: request(func(b map[string]any) { b["colour"] = "blue" }),
			Status: 400, Problem: validated, Pointers: []string{"/colour"}},
		{Name: "unknown field in the subject", Method: "POST", Path: "/requests", Body: request(func(b map[string]any) {
			b["subject"].(map[string]any)["nickname"] = "Annie"
		}), Status: 400, Problem: validated, Pointers: []string{"/subject/nickname"}},
		{Name: "unknown field in a breach", Method: "POST", Path: "/breaches", Body: breach("severity", "high"),
			Status: 400, Problem: validated, Pointers: []string{"/severity"}},
		{Name: "unknown field in an FOI request", Method: "POST", Path: "/foi", Body: foiWith("urgent", true),
			Status: 400, Problem: validated, Pointers: []string{"/urgent"}},
		{Name: "unknown field in a restart", Method: "POST", Path: req + "/clock/restart", Body: map[string]any{"received_at": "2026-03-02T09:30:00Z", "by": "x"},
			Status: 400, Problem: validated, Pointers: []string{"/by"}},
		{Name: "duplicate key", Method: "POST", Path: req + "/clock/stop", Body: `{"awaiting":"identity","awaiting":"authority"}`, Status: 400, Problem: "duplicate-key"},
		{Name: "duplicate key in an FOI response", Method: "POST", Path: foi + "/respond", Body: `{"publish":true,"publish":false,"parts":[]}`,
			Status: 400, Problem: "duplicate-key"},
		{Name: "oversized body", Method: "POST", Path: foi + "/extend", Body: huge, Status: 413, Problem: "body-too-large",
			Check: func(t *testing.T, _ testkit.Response, p map[string]any) {
				if p["limit_bytes"] != float64(service.MaxBodyBytes) {
					t.Fatalf("limit_bytes %v, want %d", p["limit_bytes"], service.MaxBodyBytes)
				}
			}},
		{Name: "oversized body on a route without one", Method: "POST", Path: req + "/search", Body: huge, Status: 413, Problem: "body-too-large"},
		{Name: "not JSON", Method: "POST", Path: br + "/people-told", Body: `told_on=2026-03-02`, Headers: []string{"Content-Type", "text/plain"},
			Status: 415, Problem: "unsupported-media-type"},

		// Text that cannot be kept as sent, named by its field.
		{Name: "U+0000 in the requester's name", Method: "POST", Path: "/requests", Body: request(func(b map[string]any) {
			b["requester"].(map[string]any)["name"] = "Ann\u0000Applicant"
		}), Status: 400, Problem: validated, Pointers: []string{"/requester/name"}},
		{Name: "U+0000 in a subject's reference", Method: "POST", Path: "/requests", Body: request(func(b map[string]any) {
			b["subject"].(map[string]any)["references"] = []string{"CMP-2026-000007", "CMP\u0000"}
		}), Status: 400, Problem: validated, Pointers: []string{"/subject/references/1"}},
		{Name: "a lone surrogate in the details", Method: "POST", Path: "/requests", Body: loneSurrogate(request(func(b map[string]any) { b["details"] = "TEXT" })),
			Status: 400, Problem: validated, Pointers: []string{"/details"}},
		{Name: "U+0000 in an extension's reason", Method: "POST", Path: req + "/extend", Body: map[string]any{"months": 1, "reason": "busy\u0000",
			"told_on": "2026-03-02", "told_how": "email"}, Status: 400, Problem: validated, Pointers: []string{"/reason"}},
		{Name: "a lone surrogate in the identity method", Method: "POST", Path: req + "/clock/restart",
			Body:   loneSurrogate(map[string]any{"received_at": "2026-03-02T09:30:00Z", "identity_method": "TEXT"}),
			Status: 400, Problem: validated, Pointers: []string{"/identity_method"}},
		{Name: "U+0000 in a breach's nature", Method: "POST", Path: "/breaches", Body: breach("nature", "lost\u0000"),
			Status: 400, Problem: validated, Pointers: []string{"/nature"}},
		{Name: "a lone surrogate in an affected contact", Method: "POST", Path: "/breaches",
			Body:   loneSurrogate(breach("affected_contacts", []map[string]any{{"name": "TEXT"}})),
			Status: 400, Problem: validated, Pointers: []string{"/affected_contacts/0/name"}},
		{Name: "U+0000 in the people told", Method: "POST", Path: br + "/people-told", Body: `{"told_on":"2026-03-02","method":"letter\u0000","count":1}`,
			Status: 400, Problem: validated, Pointers: []string{"/method"}},
		{Name: "U+0000 in an FOI summary", Method: "POST", Path: "/foi", Body: foiWith("summary", "fly\u0000tipping"),
			Status: 400, Problem: validated, Pointers: []string{"/summary"}},
		{Name: "a lone surrogate in a regime's reason", Method: "POST", Path: foi + "/regime", Body: loneSurrogate(map[string]any{"regime": "eir", "reason": "TEXT"}),
			Status: 400, Problem: validated, Pointers: []string{"/reason"}},
		{Name: "U+0000 in a part", Method: "POST", Path: foi + "/respond", Body: parts("reports\u0000"),
			Status: 400, Problem: validated, Pointers: []string{"/parts/0/description"}},
		{Name: "U+0000 in an EIR extension", Method: "POST", Path: foi + "/extend", Body: map[string]any{"reason": "many\u0000"},
			Status: 400, Problem: validated, Pointers: []string{"/reason"}},

		// Dates that cannot be true.
		{Name: "an impossible receipt", Method: "POST", Path: "/requests", Body: request(func(b map[string]any) { b["received_at"] = "2026-02-30T10:00:00Z" }),
			Status: 400, Problem: validated, Pointers: []string{"/received_at"}},
		{Name: "an impossible date of birth", Method: "POST", Path: "/requests", Body: request(func(b map[string]any) {
			b["subject"].(map[string]any)["date_of_birth"] = "1990-02-30"
		}), Status: 400, Problem: validated, Pointers: []string{"/subject/date_of_birth"}},
		{Name: "a date of birth in the future", Method: "POST", Path: "/requests", Body: request(func(b map[string]any) {
			b["subject"].(map[string]any)["date_of_birth"] = "2099-01-01"
		}), Status: 400, Problem: validated, Pointers: []string{"/subject/date_of_birth"}},
		{Name: "a subject born before anyone living", Method: "POST", Path: "/requests", Body: request(func(b map[string]any) {
			b["subject"].(map[string]any)["date_of_birth"] = "1900-01-01"
		}), Status: 400, Problem: validated, Pointers: []string{"/subject/date_of_birth"}},
		{Name: "an extension told tomorrow", Method: "POST", Path: req + "/extend", Body: with(extend, "told_on", "2026-03-03"),
			Status: 400, Problem: validated, Pointers: []string{"/told_on"}},
		{Name: "an extension told before the request", Method: "POST", Path: req + "/extend", Body: with(extend, "told_on", "2026-02-27"),
			Status: 400, Problem: validated, Pointers: []string{"/told_on"}},
		{Name: "an impossible day told", Method: "POST", Path: req + "/extend", Body: with(extend, "told_on", "2026-02-29"),
			Status: 400, Problem: validated, Pointers: []string{"/told_on"}},
		{Name: "a breach discovered in the future", Method: "POST", Path: "/breaches", Body: breach("discovered_at", "2026-03-03T10:00:00Z"),
			Status: 400, Problem: validated, Pointers: []string{"/discovered_at"}},
		{Name: "aware of a breach before it was discovered", Method: "POST", Path: "/breaches", Body: breach("aware_at", "2026-02-27T14:00:00Z"),
			Status: 400, Problem: validated, Pointers: []string{"/aware_at"}},
		{Name: "people told tomorrow", Method: "POST", Path: br + "/people-told", Body: map[string]any{"told_on": "2026-03-03", "method": "letter", "count": 1},
			Status: 400, Problem: validated, Pointers: []string{"/told_on"}},
		{Name: "people told before the breach", Method: "POST", Path: br + "/people-told", Body: map[string]any{"told_on": "2026-02-01", "method": "letter", "count": 1},
			Status: 400, Problem: validated, Pointers: []string{"/told_on"}},
		{Name: "an FOI request received in the future", Method: "POST", Path: "/foi", Body: foiWith("received_at", "2026-03-03T09:00:00Z"),
			Status: 400, Problem: validated, Pointers: []string{"/received_at"}},
		{Name: "an impossible FOI receipt", Method: "POST", Path: "/foi", Body: foiWith("received_at", "2026-13-01T09:00:00Z"),
			Status: 400, Problem: validated, Pointers: []string{"/received_at"}},

		// Unknown cases.
		{Name: "stopping an unknown request's clock", Method: "POST", Path: ghostReq + "/clock/stop", Body: map[string]any{"awaiting": "identity"},
			Status: 404, Problem: "not-found"},
		{Name: "restarting an unknown request's clock", Method: "POST", Path: ghostReq + "/clock/restart", Body: map[string]any{"received_at": "2026-03-02T09:30:00Z"},
			Status: 404, Problem: "not-found"},
		{Name: "extending an unknown request", Method: "POST", Path: ghostReq + "/extend", Body: extend, Status: 404, Problem: "not-found"},
		{Name: "searching for an unknown request", Method: "POST", Path: ghostReq + "/search", Status: 404, Problem: "not-found"},
		{Name: "acknowledging on an unknown request", Method: "POST", Path: ghostReq + "/article19/" + unknown + "/acknowledge", Status: 404, Problem: "not-found"},
		{Name: "an unknown Article 19 notice", Method: "POST", Path: req + "/article19/" + unknown + "/acknowledge",
			Status: 400, Problem: validated, Pointers: []string{"/notice_id"}},
		{Name: "not a request id", Method: "POST", Path: "/requests/not-a-uuid/clock/stop", Body: map[string]any{"awaiting": "identity"},
			Status: 400, Problem: validated, Pointers: []string{"param:id"}},
		{Name: "people told of an unknown breach", Method: "POST", Path: ghostBr + "/people-told", Body: map[string]any{"told_on": "2026-03-02", "method": "letter", "count": 1},
			Status: 404, Problem: "not-found"},
		{Name: "an unknown FOI request's regime", Method: "POST", Path: ghostFOI + "/regime", Body: map[string]any{"regime": "eir", "reason": "r"},
			Status: 404, Problem: "not-found"},
		{Name: "stopping an unknown FOI request's clock", Method: "POST", Path: ghostFOI + "/clock/stop", Status: 404, Problem: "not-found"},
		{Name: "restarting an unknown FOI request's clock", Method: "POST", Path: ghostFOI + "/clock/restart", Body: map[string]any{"received_at": "2026-03-02T09:30:00Z"},
			Status: 404, Problem: "not-found"},
		{Name: "extending an unknown FOI request", Method: "POST", Path: ghostFOI + "/extend", Body: map[string]any{"reason": "r"}, Status: 404, Problem: "not-found"},
		{Name: "answering an unknown FOI request", Method: "POST", Path: ghostFOI + "/respond", Body: parts("reports"), Status: 404, Problem: "not-found"},
		{Name: "reviewing an unknown FOI request", Method: "POST", Path: ghostFOI + "/review", Body: map[string]any{"requested_at": "2026-03-02T09:30:00Z"},
			Status: 404, Problem: "not-found"},
		{Name: "extending an unknown review", Method: "POST", Path: ghostFOI + "/review/extend", Status: 404, Problem: "not-found"},

		// A dpo_officer may not take the DPO's decisions.
		{Name: "an officer confirming", Method: "POST", Path: req + "/confirm", Body: map[string]any{"matches": []any{}}, Status: 403, Problem: "forbidden"},
		{Name: "an officer lifting", Method: "POST", Path: req + "/lift", Body: map[string]any{"told_on": "2026-03-02", "told_how": "letter"},
			Status: 403, Problem: "forbidden"},
		{Name: "an officer completing", Method: "POST", Path: req + "/complete", Status: 403, Problem: "forbidden"},
		{Name: "an officer refusing", Method: "POST", Path: req + "/refuse", Body: map[string]any{"ground": "manifestly_excessive", "reasons": "The fourth identical request this month."}, Status: 403, Problem: "forbidden"},
		{Name: "an officer assessing", Method: "POST", Path: br + "/assessment", Body: map[string]any{"reportable": false, "reason": "r", "high_risk": false, "tell_people": false},
			Status: 403, Problem: "forbidden"},
		{Name: "an officer reporting", Method: "POST", Path: br + "/report", Body: map[string]any{"consequences": "c", "measures": "m"}, Status: 403, Problem: "forbidden"},
		{Name: "an officer closing", Method: "POST", Path: br + "/close", Status: 403, Problem: "forbidden"},
		{Name: "an officer reviewing a breach", Method: "POST", Path: br + "/review", Body: map[string]any{"decision": "keep", "reason": "r"}, Status: 403, Problem: "forbidden"},
		{Name: "an officer deciding a review", Method: "POST", Path: foi + "/review/decision", Body: map[string]any{"outcome": "upheld", "reasons": "r"},
			Status: 403, Problem: "forbidden"},
	})
	e.RefusesBadInput(t, dora, []testkit.BadInput{
		{Name: "U+0000 in an assessment", Method: "POST", Path: br + "/assessment", Body: map[string]any{"reportable": true, "reason": "risk\u0000",
			"high_risk": false, "tell_people": false}, Status: 400, Problem: validated, Pointers: []string{"/reason"}},
		{Name: "a lone surrogate in a report", Method: "POST", Path: br + "/report", Body: loneSurrogate(map[string]any{"consequences": "TEXT", "measures": "m"}),
			Status: 400, Problem: validated, Pointers: []string{"/consequences"}},
		{Name: "U+0000 in a breach review", Method: "POST", Path: br + "/review", Body: map[string]any{"decision": "keep", "reason": "claim\u0000"},
			Status: 400, Problem: validated, Pointers: []string{"/reason"}},
		{Name: "U+0000 in a record id", Method: "POST", Path: req + "/confirm", Body: map[string]any{"matches": []map[string]any{{"service": "complaints", "record_id": "c\u0000"}}},
			Status: 400, Problem: validated, Pointers: []string{"/matches/0/record_id"}},
		{Name: "U+0000 in a review's reasons", Method: "POST", Path: foi + "/review/decision", Body: map[string]any{"outcome": "upheld", "reasons": "tender\u0000"},
			Status: 400, Problem: validated, Pointers: []string{"/reasons"}},
		{Name: "an unknown ground", Method: "POST", Path: req + "/refuse", Body: map[string]any{"ground": "too_busy", "reasons": "The fourth identical request this month."},
			Status: 400, Problem: validated, Pointers: []string{"/ground"}},
		{Name: "a breach kept too long", Method: "POST", Path: br + "/review", Body: map[string]any{"decision": "keep", "reason": "r", "keep_years": 11},
			Status: 400, Problem: validated, Pointers: []string{"/keep_years"}},
		{Name: "confirming on an unknown request", Method: "POST", Path: ghostReq + "/confirm", Body: map[string]any{"matches": []any{}},
			Status: 404, Problem: "not-found"},
		{Name: "lifting on an unknown request", Method: "POST", Path: ghostReq + "/lift", Body: map[string]any{"told_on": "2026-03-02", "told_how": "letter"},
			Status: 404, Problem: "not-found"},
		{Name: "completing an unknown request", Method: "POST", Path: ghostReq + "/complete", Status: 404, Problem: "not-found"},
		{Name: "refusing an unknown request", Method: "POST", Path: ghostReq + "/refuse", Body: map[string]any{"ground": "manifestly_excessive", "reasons": "The fourth identical request this month."},
			Status: 404, Problem: "not-found"},
		{Name: "assessing an unknown breach", Method: "POST", Path: ghostBr + "/assessment", Body: map[string]any{"reportable": false, "reason": "r",
			"high_risk": false, "tell_people": false}, Status: 404, Problem: "not-found"},
		{Name: "reporting an unknown breach", Method: "POST", Path: ghostBr + "/report", Body: map[string]any{"consequences": "c", "measures": "m"},
			Status: 404, Problem: "not-found"},
		{Name: "closing an unknown breach", Method: "POST", Path: ghostBr + "/close", Status: 404, Problem: "not-found"},
		{Name: "reviewing an unknown breach", Method: "POST", Path: ghostBr + "/review", Body: map[string]any{"decision": "keep", "reason": "r"},
			Status: 404, Problem: "not-found"},
		{Name: "deciding an unknown review", Method: "POST", Path: ghostFOI + "/review/decision", Body: map[string]any{"outcome": "upheld", "reasons": "r"},
			Status: 404, Problem: "not-found"},
	})
	e.RefusesBadInput(t, e.Token("cora", "complaints_officer"), []testkit.BadInput{
		{Name: "a role of another service", Method: "POST", Path: "/requests", Body: anAccessRequest("access"), Status: 403, Problem: "forbidden"},
		{Name: "a role of another service on a breach", Method: "POST", Path: br + "/people-told", Body: map[string]any{"told_on": "2026-03-02", "method": "letter", "count": 1},
			Status: 403, Problem: "forbidden"},
		{Name: "a role of another service on an FOI request", Method: "POST", Path: foi + "/clock/stop", Status: 403, Problem: "forbidden"},
	})
	e.RefusesBadInput(t, "", []testkit.BadInput{
		{Name: "no token", Method: "POST", Path: "/foi", Body: asked, Status: 401, Problem: "unauthenticated"},
	})
}

// with is a copy of body with field set to value.
func with(body map[string]any, field string, value any) map[string]any {
	out := make(map[string]any, len(body)+1)
	for k, v := range body {
		out[k] = v
	}
	out[field] = value
	return out
}
