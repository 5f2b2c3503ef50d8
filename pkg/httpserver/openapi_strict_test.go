package httpserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// validatedOnly serves r through the validator in front of a handler that
// does not decode the body, so every refusal is the validator's own.
func validatedOnly(t *testing.T, spec string, r *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	v, err := NewOpenAPIValidator([]byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})).ServeHTTP(rec, r)
	return rec
}

// A schema validator reads a repeated key as "last one wins": the validator
// must refuse the repetition itself, before the schema has a say.
func TestOpenAPIValidatorAppliesDecodeJSONSyntaxRulesBeforeTheSchema(t *testing.T) {
	cases := []struct {
		name, body, typ string
		pointers        []string
	}{
		{"duplicate key, schema would pass", `{"summary":"a","channel":"web","summary":"b"}`, TypeDuplicateKey, []string{"/summary"}},
		{"duplicate key, first value breaks the schema", `{"summary":"a","channel":"fax","channel":"web"}`, TypeDuplicateKey, []string{"/channel"}},
		{"duplicate key, last value breaks the schema", `{"summary":"a","channel":"web","channel":"fax"}`, TypeDuplicateKey, []string{"/channel"}},
		{"duplicate key, required member missing", `{"channel":"web","channel":"web"}`, TypeDuplicateKey, []string{"/channel"}},
		{"duplicate key nested", `{"summary":"a","channel":"web","contact":{"email":"a@b.example","email":"nobody"}}`, TypeDuplicateKey, []string{"/contact/email"}},
		{"duplicate key differing in case", `{"summary":"a","channel":"web","Summary":"b"}`, TypeDuplicateKey, []string{"/Summary"}},
		{"trailing data", `{"summary":"a","channel":"web"} {}`, TypeTrailingData, nil},
		{"invalid UTF-8", "{\"summary\":\"a\xff\",\"channel\":\"web\"}", TypeMalformedJSON, nil},
		{"whitespace only", "  \n", TypeMalformedJSON, nil},
	}
	specVersions(t, func(t *testing.T, spec string) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p := readProblem(t, validatedOnly(t, spec, jsonRequest(http.MethodPost, "/complaints", c.body)), 400, c.typ)
				if c.pointers != nil {
					wantPointers(t, p, c.pointers...)
				}
			})
		}
	})
}

func TestOpenAPIValidatorSyntaxRulesLeaveOtherAnswersAlone(t *testing.T) {
	specVersions(t, func(t *testing.T, spec string) {
		// A media type the operation does not take is still 415, whatever the bytes.
		r := httptest.NewRequest(http.MethodPost, "/complaints", strings.NewReader(`{"a":1,"a":2}`))
		r.Header.Set("Content-Type", "text/plain")
		readProblem(t, validatedOnly(t, spec, r), 415, TypeUnsupportedMediaType)
		// An empty body is still "a request body is required".
		p := readProblem(t, validatedOnly(t, spec, jsonRequest(http.MethodPost, "/complaints", "")), 400, TypeValidation)
		if len(p.Errors) != 1 || p.Errors[0].Detail != "a request body is required" {
			t.Fatalf("errors = %+v", p.Errors)
		}
		// A clean body reaches the handler.
		rec := validatedOnly(t, spec, jsonRequest(http.MethodPost, "/complaints", `{"summary":"a","channel":"web"}`))
		if rec.Code != http.StatusCreated {
			t.Fatalf("clean body: %d %s", rec.Code, rec.Body.String())
		}
	})
}
