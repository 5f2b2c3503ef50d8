package service_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"casework.dev/pkg/httpserver"
)

// rowCounts snapshots the row count of every table a request could write to.
func (e *env) rowCounts() map[string]int {
	e.T.Helper()
	counts := map[string]int{}
	for _, table := range []string{"investigations", "audit_log", "watermill_outbox", "disclosure_log"} {
		var n int
		if err := e.DB.Get(&n, `SELECT count(*) FROM `+table); err != nil {
			e.T.Fatalf("count %s: %v", table, err)
		}
		counts[table] = n
	}
	return counts
}

// Text the database cannot hold exactly as sent is refused with a 400 naming the field,
// wherever it comes, and changes nothing.
func TestTextThatCannotBeStoredAsSentIsRefusedNamingTheField(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f := e.openCase(olive, "noise", "", nil)
	open := func(edit func(body map[string]any)) string {
		body := map[string]any{"area": "noise", "channel": "web", "people": []any{reporter, subject}, "matter": matter}
		edit(body)
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}
	const nulDetail = "contains U+0000 (NUL), which cannot be stored"

	cases := []struct {
		name, method, path string
		body               any
		headers            []string
		problem            string
		field, detail      string // pointer, or the parameter's name
	}{
		{name: "matter summary with U+0000", method: "POST", path: "/investigations",
			body: open(func(b map[string]any) {
				b["matter"] = map[string]any{"summary": "Loud music\u0000every night", "locations": []any{"Mill Lane"}}
			}),
			problem: httpserver.TypeValidation, field: "/matter/summary", detail: nulDetail},
		{name: "a person's name with an unpaired surrogate", method: "POST", path: "/investigations",
			body:    strings.Replace(open(func(map[string]any) {}), `"name":"Sam Subject"`, `"name":"Sam \udc00Subject"`, 1),
			problem: httpserver.TypeValidation, field: "/people/1/name",
			detail: "contains an unpaired UTF-16 surrogate escape, which is no character and cannot be stored as sent"},
		{name: "a location with invalid UTF-8", method: "POST", path: "/investigations",
			body:    strings.Replace(open(func(map[string]any) {}), `"Mill Lane, Maidstone"`, "\"Mill Lane\xc0, Maidstone\"", 1),
			problem: httpserver.TypeMalformedJSON, field: "/matter/locations/0", detail: "is not valid UTF-8"},
		{name: "Idempotency-Key with invalid UTF-8", method: "POST", path: "/investigations", body: open(func(map[string]any) {}),
			headers: []string{"Idempotency-Key", "k-\xfe"}, problem: httpserver.TypeValidation, field: "Idempotency-Key",
			detail: `header parameter "Idempotency-Key": is not valid UTF-8`},
		{name: "list continued after a reference with U+0000", method: "GET", path: "/investigations?after=INV%00",
			problem: httpserver.TypeValidation, field: "after", detail: `query parameter "after": ` + nulDetail},
		{name: "a person added with U+0000 in the address", method: "POST", path: "/investigations/" + f.id + "/people",
			body:    `{"role":"witness","name":"Will Witness","address":"7 Mill Lane\u0000"}`,
			problem: httpserver.TypeValidation, field: "/address", detail: nulDetail},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.rowCounts()
			r := e.Call(c.method, c.path, olive, c.body, c.headers...)
			if r.Status != http.StatusBadRequest || r.Header.Get("Content-Type") != httpserver.ProblemContentType {
				t.Fatalf("%d %s: %s", r.Status, r.Header.Get("Content-Type"), r.Body)
			}
			var p httpserver.Problem
			if err := json.Unmarshal(r.Body, &p); err != nil {
				t.Fatal(err)
			}
			field := p.Type
			if len(p.Errors) == 1 {
				field = p.Errors[0].Pointer + p.Errors[0].Parameter
			}
			if p.Type != c.problem || len(p.Errors) != 1 || field != c.field || p.Errors[0].Detail != c.detail {
				t.Fatalf("problem %s %+v, want %s at %q: %q", p.Type, p.Errors, c.problem, c.field, c.detail)
			}
			if after := e.rowCounts(); !reflect.DeepEqual(before, after) {
				t.Fatalf("rows changed: before %v, after %v", before, after)
			}
		})
	}

	// Storable text goes through.
	e.Must(http.StatusCreated, "POST", "/investigations", olive, open(func(b map[string]any) {
		b["matter"] = map[string]any{"summary": `Loud music \u0000 “every” night`, "locations": []any{"Mill Lane"}}
	}), "Idempotency-Key", "k-é")
	e.Must(http.StatusOK, "GET", "/investigations?after=INV-2026-000001", olive, nil)
}
