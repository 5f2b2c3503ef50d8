package service_test

import (
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// fingerprint is a request's row and personal data row as stored, version and updated_at
// included: equal fingerprints mean nothing changed.
func (e *env) fingerprint(table, personal, key, id string) string {
	e.T.Helper()
	var s string
	if err := e.DB.Get(&s, `SELECT row_to_json(c)::text || coalesce(row_to_json(p)::text, '') FROM `+table+` c
		LEFT JOIN `+personal+` p ON p.`+key+` = c.id WHERE c.id = $1`, id); err != nil {
		e.T.Fatal(err)
	}
	return s
}

func (e *env) requestRow(id string) string {
	return e.fingerprint("rights_requests", "rights_request_personal_data", "request_id", id)
}

// Restarting the clock records what arrived where the request awaits it: an authority sent
// with the proof of identity, while both are awaited, is the representative's, and the
// month runs from their arrival. What nothing awaits (an authority for a person who asks
// for themselves or one already recorded, an identity method once the identity is
// verified) is refused naming its rule, a blank authority naming its field, and nothing
// changes: the row, its version, the audit log and the outbox.
func TestRestartRecordsOrRefusesEveryFieldSent(t *testing.T) {
	e := newEnv(t)
	olly := e.officer()
	logged := func(representative map[string]any, identity bool) string {
		b := anAccessRequest("access")
		if !identity {
			delete(b, "identity_method")
		}
		if representative != nil {
			b["requester"] = map[string]any{"name": "Rita Rep", "email": "rita@example.org"}
			b["representative"] = representative
		}
		return e.Must(201, "POST", "/requests", olly, b)["id"].(string)
	}
	own := logged(nil, false)
	recorded := logged(map[string]any{"name": "Rita Rep", "authority": "a signed letter of authority"}, false)
	both := logged(map[string]any{"name": "Rita Rep", "organisation": "Citizens Advice Maidstone"}, false)
	authorityOnly := logged(map[string]any{"name": "Rita Rep"}, true)
	clarifying := logged(nil, true)
	e.Must(200, "POST", "/requests/"+clarifying+"/clock/stop", olly, map[string]any{"awaiting": "clarification"})
	for id, awaiting := range map[string]string{own: "identity", recorded: "identity", both: "identity", authorityOnly: "authority", clarifying: "clarification"} {
		if r := e.Must(200, "GET", "/requests/"+id, olly, nil); r["status"] != "clock_stopped" || r["awaiting"] != awaiting {
			t.Fatalf("%s: %v awaiting %v, want %s", id, r["status"], r["awaiting"], awaiting)
		}
	}
	e.Clock.Advance(time.Hour)
	olly = e.officer() // a token of the new hour
	restart := func(fields ...string) map[string]any {
		b := map[string]any{"received_at": "2026-03-02T10:30:00Z"}
		for i := 0; i < len(fields); i += 2 {
			b[fields[i]] = fields[i+1]
		}
		return b
	}
	path := func(id string) string { return "/requests/" + id + "/clock/restart" }

	before := map[string]string{}
	for _, id := range []string{own, recorded, both, authorityOnly, clarifying} {
		before[id] = e.requestRow(id)
	}
	e.RefusesBadInput(t, olly, []testkit.BadInput{
		{Name: "an authority for a person who asks for themselves", Method: "POST", Path: path(own),
			Body:   restart("identity_method", "passport seen", "authority", "a letter"),
			Status: 409, Problem: "conflict", Check: conflictOn("no_authority_awaited")},
		{Name: "an authority already recorded", Method: "POST", Path: path(recorded),
			Body:   restart("identity_method", "passport seen", "authority", "another letter"),
			Status: 409, Problem: "conflict", Check: conflictOn("no_authority_awaited")},
		{Name: "a blank authority awaited with the identity", Method: "POST", Path: path(both),
			Body:   restart("identity_method", "passport seen", "authority", "  "),
			Status: 400, Problem: "validation", Pointers: []string{"/authority"}},
		{Name: "an identity method once verified, the authority awaited", Method: "POST", Path: path(authorityOnly),
			Body:   restart("identity_method", "driving licence", "authority", "a signed letter of authority"),
			Status: 409, Problem: "conflict", Check: conflictOn("identity_verified")},
		{Name: "an identity method with a clarification", Method: "POST", Path: path(clarifying),
			Body:   restart("identity_method", "driving licence"),
			Status: 409, Problem: "conflict", Check: conflictOn("identity_verified")},
		{Name: "an authority with a clarification", Method: "POST", Path: path(clarifying),
			Body:   restart("authority", "a letter"),
			Status: 409, Problem: "conflict", Check: conflictOn("no_authority_awaited")},
	})
	for id, row := range before {
		if after := e.requestRow(id); after != row {
			t.Errorf("a refused restart changed %s:\nbefore %s\n after %s", id, row, after)
		}
	}

	// Both awaited, both arrived: recorded, and the month runs from their arrival.
	outbox := e.OutboxRows(t)
	r := e.Must(200, "POST", path(both), olly, restart("identity_method", "passport seen", "authority", "a signed letter of authority"))
	rep, _ := r["representative"].(map[string]any)
	if r["status"] != "open" || r["awaiting"] != nil || rep["authority"] != "a signed letter of authority" ||
		r["identity"].(map[string]any)["verified"] != true || r["deadline"].(map[string]any)["stopped"] != false ||
		r["deadline"].(map[string]any)["due_date"] != "2026-04-02" {
		t.Errorf("after identity and authority: %v awaiting %v representative %v deadline %v", r["status"], r["awaiting"], rep, r["deadline"])
	}
	stored := e.Must(200, "GET", "/requests/"+both, olly, nil)
	if stored["status"] != "open" || stored["representative"].(map[string]any)["authority"] != "a signed letter of authority" {
		t.Errorf("stored: %v %v", stored["status"], stored["representative"])
	}
	if n := e.OutboxRows(t); n <= outbox {
		t.Errorf("the restart queued no event: %d then %d", outbox, n)
	}
	// The authority alone, where only it is awaited, as before.
	if r := e.Must(200, "POST", path(authorityOnly), olly, restart("authority", "a signed letter of authority")); r["status"] != "open" {
		t.Errorf("authority alone: %v", r["status"])
	}
}

// A breach review that erases the record has no next review: years to keep it are refused
// (400, naming keep_years), not dropped, and the record stays as it was. A released part
// of an FOI response with a public interest test is refused naming public_interest.
func TestFieldsNothingUsesAreRefused(t *testing.T) {
	e := newEnv(t)
	olly, dora := e.officer(), e.dpo()
	id := e.Must(201, "POST", "/breaches", olly, aBreach())["id"].(string)
	br := "/breaches/" + id
	e.Must(200, "POST", br+"/assessment", dora, map[string]any{"reportable": false, "reason": "The neighbour returned it unopened.",
		"high_risk": false, "tell_people": false})
	e.Must(200, "POST", br+"/close", dora, nil)
	asked := anFOI()
	asked["received_at"] = "2026-03-02T09:00:00Z"
	foi := "/foi/" + e.Must(201, "POST", "/foi", olly, asked)["id"].(string)
	e.RefusesBadInput(t, olly, []testkit.BadInput{
		{Name: "a public interest test for a released part", Method: "POST", Path: foi + "/respond", Body: map[string]any{"publish": false,
			"parts": []map[string]any{{"description": "number of fly-tipping reports in 2025", "outcome": "released", "public_interest": map[string]any{
				"for_disclosure": "transparency", "for_withholding": "none", "favours_withholding": true, "conclusion": "withhold"}}}},
			Status: 400, Problem: "validation", Pointers: []string{"/parts/0/public_interest"}},
	})

	e.Clock.Set(time.Date(2037, 1, 1, 0, 30, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(t.Context(), 100); err != nil || n == 0 {
		t.Fatalf("retention sweep: %d %v", n, err)
	}
	dora = e.dpo()
	row := e.fingerprint("rights_breaches", "rights_breach_personal_data", "breach_id", id)
	e.RefusesBadInput(t, dora, []testkit.BadInput{
		{Name: "years to keep a record being erased", Method: "POST", Path: br + "/review",
			Body:   map[string]any{"decision": "erase", "reason": "no claim came", "keep_years": 2},
			Status: 400, Problem: "validation", Pointers: []string{"/keep_years"}},
	})
	if after := e.fingerprint("rights_breaches", "rights_breach_personal_data", "breach_id", id); after != row {
		t.Errorf("the refused review changed the breach:\nbefore %s\n after %s", row, after)
	}
	if b := e.Must(200, "POST", br+"/review", dora, map[string]any{"decision": "erase", "reason": "no claim came"}); b["erased"] != true {
		t.Errorf("erase: %v", b["erased"])
	}
}
