package service_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"casework.dev/pkg/testkit"
)

// Text the database cannot hold exactly as sent (U+0000, which PostgreSQL refuses in text
// and jsonb; invalid UTF-8 and unpaired surrogates, which Go's decoder turns into U+FFFD) is
// refused with a 400 naming the field, wherever it comes, and changes nothing.
func TestTextThatCannotBeStoredAsSentIsRefusedNamingTheField(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	id := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	valid := validBodyWith(func(map[string]any) {})
	const nulDetail = "contains U+0000 (NUL), which cannot be stored"
	const surrogateDetail = "contains an unpaired UTF-16 surrogate escape, which is no character and cannot be stored as sent"
	const utf8Detail = "is not valid UTF-8"

	cases := []struct {
		name, method, path, token string
		body                      any
		headers                   []string
		problem                   string
		field, detail             string // the one error's pointer (or "param:" and its name) and detail
	}{
		{name: "details with U+0000 (the reported example)", method: "POST", path: "/complaints", token: alice,
			body:    validBodyWith(func(m map[string]any) { m["details"] = "bins\u0000x" }),
			problem: "validation", field: "/details", detail: nulDetail},
		{name: "complainant name with U+0000", method: "POST", path: "/complaints", token: alice,
			body:    strings.Replace(valid, `"name":"Ada Lovelace"`, `"name":"Ada\u0000Lovelace"`, 1),
			problem: "validation", field: "/complainant/name", detail: nulDetail},
		{name: "details with an unpaired surrogate", method: "POST", path: "/complaints", token: alice,
			body:    strings.Replace(valid, `"details":"Bins`, `"details":"\ud800 Bins`, 1),
			problem: "validation", field: "/details", detail: surrogateDetail},
		{name: "details with invalid UTF-8", method: "POST", path: "/complaints", token: alice,
			body:    strings.Replace(valid, `"details":"Bins`, "\"details\":\"\xff Bins", 1),
			problem: "malformed-json", field: "/details", detail: utf8Detail},
		{name: "a member name with U+0000", method: "POST", path: "/complaints", token: alice,
			body:    strings.Replace(valid, `"channel":"web"`, `"channel":"web","x\u0000":1`, 1),
			problem: "validation", field: "/x\u0000", detail: nulDetail},
		{name: "Idempotency-Key with invalid UTF-8", method: "POST", path: "/complaints", token: alice, body: valid,
			headers: []string{"Idempotency-Key", "retry-\xff"},
			problem: "validation", field: "param:Idempotency-Key", detail: `header parameter "Idempotency-Key": ` + utf8Detail},
		{name: "a remedy with U+0000", method: "POST", path: "/complaints/" + id + "/respond", token: alice,
			body:    `{"outcome":"upheld","summary":"We will collect","remedies":["Collect the bins","Apologise\u0000"]}`,
			problem: "validation", field: "/remedies/1", detail: nulDetail},
		{name: "list filtered by a service with U+0000", method: "GET", path: "/complaints?service=bins%00x", token: alice,
			problem: "validation", field: "param:service", detail: `query parameter "service": ` + nulDetail},
		{name: "list filtered by an officer with invalid UTF-8", method: "GET", path: "/complaints?officer=al%FFce", token: alice,
			problem: "validation", field: "param:officer", detail: `query parameter "officer": ` + utf8Detail},
		{name: "disclosures of a person by an e-mail with U+0000", method: "GET", path: "/disclosures?email=ada%00@example.org",
			token: e.manager("mo"), problem: "validation", field: "param:email", detail: `query parameter "email": ` + nulDetail},
		{name: "consent withdrawn from a recipient with U+0000", method: "DELETE", path: "/complaints/" + id + "/consents/lgo%00",
			token: alice, problem: "validation", field: "param:recipient", detail: `path parameter "recipient": ` + nulDetail},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.TableCounts(t)
			r := e.Call(c.method, c.path, c.token, c.body, c.headers...)
			p := testkit.ProblemOf(t, r, http.StatusBadRequest, "https://casework.dev/problems/"+c.problem)
			errs, _ := p["errors"].([]any)
			if got := testkit.FieldPointers(p); len(got) != 1 || got[0] != c.field || errs[0].(map[string]any)["detail"] != c.detail {
				t.Fatalf("errors %v, want %q: %q", p["errors"], c.field, c.detail)
			}
			if after := e.TableCounts(t); !reflect.DeepEqual(before, after) {
				t.Fatalf("rows changed: before %v, after %v", before, after)
			}
		})
	}

	// The same requests with storable text go through, so each refusal above is about the text.
	e.Must(http.StatusCreated, "POST", "/complaints", alice, validBodyWith(func(m map[string]any) { m["details"] = "bins\\u0000x ✓" }),
		"Idempotency-Key", "retry-é")
	if got := e.Must(http.StatusOK, "GET", "/complaints/"+id, alice, nil)["details"]; got != aComplaint()["details"] {
		t.Fatalf("details now %q", got)
	}
	e.Must(http.StatusOK, "GET", "/complaints?service=waste&officer=alice", alice, nil)
}
