package service_test

import (
	"path/filepath"
	"strings"
	"testing"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/partners"
	"casework.dev/services/rights/internal/service"
)

// Bad input gets a problem and changes nothing; a caller without a rights role learns
// nothing; only the DPO confirms, completes and refuses.
func TestBadInputChangesNothing(t *testing.T) {
	e := newEnv(t)
	good := anAccessRequest("access")
	cases := []struct {
		name    string
		token   string
		body    any
		status  int
		typ     string
		pointer string
	}{
		{"no token", "", good, 401, "unauthenticated", ""},
		{"another service's role", e.Token("cora", "complaints_officer"), good, 403, "forbidden", ""},
		{"malformed JSON", e.officer(), `{"kind":`, 400, "malformed-json", ""},
		{"unknown field", e.officer(), with(good, "colour", "blue"), 400, "validation", "/colour"},
		{"unknown kind", e.officer(), with(good, "kind", "complaint"), 400, "validation", "/kind"},
		{"received in the future", e.officer(), with(good, "received_at", "2026-03-03T10:00:00Z"), 400, "validation", "/received_at"},
		{"no way to answer", e.officer(), with(good, "requester", map[string]any{"name": "Ann"}), 400, "validation", "/requester"},
		{"only a name to search by", e.officer(), with(good, "subject", map[string]any{"name": "Ann"}), 400, "validation", "/subject"},
		{"asked for someone else, as no one's representative", e.officer(),
			with(good, "requester", map[string]any{"name": "Mallory Snoop", "email": "mallory@example.net"}), 400, "validation", "/representative"},
		{"a representative who is not the requester", e.officer(), with(with(good, "requester", map[string]any{"name": "Bob Rep", "email": "bob@example.org"}),
			"representative", map[string]any{"name": "Someone Else"}), 400, "validation", "/representative/name"},
		{"a representative for one's own request", e.officer(), with(good, "representative", map[string]any{"name": "Ann Applicant"}), 400, "validation", "/representative"},
		{"a rectification without the correction", e.officer(), with(good, "kind", "rectification"), 400, "validation", "/rectification"},
		{"received before the holiday table", e.officer(), with(good, "received_at", "1990-01-05T10:00:00Z"), 400, "validation", "/received_at"},
	}
	for _, tc := range cases {
		res := e.Call("POST", "/requests", tc.token, tc.body)
		p := res.JSON(t)
		if res.Status != tc.status || p["type"] != "https://casework.dev/problems/"+tc.typ ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s: %d %s", tc.name, res.Status, res.Body)
			continue
		}
		if tc.pointer != "" && !strings.Contains(string(res.Body), `"pointer":"`+tc.pointer+`"`) {
			t.Errorf("%s: no pointer %s in %s", tc.name, tc.pointer, res.Body)
		}
	}
	if n := e.count(`SELECT count(*) FROM rights_requests`); n != 0 {
		t.Fatalf("bad input stored %d requests", n)
	}
	if n := e.count(`SELECT count(*) FROM watermill_outbox`); n != 0 {
		t.Fatalf("bad input queued %d messages", n)
	}

	id := e.Must(201, "POST", "/requests", e.officer(), good)["id"].(string)
	for _, tc := range []struct {
		method, path, token string
		body                any
		status              int
	}{
		{"GET", "/requests/not-a-uuid", e.officer(), nil, 400},
		{"GET", "/requests/0195f0a0-0000-7000-8000-00000000abcd", e.officer(), nil, 404},
		{"POST", "/requests/" + id + "/confirm", e.officer(), map[string]any{"matches": []any{}}, 403},
		{"POST", "/requests/" + id + "/complete", e.officer(), nil, 403},
		{"POST", "/requests/" + id + "/refuse", e.dpo(), map[string]any{"ground": "too_busy", "reasons": "The fourth identical request this month."}, 400},
		{"POST", "/requests/" + id + "/clock/stop", e.officer(), map[string]any{"awaiting": "identity"}, 409},
		{"POST", "/requests/" + id + "/clock/restart", e.officer(), map[string]any{"received_at": "2026-03-02T09:00:00Z"}, 409},
		{"POST", "/requests/" + id + "/confirm", e.dpo(), map[string]any{"matches": []any{}}, 409},
		{"POST", "/requests/" + id + "/complete", e.dpo(), nil, 409},
		{"POST", "/requests/" + id + "/extend", e.dpo(), map[string]any{"months": 3, "reason": "r", "told_on": "2026-03-02", "told_how": "email"}, 400},
		{"GET", "/requests/" + id + "/response", e.officer(), nil, 409},
		{"POST", "/requests/" + id + "/article19/0195f0a0-0000-7000-8000-00000000abcd/acknowledge", e.officer(), nil, 400},
		{"DELETE", "/requests/" + id, e.dpo(), nil, 405},
	} {
		res := e.Call(tc.method, tc.path, tc.token, tc.body)
		if res.Status != tc.status || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, res.Status, res.Body, tc.status)
		}
	}
	r := e.Must(200, "GET", "/requests/"+id, e.officer(), nil)
	if r["status"] != "open" || r["phase"] != "new" {
		t.Errorf("refused actions changed the request: %v %v", r["status"], r["phase"])
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE subject = $1 AND action <> 'request.read'`, id); n != 1 {
		t.Errorf("audit rows besides reads: %d, want the one for its receipt", n)
	}
}

// Every recipient a service may disclose to can be sent an Article 19 notice: the rights
// notice names every partner for it.
func TestEveryPartnerCanBeToldUnderArticle19(t *testing.T) {
	dir, err := partners.Load(filepath.Join("..", "..", "..", "..", "contracts", "partners.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	n, _, err := bootstrap.LoadNotice(service.Name, "", contracts.Notice)
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, p := range dir.Partners {
		if p.Delivery == partners.Served { // reads the record as now held: owed no notice
			continue
		}
		d := n.Decide(notice.Request{Recipient: p.ID, Purpose: "article19_notification", CaseType: "rights_request"})
		if !d.Allowed || strings.Join(d.Categories, ",") != "corrected_value,disclosure_reference" {
			t.Errorf("%s: %+v", p.ID, d)
		}
		count++
	}
	if count < 20 {
		t.Errorf("only %d partners checked", count)
	}
	if d := n.Decide(notice.Request{Recipient: "ico", Purpose: "breach_report", CaseType: "data_breach"}); !d.Allowed ||
		strings.Join(d.Categories, ",") != "breach_contact,breach_facts" {
		t.Errorf("the ICO's breach report: %+v", d)
	}
	if d := n.Decide(notice.Request{Recipient: "kent-police", Purpose: "breach_report", CaseType: "data_breach"}); d.Allowed {
		t.Errorf("a breach report may go to the police: %+v", d)
	}
}
