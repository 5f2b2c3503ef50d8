package httpserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf16"
)

// negotiationSpec answers JSON on success, or nothing at all (204), and problems on failure.
const negotiationSpec = `openapi: 3.1.0
info: {title: negotiation, version: "1"}
paths:
  /complaints:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object}}}}
        '4XX': {description: refused, content: {application/problem+json: {schema: {type: object}}}}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {summary: {type: string}}}
      responses:
        '201': {description: created, content: {application/json: {schema: {type: object}}}}
  /complaints/{id}/consents/{recipient}:
    delete:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: recipient, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: withdrawn}
        '4XX': {description: refused, content: {application/problem+json: {schema: {type: object}}}}
`

// negotiated serves r through the validator for negotiationSpec (as 3.0 and 3.1) in front
// of a handler that records whether it was reached.
func negotiated(t *testing.T, version string, r *http.Request) (*httptest.ResponseRecorder, bool) {
	t.Helper()
	v, err := NewOpenAPIValidator([]byte(strings.Replace(negotiationSpec, "3.1.0", version, 1)))
	if err != nil {
		t.Fatal(err)
	}
	reached := false
	rec := httptest.NewRecorder()
	v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		reached = true
		w.WriteHeader(http.StatusNoContent)
	})).ServeHTTP(rec, r)
	return rec, reached
}

// An Accept that admits none of an operation's answers is a 406 naming what it answers
// with, weighed by q as RFC 9110 section 12.5.1 says; one that admits any is served.
func TestOpenAPIValidatorAnswers406WhenAcceptAdmitsNoneOfTheOperationsAnswers(t *testing.T) {
	for _, version := range []string{"3.0.3", "3.1.0"} {
		t.Run(version, func(t *testing.T) {
			for _, accept := range []string{
				"application/xml",
				"text/html",
				"text/html, application/xhtml+xml, application/xml;q=0.9",
				"application/json;q=0, text/html",
				"*/*, application/json;q=0",
				"application/*;q=0",
			} {
				r := httptest.NewRequest(http.MethodGet, "/complaints", nil)
				r.Header.Set("Accept", accept)
				rec, reached := negotiated(t, version, r)
				p := readProblem(t, rec, http.StatusNotAcceptable, TypeNotAcceptable)
				if reached || fmt.Sprint(p.Extensions["acceptable"]) != "[application/json]" {
					t.Fatalf("Accept %q: reached %v, acceptable %v", accept, reached, p.Extensions["acceptable"])
				}
			}
			for _, c := range []struct{ method, target, accept string }{
				{http.MethodGet, "/complaints", "application/json"},
				{http.MethodGet, "/complaints", "Application/JSON; charset=utf-8"},
				{http.MethodHead, "/complaints", "application/json"},
				{http.MethodGet, "/complaints", "*/*"},
				{http.MethodGet, "/complaints", "text/html, */*;q=0.8"},
				{http.MethodGet, "/complaints", "text/html;q=0.9, application/*;q=0.1"},
				{http.MethodGet, "/complaints", ""},
				{http.MethodGet, "/complaints", "not a media range;;"},               // nothing parses: as if absent
				{http.MethodDelete, "/complaints/1/consents/lgo", "application/xml"}, // a 204 has no representation
			} {
				r := httptest.NewRequest(c.method, c.target, nil)
				r.Header.Set("Accept", c.accept)
				if rec, reached := negotiated(t, version, r); !reached {
					t.Errorf("%s %s Accept %q: %d %s", c.method, c.target, c.accept, rec.Code, rec.Body.String())
				}
			}
		})
	}
}

// JSON declared in a charset other than UTF-8 is refused 415, as DecodeJSON refuses it,
// whatever its bytes: never read as UTF-8, nor blamed on its form.
func TestOpenAPIValidatorRefusesJSONInAnotherCharsetWith415(t *testing.T) {
	utf16le := func(s string) string {
		var b strings.Builder
		for _, u := range utf16.Encode([]rune(s)) {
			b.WriteByte(byte(u))
			b.WriteByte(byte(u >> 8))
		}
		return b.String()
	}
	for _, version := range []string{"3.0.3", "3.1.0"} {
		for _, c := range []struct{ contentType, body string }{
			{"application/json; charset=utf-16", utf16le(`{"summary":"bins"}`)},
			{"application/json; charset=utf-16", `{"summary":"bins"}`},
			{"application/json; charset=iso-8859-1", `{"summary":"bins"}`},
			{"application/json; version=2", `{"summary":"bins"}`},
		} {
			r := httptest.NewRequest(http.MethodPost, "/complaints", strings.NewReader(c.body))
			r.Header.Set("Content-Type", c.contentType)
			rec, reached := negotiated(t, version, r)
			readProblem(t, rec, http.StatusUnsupportedMediaType, TypeUnsupportedMediaType)
			if reached {
				t.Fatalf("%s %q: the handler was reached", version, c.contentType)
			}
		}
		r := httptest.NewRequest(http.MethodPost, "/complaints", strings.NewReader(`{"summary":"bins"}`))
		r.Header.Set("Content-Type", "application/json; charset=UTF-8")
		if rec, reached := negotiated(t, version, r); !reached {
			t.Fatalf("%s charset=UTF-8: %d %s", version, rec.Code, rec.Body.String())
		}
	}
}
