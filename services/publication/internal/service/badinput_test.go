package service_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestBadInputIsRefusedAndChangesNothing: every malformed, invalid, unauthorised or
// out-of-order request gets an RFC 9457 problem with the exact status, and leaves the
// decisions, their audit trails and the outbox as they were.
func TestBadInputIsRefusedAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	e.disclose("0195f3a0-0000-7000-8000-000000000801", "", aConviction())
	id := e.waitForDecisions(1)[0]
	path := "/decisions/" + id
	officer, manager := e.officer("olive"), e.manager("maria")
	with := func(change func(d map[string]any)) map[string]any {
		d := aDraft()
		change(d)
		return d
	}
	manual := func(change func(c map[string]any)) map[string]any {
		c := aConviction()
		change(c)
		return map[string]any{"team": "licensing", "conviction": c}
	}
	cases := []struct {
		name, method, path, token string
		body                      any
		status                    int
		problem                   string // problem type suffix
	}{
		{"no token", "POST", path + "/draft", "", aDraft(), 401, "unauthenticated"},
		{"a role of another service", "GET", "/decisions", e.Token("nora", "complaints_officer"), nil, 403, "forbidden"},
		{"an officer approving", "POST", path + "/approve", officer, nil, 403, "forbidden"},
		{"not JSON", "POST", path + "/draft", officer, `{"factors":`, 400, "malformed-json"},
		{"duplicate key", "POST", path + "/send-back", manager, `{"reason":"a","reason":"b"}`, 400, "duplicate-key"},
		{"trailing data", "POST", path + "/send-back", manager, `{"reason":"a"} {}`, 400, "trailing-data"},
		{"unknown field", "POST", path + "/draft", officer, with(func(d map[string]any) { d["publish_photo"] = true }), 400, "validation"},
		{"a factor missing", "POST", path + "/draft", officer, with(func(d map[string]any) {
			delete(d["factors"].(map[string]any), "publicity")
		}), 400, "validation"},
		{"a rating not on the scale", "POST", path + "/draft", officer, with(func(d map[string]any) {
			d["factors"].(map[string]any)["significance"] = map[string]any{"rating": "huge", "reason": "x"}
		}), 400, "validation"},
		{"a factor without a reason", "POST", path + "/draft", officer, with(func(d map[string]any) {
			d["factors"].(map[string]any)["frequency"] = map[string]any{"rating": "low", "reason": "   "}
		}), 400, "validation"},
		{"an unknown outcome", "POST", path + "/draft", officer, with(func(d map[string]any) { d["outcome"] = "publish_everywhere" }), 400, "validation"},
		{"custody without a term", "POST", path + "/draft", officer, with(func(d map[string]any) {
			d["sentence"] = map[string]any{"type": "custody", "ends_on": "2026-09-01"}
		}), 400, "validation"},
		{"a term in hours", "POST", path + "/draft", officer, with(func(d map[string]any) {
			d["sentence"] = map[string]any{"type": "custody", "term": "72h", "ends_on": "2026-09-01"}
		}), 400, "validation"},
		{"a term past any date (it overflowed into the 12-month band)", "POST", path + "/draft", officer, with(func(d map[string]any) {
			d["sentence"] = map[string]any{"type": "custody", "term": "999999999999999999d", "ends_on": "2026-09-01"}
		}), 400, "validation"},
		{"a term over 100 years", "POST", path + "/draft", officer, with(func(d map[string]any) {
			d["sentence"] = map[string]any{"type": "custody", "term": "100y1m", "ends_on": "2026-09-01"}
		}), 400, "validation"},
		{"publishing found disproportionate", "POST", path + "/draft", officer, with(func(d map[string]any) {
			d["proportionality"] = map[string]any{"proportionate": false, "conclusion": "Too harsh."}
		}), 400, "validation"},
		{"an impossible date", "POST", "/decisions", officer, manual(func(c map[string]any) { c["date"] = "2026-02-30" }), 400, "validation"},
		{"a conviction in the future", "POST", "/decisions", officer, manual(func(c map[string]any) { c["date"] = "2026-03-03" }), 400, "validation"},
		{"a conviction without a court", "POST", "/decisions", officer, manual(func(c map[string]any) { delete(c, "court") }), 400, "validation"},
		{"an unknown team", "POST", "/decisions", officer, map[string]any{"team": "parking", "conviction": aConviction()}, 400, "validation"},
		{"an id that is not a UUID", "GET", "/decisions/not-a-uuid", officer, nil, 400, "validation"},
		{"no such decision", "POST", "/decisions/0195f3a0-0000-7000-8000-00000000ffff/draft", officer, aDraft(), 404, "not-found"},
		{"approving before a draft", "POST", path + "/approve", manager, nil, 409, "illegal-transition"},
		{"taking down what is not published", "POST", path + "/takedown", manager, map[string]any{"reason": "x"}, 409, "illegal-transition"},
		{"an appeal decided before the conviction", "POST", path + "/appeal", officer, map[string]any{"decided_on": "2026-01-01", "court": "Crown Court"}, 400, "validation"},
		{"an empty reason", "POST", path + "/send-back", manager, map[string]any{"reason": ""}, 400, "validation"},
		{"a listing limit out of range", "GET", "/decisions?limit=0", officer, nil, 400, "validation"},
		{"a listing cursor that is no reference", "GET", "/decisions?after=garbage", officer, nil, 400, "validation"},
	}
	snapshot := func() string {
		var parts []string
		for _, q := range []string{`SELECT count(*) FROM publication_decisions`, `SELECT count(*) FROM publication_personal_data WHERE draft IS NOT NULL`,
			`SELECT count(*) FROM audit_log WHERE action <> 'decision.read'`, `SELECT count(*) FROM watermill_outbox`, `SELECT sum(version) FROM publication_decisions`} {
			parts = append(parts, fmt.Sprintf("%s = %d", q, e.Count(q)))
		}
		return strings.Join(parts, "; ")
	}
	before := snapshot()
	for _, tc := range cases {
		r := e.Call(tc.method, tc.path, tc.token, tc.body)
		if r.Status != tc.status || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s %s, want %d problem+json", tc.name, r.Status, r.Header.Get("Content-Type"), r.Body, tc.status)
			continue
		}
		p := r.JSON(t)
		if typ, _ := p["type"].(string); !strings.HasSuffix(typ, "/"+tc.problem) {
			t.Errorf("%s: problem type %v, want .../%s (%s)", tc.name, p["type"], tc.problem, r.Body)
		}
	}
	if after := snapshot(); after != before {
		t.Errorf("bad input changed something:\n before %s\n after  %s", before, after)
	}
}
