package service_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// countedTables are every table a request could write to.
var countedTables = []string{"complaints", "complaint_personal_data", "complaint_deadlines", "complaint_consents",
	"audit_log", "watermill_outbox", "disclosure_log", "idempotency_keys"}

// tableCounts snapshots the row count of each counted table.
func (e *env) tableCounts(t *testing.T) map[string]int {
	t.Helper()
	counts := make(map[string]int, len(countedTables))
	for _, table := range countedTables {
		var n int
		if err := e.DB.Get(&n, `SELECT count(*) FROM `+table); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		counts[table] = n
	}
	return counts
}

// problemOf checks that r is an RFC 9457 problem of the given status and type.
func problemOf(t *testing.T, r testkit.Response, status int, typ string) map[string]any {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != httpserver.ProblemContentType {
		t.Fatalf("Content-Type %q, want %q: %s", ct, httpserver.ProblemContentType, r.Body)
	}
	p := r.JSON(t)
	if p["type"] != typ || p["status"] != float64(status) {
		t.Fatalf("problem type %v status %v, want %s %d: %s", p["type"], p["status"], typ, status, r.Body)
	}
	return p
}

// fieldPointers lists the pointers (or parameter names) of a problem's errors.
func fieldPointers(p map[string]any) []string {
	errs, _ := p["errors"].([]any)
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		m := e.(map[string]any)
		if param, ok := m["parameter"].(string); ok {
			out = append(out, "param:"+param)
			continue
		}
		out = append(out, fmt.Sprint(m["pointer"]))
	}
	return out
}

func validBodyWith(edit func(m map[string]any)) string {
	m := aComplaint()
	edit(m)
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestBadInputIsRefusedWithAProblemAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	logged := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	acked := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+acked+"/acknowledge", alice, nil)
	valid := validBodyWith(func(map[string]any) {})
	tomorrow := e.Clock.Now().Add(24 * time.Hour).Format(time.RFC3339)
	const unknownID = "0195c3d2-7a3b-7c4d-8e5f-0a1b2c3d4e5f"

	cases := []struct {
		name, method, path string
		body               any // string: sent as is; nil: no body
		headers            []string
		status             int
		problem            string   // the last path segment of the problem type
		pointers           []string // the problem's error pointers, in order; nil: not checked
		check              func(t *testing.T, r testkit.Response, p map[string]any)
	}{
		{name: "malformed JSON", method: "POST", path: "/complaints", body: `{"details": "x",`,
			status: 400, problem: "malformed-json"},
		{name: "malformed JSON, not an object", method: "POST", path: "/complaints", body: `{details: x}`,
			status: 400, problem: "malformed-json"},
		{name: "unknown field at the top", method: "POST", path: "/complaints",
			body:   validBodyWith(func(m map[string]any) { m["priority"] = "high" }),
			status: 400, problem: "validation", pointers: []string{"/priority"}},
		{name: "unknown field in complainant", method: "POST", path: "/complaints",
			body: validBodyWith(func(m map[string]any) {
				m["complainant"].(map[string]any)["date_of_birth"] = "1815-12-10"
			}),
			status: 400, problem: "validation", pointers: []string{"/complainant/date_of_birth"}},
		{name: "duplicate key at the top", method: "POST", path: "/complaints",
			body:   strings.Replace(valid, `"service":"waste"`, `"service":"waste","service":"parking"`, 1),
			status: 400, problem: "duplicate-key", pointers: []string{"/service"}},
		{name: "duplicate key in complainant", method: "POST", path: "/complaints",
			body:   strings.Replace(valid, `"name":"Ada Lovelace"`, `"name":"Ada Lovelace","name":"Charles Babbage"`, 1),
			status: 400, problem: "duplicate-key", pointers: []string{"/complainant/name"}},
		{name: "duplicate key whose first value breaks the schema", method: "POST", path: "/complaints",
			body:   strings.Replace(valid, `"channel":"web"`, `"channel":"fax","channel":"web"`, 1),
			status: 400, problem: "duplicate-key", pointers: []string{"/channel"}},
		{name: "duplicate key whose last value breaks the schema", method: "POST", path: "/complaints",
			body:   strings.Replace(valid, `"channel":"web"`, `"channel":"web","channel":"fax"`, 1),
			status: 400, problem: "duplicate-key", pointers: []string{"/channel"}},
		{name: "duplicate key differing only in case", method: "POST", path: "/complaints",
			body:   strings.Replace(valid, `"service":"waste"`, `"service":"waste","Service":"waste"`, 1),
			status: 400, problem: "duplicate-key", pointers: []string{"/Service"}},
		{name: "trailing data", method: "POST", path: "/complaints", body: valid + ` {"again": true}`,
			status: 400, problem: "trailing-data"},
		{name: "trailing second object, same content", method: "POST", path: "/complaints", body: valid + valid,
			status: 400, problem: "trailing-data"},
		{name: "empty body", method: "POST", path: "/complaints", body: "",
			status: 400, problem: "validation", pointers: []string{""}},
		{name: "wrong content type", method: "POST", path: "/complaints", body: valid,
			headers: []string{"Content-Type", "text/plain"}, status: 415, problem: "unsupported-media-type"},
		{name: "body over 64 KiB", method: "POST", path: "/complaints",
			body:   validBodyWith(func(m map[string]any) { m["details"] = strings.Repeat("x", 64<<10) }),
			status: 413, problem: "body-too-large",
			check: func(t *testing.T, _ testkit.Response, p map[string]any) {
				if p["limit_bytes"] != float64(64<<10) {
					t.Fatalf("limit_bytes %v", p["limit_bytes"])
				}
			}},
		{name: "respond before acknowledge", method: "POST", path: "/complaints/" + logged + "/respond",
			body:   `{"outcome":"upheld","summary":"Fault found."}`,
			status: 409, problem: "illegal-transition",
			check: func(t *testing.T, _ testkit.Response, p map[string]any) {
				if !reflect.DeepEqual(p["allowed_actions"], []any{"acknowledge", "close"}) || p["complaint_status"] != "stage1_received" {
					t.Fatalf("allowed_actions %v, complaint_status %v", p["allowed_actions"], p["complaint_status"])
				}
				if p["detail"] != "cannot respond a complaint that is stage1_received; allowed now: acknowledge, close" {
					t.Fatalf("detail %v", p["detail"])
				}
			}},
		{name: "extension of 11 working days at stage 1", method: "POST", path: "/complaints/" + acked + "/extend",
			body:   `{"working_days":11,"reason":"Waiting for the contractor's records."}`,
			status: 400, problem: "validation", pointers: []string{"/working_days"},
			check: func(t *testing.T, _ testkit.Response, p map[string]any) {
				detail := p["errors"].([]any)[0].(map[string]any)["detail"]
				if detail != "a stage 1 extension is 1 to 10 working days" {
					t.Fatalf("detail %v", detail)
				}
			}},
		{name: "extension of 21 working days (contract maximum)", method: "POST", path: "/complaints/" + acked + "/extend",
			body:   `{"working_days":21,"reason":"x"}`,
			status: 400, problem: "validation", pointers: []string{"/working_days"}},
		{name: "unknown complaint id", method: "GET", path: "/complaints/" + unknownID,
			status: 404, problem: "not-found"},
		{name: "unknown complaint id, action", method: "POST", path: "/complaints/" + unknownID + "/acknowledge",
			status: 404, problem: "not-found"},
		{name: "id that is not a UUID", method: "GET", path: "/complaints/CMP-2026-000001",
			status: 400, problem: "validation", pointers: []string{"param:id"}},
		{name: "wrong enum value", method: "POST", path: "/complaints/" + acked + "/respond",
			body:   `{"outcome":"maybe","summary":"Perhaps."}`,
			status: 400, problem: "validation", pointers: []string{"/outcome"}},
		{name: "missing required property", method: "POST", path: "/complaints",
			body:   validBodyWith(func(m map[string]any) { delete(m, "details") }),
			status: 400, problem: "validation", pointers: []string{"/details"}},
		{name: "missing complainant name", method: "POST", path: "/complaints",
			body:   validBodyWith(func(m map[string]any) { delete(m["complainant"].(map[string]any), "name") }),
			status: 400, problem: "validation", pointers: []string{"/complainant/name"}},
		{name: "bad e-mail", method: "POST", path: "/complaints",
			body:   validBodyWith(func(m map[string]any) { m["complainant"].(map[string]any)["email"] = "ada at example.org" }),
			status: 400, problem: "validation", pointers: []string{"/complainant/email"}},
		{name: "wrong JSON type", method: "POST", path: "/complaints",
			body:   validBodyWith(func(m map[string]any) { m["anonymity_requested"] = "yes" }),
			status: 400, problem: "validation", pointers: []string{"/anonymity_requested"}},
		{name: "received in the future", method: "POST", path: "/complaints",
			body:   validBodyWith(func(m map[string]any) { m["received_at"] = tomorrow }),
			status: 400, problem: "validation", pointers: []string{"/received_at"}},
		{name: "consent to a recipient the notice does not name", method: "POST", path: "/complaints",
			body:   validBodyWith(func(m map[string]any) { m["consent_to"] = []string{"the-daily-gazette"} }),
			status: 400, problem: "validation", pointers: []string{"/consent_to/0"}},
		{name: "method not allowed on the collection", method: "DELETE", path: "/complaints",
			status: 405, problem: "method-not-allowed",
			check: func(t *testing.T, r testkit.Response, _ map[string]any) {
				if r.Header.Get("Allow") != "GET, POST" {
					t.Fatalf("Allow %q", r.Header.Get("Allow"))
				}
			}},
		{name: "method not allowed on a complaint", method: "PATCH", path: "/complaints/" + logged, body: `{}`,
			status: 405, problem: "method-not-allowed",
			check: func(t *testing.T, r testkit.Response, _ map[string]any) {
				if r.Header.Get("Allow") != "GET" {
					t.Fatalf("Allow %q", r.Header.Get("Allow"))
				}
			}},
		{name: "unknown path under complaints", method: "GET", path: "/complaints/" + logged + "/attachments",
			status: 404, problem: "not-found"},
		{name: "unknown path", method: "GET", path: "/complaint-forms", status: 404, problem: "not-found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.tableCounts(t)
			r := e.Call(c.method, c.path, alice, c.body, c.headers...)
			p := problemOf(t, r, c.status, "https://casework.dev/problems/"+c.problem)
			if c.pointers != nil {
				if got := fieldPointers(p); !reflect.DeepEqual(got, c.pointers) {
					t.Fatalf("pointers %q, want %q: %s", got, c.pointers, r.Body)
				}
			}
			if c.check != nil {
				c.check(t, r, p)
			}
			if after := e.tableCounts(t); !reflect.DeepEqual(before, after) {
				t.Fatalf("the database changed:\nbefore %v\n after %v", before, after)
			}
		})
	}
}
