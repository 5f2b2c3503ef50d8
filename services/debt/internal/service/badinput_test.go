package service_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// writtenTables are every table a debt request could write to.
var writtenTables = []string{"debt_cases", "debt_personal_data", "debt_payments", "debt_consents",
	"debt_necessity_findings", "audit_log", "watermill_outbox", "disclosure_log"}

// snapshot is each written table's row count and a digest of its rows, so a refused
// request that changed any value, not only one that added a row, is caught. The outbox
// relay's own column (the position it gives each row as it publishes) is left out.
func (e *env) snapshot() map[string]string {
	e.T.Helper()
	out := make(map[string]string, len(writtenTables))
	for _, table := range writtenTables {
		var s string
		if err := e.DB.Get(&s, `SELECT count(*) || ':' || coalesce(md5(string_agg((to_jsonb(t) - 'position')::text, ','
			ORDER BY (to_jsonb(t) - 'position')::text)), '') FROM `+table+` t`); err != nil {
			e.T.Fatalf("snapshot %s: %v", table, err)
		}
		out[table] = s
	}
	return out
}

// problemOf checks that r is an RFC 9457 problem of the status and type (its last path
// segment) and returns it.
func problemOf(t *testing.T, r testkit.Response, status int, typ string) map[string]any {
	t.Helper()
	if r.Status != status || r.Header.Get("Content-Type") != httpserver.ProblemContentType {
		t.Fatalf("status %d %q, want %d problem+json: %s", r.Status, r.Header.Get("Content-Type"), status, r.Body)
	}
	p := r.JSON(t)
	if p["type"] != "https://casework.dev/problems/"+typ || p["status"] != float64(status) {
		t.Fatalf("problem %v %v, want %s %d: %s", p["type"], p["status"], typ, status, r.Body)
	}
	return p
}

// pointersOf lists a problem's error pointers (or "param:<name>" for a parameter).
func pointersOf(p map[string]any) []string {
	errs, _ := p["errors"].([]any)
	out := []string{}
	for _, x := range errs {
		m := x.(map[string]any)
		if param, ok := m["parameter"].(string); ok {
			out = append(out, "param:"+param)
			continue
		}
		out = append(out, m["pointer"].(string))
	}
	return out
}

func TestBadInputIsAProblemAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-BAD", 100000)
	// Past the notice period (earliest control 11 March), on Thursday 12 March at 10:00.
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	officer, agent, manager := e.officer(), e.agent(), e.manager()
	c := "/cases/" + id
	tomorrow := e.Clock.Now().Add(24 * time.Hour).Format(time.RFC3339)

	cases := []struct {
		name, method, path, token string
		body                      any // a string is sent as it is
		status                    int
		problem                   string
		pointers                  []string       // nil: not checked
		extra                     map[string]any // problem members that must be exactly so
		headers                   []string
	}{
		{name: "negative pence", method: "POST", path: c + "/payments", token: officer, body: `{"amount_pence":-500}`,
			status: 400, problem: "validation", pointers: []string{"/amount_pence"}},
		{name: "fractional pence", method: "POST", path: c + "/payments", token: officer, body: `{"amount_pence":12.5}`,
			status: 400, problem: "validation", pointers: []string{"/amount_pence"}},
		{name: "pounds as a string", method: "POST", path: c + "/payments", token: officer, body: `{"amount_pence":"12.50"}`,
			status: 400, problem: "validation", pointers: []string{"/amount_pence"}},
		{name: "zero pence", method: "POST", path: c + "/payments", token: officer, body: `{"amount_pence":0}`,
			status: 400, problem: "validation", pointers: []string{"/amount_pence"}},
		{name: "more than GBP 10 million", method: "POST", path: c + "/payments", token: officer, body: `{"amount_pence":1000000001}`,
			status: 400, problem: "validation", pointers: []string{"/amount_pence"}},
		{name: "payment received at Go's zero time (it was read as now)", method: "POST", path: c + "/payments", token: officer,
			body: `{"amount_pence":500,"received_at":"0001-01-01T00:00:00Z"}`, status: 400, problem: "validation", pointers: []string{"/received_at"}},
		{name: "payment received at a nanosecond PostgreSQL cannot keep", method: "POST", path: c + "/payments", token: officer,
			body: `{"amount_pence":500,"received_at":"2026-03-12T10:00:00.0000001Z"}`, status: 400, problem: "validation", pointers: []string{"/received_at"}},
		{name: "payment received tomorrow", method: "POST", path: c + "/payments", token: officer,
			body: `{"amount_pence":500,"received_at":"` + tomorrow + `"}`, status: 400, problem: "validation", pointers: []string{"/received_at"}},
		{name: "visit tomorrow", method: "POST", path: c + "/visits", token: agent,
			body:   `{"at":"` + tomorrow + `","outcome":"no_contact","body_worn_video":"BWV-1"}`,
			status: 400, problem: "validation", pointers: []string{"/at"}},
		{name: "visit at 03:00", method: "POST", path: c + "/visits", token: agent,
			body:   `{"at":"2026-03-12T03:00:00Z","outcome":"no_contact","body_worn_video":"BWV-1"}`,
			status: 409, problem: "conflict", extra: map[string]any{"rule": "visiting_hours",
				"detail": "a visit at 03:00:00 (Europe/London) is outside 06:00-21:00; record the exception that applies (SI 2013/1894 reg 13)"}},
		{name: "visit at 21:00:01", method: "POST", path: c + "/visits", token: agent,
			body:   `{"at":"2026-03-11T21:00:01Z","outcome":"no_contact","body_worn_video":"BWV-1"}`,
			status: 409, problem: "conflict", extra: map[string]any{"rule": "visiting_hours"}},
		{name: "visit inside the notice period", method: "POST", path: c + "/visits", token: agent,
			body:   `{"at":"2026-03-10T10:00:00Z","outcome":"no_contact","body_worn_video":"BWV-1"}`,
			status: 409, problem: "conflict", extra: map[string]any{"rule": "notice_period"}},
		{name: "an exception the regulations do not name", method: "POST", path: c + "/visits", token: agent,
			body:   `{"at":"2026-03-12T03:00:00Z","outcome":"no_contact","body_worn_video":"BWV-1","exception":"urgent"}`,
			status: 400, problem: "validation", pointers: []string{"/exception"}},
		{name: "notice of sale before any visit", method: "POST", path: c + "/notice-of-sale", token: agent,
			status: 409, problem: "illegal-transition",
			extra: map[string]any{"case_status": "compliance", "allowed_actions": []any{"record_visit", "record_payment"}}},
		{name: "sale before the notice of sale", method: "POST", path: c + "/sale", token: agent,
			body:   `{"proceeds_pence":5000,"sold_at":"2026-03-12T09:00:00Z"}`,
			status: 409, problem: "illegal-transition", extra: map[string]any{"case_status": "compliance", "allowed_actions": []any{"record_payment"}}},
		{name: "review with no flag", method: "POST", path: c + "/vulnerability/review", token: officer,
			body:   `{"advice_opportunity_given":true,"continue_enforcement":true}`,
			status: 409, problem: "conflict", extra: map[string]any{"rule": "no_review_pending"}},
		{name: "review naming debtor 0", method: "POST", path: c + "/vulnerability/review", token: officer,
			body: `{"debtor":0,"advice_opportunity_given":true,"continue_enforcement":true}`, status: 400, problem: "validation", pointers: []string{"/debtor"}},
		{name: "review naming debtor 5", method: "POST", path: c + "/vulnerability/review", token: officer,
			body: `{"debtor":5,"advice_opportunity_given":true,"continue_enforcement":true}`, status: 400, problem: "validation", pointers: []string{"/debtor"}},
		{name: "review naming a debtor as text", method: "POST", path: c + "/vulnerability/review", token: officer,
			body: `{"debtor":"1","advice_opportunity_given":true,"continue_enforcement":true}`, status: 400, problem: "validation", pointers: []string{"/debtor"}},
		{name: "review naming debtor 1.5", method: "POST", path: c + "/vulnerability/review", token: officer,
			body: `{"debtor":1.5,"advice_opportunity_given":true,"continue_enforcement":true}`, status: 400, problem: "validation", pointers: []string{"/debtor"}},
		{name: "disclosure naming debtor 9999999999999999999", method: "POST", path: c + "/disclosures", token: officer,
			body: `{"recipient":"welfare-team","purpose":"welfare_support","debtor":9999999999999999999}`, status: 400, problem: "validation", pointers: []string{"/debtor"}},
		{name: "arrangement review with no breached arrangement", method: "POST", path: c + "/arrangement/review", token: officer,
			body:   `{"decision":"end","reason":"Two instalments missed."}`,
			status: 409, problem: "conflict", extra: map[string]any{"rule": "no_arrangement_review_pending"}},
		{name: "arrangement review without a reason", method: "POST", path: c + "/arrangement/review", token: officer,
			body: `{"decision":"end","reason":"   "}`, status: 400, problem: "validation", pointers: []string{"/reason"}},
		{name: "release a hold never set", method: "DELETE", path: c + "/legal-hold", token: manager,
			status: 409, problem: "conflict", extra: map[string]any{"rule": "no_legal_hold"}},
		{name: "arrangement that does not cover the debt", method: "POST", path: c + "/arrangement", token: officer,
			body:   `{"first_due":"2026-04-01","amount_pence":100,"count":3,"frequency":"monthly"}`,
			status: 400, problem: "validation", pointers: []string{"/amount_pence"}},
		{name: "arrangement starting in the past", method: "POST", path: c + "/arrangement", token: officer,
			body:   `{"first_due":"2026-03-01","amount_pence":60000,"count":3,"frequency":"monthly"}`,
			status: 400, problem: "validation", pointers: []string{"/first_due"}},
		{name: "unknown client in the remittance", method: "GET", path: "/remittance?client=no-such-client", token: officer,
			status: 400, problem: "validation", pointers: []string{"param:client"}},
		{name: "unknown client in a referral", method: "POST", path: "/referrals?client=no-such-client", token: officer,
			body: "client_reference\n", headers: []string{"Content-Type", "text/csv"}, status: 400, problem: "validation"},
		{name: "a recipient the notice does not name", method: "POST", path: c + "/consents", token: officer,
			body: `{"recipient":"acme-debt-buyers"}`, status: 400, problem: "validation", pointers: []string{"/recipient"}},
		{name: "malformed JSON", method: "POST", path: c + "/payments", token: officer, body: `{"amount_pence": 5`,
			status: 400, problem: "malformed-json"},
		{name: "unknown field", method: "POST", path: c + "/payments", token: officer, body: `{"amount_pence":500,"currency":"GBP"}`,
			status: 400, problem: "validation", pointers: []string{"/currency"}},
		{name: "duplicate key", method: "POST", path: c + "/payments", token: officer, body: `{"amount_pence":500,"amount_pence":50000}`,
			status: 400, problem: "duplicate-key", pointers: []string{"/amount_pence"}},
		{name: "trailing data", method: "POST", path: c + "/payments", token: officer, body: `{"amount_pence":500} {}`,
			status: 400, problem: "trailing-data"},
		{name: "not JSON", method: "POST", path: c + "/payments", token: officer, body: `amount_pence=500`,
			headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 415, problem: "unsupported-media-type"},
		{name: "NUL in the nature of a vulnerability", method: "POST", path: c + "/vulnerability", token: officer,
			body: `{"nature":"mental health\u0000crisis"}`, status: 400, problem: "validation", pointers: []string{"/nature"}},
		{name: "NUL in a body-worn video reference", method: "POST", path: c + "/visits", token: agent,
			body:   `{"at":"2026-03-12T09:00:00Z","outcome":"no_contact","body_worn_video":"BWV\u0000-1"}`,
			status: 400, problem: "validation", pointers: []string{"/body_worn_video"}},
		{name: "NUL in a legal hold's reason", method: "PUT", path: c + "/legal-hold", token: manager,
			body: `{"reason":"claim\u0000 pending"}`, status: 400, problem: "validation", pointers: []string{"/reason"}},
		{name: "an empty list of categories to disclose (it was read as everything)", method: "POST", path: c + "/disclosures", token: officer,
			body: `{"recipient":"courts","purpose":"court_proceedings","categories":[]}`, status: 400, problem: "validation", pointers: []string{"/categories"}},
		{name: "NUL in a disclosure's necessity", method: "POST", path: c + "/disclosures", token: officer,
			body:   `{"recipient":"welfare-team","purpose":"welfare_support","necessity":"at\u0000risk"}`,
			status: 400, problem: "validation", pointers: []string{"/necessity"}},
		{name: "NUL in a query parameter", method: "GET", path: "/remittance?client=maidstone%00", token: officer,
			status: 400, problem: "validation", pointers: []string{"param:client"}},
		{name: "NUL in the list's cursor", method: "GET", path: "/cases?after=DEBT%00", token: officer,
			status: 400, problem: "validation", pointers: []string{"param:after"}},
		{name: "a case id that is not a UUID", method: "GET", path: "/cases/not-a-uuid", token: officer,
			status: 400, problem: "validation", pointers: []string{"param:id"}},
		{name: "a client recording a visit", method: "POST", path: c + "/visits", token: e.client("maidstone-council-tax"),
			body:   `{"at":"2026-03-12T09:00:00Z","outcome":"no_contact","body_worn_video":"BWV-1"}`,
			status: 403, problem: "forbidden"},
		{name: "an agent recording a payment", method: "POST", path: c + "/payments", token: agent, body: `{"amount_pence":500}`,
			status: 403, problem: "forbidden"},
		{name: "no token", method: "POST", path: c + "/payments", body: `{"amount_pence":500}`, status: 401, problem: "unauthenticated"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			p := problemOf(t, e.Call(tc.method, tc.path, tc.token, tc.body, tc.headers...), tc.status, tc.problem)
			if tc.pointers != nil && !reflect.DeepEqual(pointersOf(p), tc.pointers) {
				t.Errorf("pointers %v, want %v", pointersOf(p), tc.pointers)
			}
			for k, want := range tc.extra {
				if !reflect.DeepEqual(p[k], want) {
					t.Errorf("%s = %#v, want %#v", k, p[k], want)
				}
			}
			if after := e.snapshot(); !reflect.DeepEqual(after, before) {
				t.Errorf("a refused request changed the database:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
	// Nothing moved the case: it is where the referral left it, at version 1.
	got := e.Must(200, "GET", c, officer, nil)
	if got["stage"] != "compliance" || got["version"] != float64(1) || len(got["payments"].([]any)) != 0 || len(got["visits"].([]any)) != 0 {
		t.Fatalf("case after the refusals: stage %v version %v payments %v visits %v", got["stage"], got["version"], got["payments"], got["visits"])
	}
}

// A referral row with NUL in a field, a future order date, an amount that is not whole
// pence, or text that is not UTF-8 (a spreadsheet saved as Windows-1252) is refused with its
// line and field; the good row beside them is accepted.
func TestBadReferralRowsAreRefusedRowByRow(t *testing.T) {
	e := newEnv(t)
	file := "client_reference,order_date,order_reference,debtor_name,address,amount_pence\n" +
		"R-1,2026-01-10,LO-1,Nul\x00Name,1 High Street,1000\n" +
		"R-2,2026-03-03,LO-2,Fay Later,2 High Street,1000\n" +
		"R-3,2026-01-10,LO-3,Gus Pounds,3 High Street,10.00\n" +
		"R-4,2026-01-10,LO\x00-4,Hal Ref,4 High Street,1000\n" +
		"R-5,2026-01-10,LO-5,Ivy Good,5 High Street,1000\n" +
		"R-6,2026-01-10,LO-6,Jo Latin,6 High Street \xa3 Ltd,1000\n"
	r := e.upload(e.client("maidstone-council-tax"), "text/csv", file, "")
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	type row struct {
		Line    float64
		Outcome string
		Fields  string
	}
	var got []row
	for _, x := range r.JSON(t)["rows"].([]any) {
		m := x.(map[string]any)
		var fields []string
		errs, _ := m["errors"].([]any)
		for _, er := range errs {
			fields = append(fields, er.(map[string]any)["field"].(string))
		}
		got = append(got, row{m["line"].(float64), m["outcome"].(string), strings.Join(fields, ",")})
	}
	want := []row{{2, "refused", "debtor_names"}, {3, "refused", "order_date"}, {4, "refused", "amount_pence"},
		{5, "refused", "order_reference"}, {6, "accepted", ""}, {7, "refused", "address"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows\n got %+v\nwant %+v", got, want)
	}
	var n int
	if err := e.DB.Get(&n, `SELECT count(*) FROM debt_personal_data`); err != nil || n != 1 {
		t.Fatalf("%d personal rows (%v), want 1", n, err)
	}
}
