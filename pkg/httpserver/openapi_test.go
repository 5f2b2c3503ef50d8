package httpserver

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// testSpec is written once and served as OpenAPI 3.0.3 and 3.1.0: both must behave alike.
const testSpec = `openapi: 3.1.0
info:
  title: complaints test
  version: "1"
servers:
  - url: https://api.example.council/
security:
  - bearer: []
paths:
  /complaints:
    post:
      operationId: createComplaint
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/NewComplaint'
      responses:
        '201':
          description: created
  /complaints/{id}/acknowledge:
    post:
      operationId: acknowledge
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
            format: uuid
      responses:
        '200':
          description: ok
  /complaints/{id}:
    get:
      operationId: getComplaint
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
            format: uuid
        - name: limit
          in: query
          schema:
            type: integer
            minimum: 1
            maximum: 100
      responses:
        '200':
          description: ok
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
  schemas:
    NewComplaint:
      type: object
      additionalProperties: false
      required: [summary, channel]
      properties:
        summary:
          type: string
          minLength: 1
        channel:
          type: string
          enum: [web, phone, email, letter]
        contact:
          $ref: '#/components/schemas/Contact'
        tags:
          type: array
          items:
            type: string
    Contact:
      type: object
      required: [email]
      properties:
        email:
          type: string
          format: email
`

const validID = "6f1c1b7e-8d3c-4a55-9a43-1b2b7d9e0c11"

func specVersions(t *testing.T, run func(t *testing.T, spec string)) {
	for _, v := range []string{"3.0.3", "3.1.0"} {
		t.Run(v, func(t *testing.T) { run(t, strings.Replace(testSpec, "3.1.0", v, 1)) })
	}
}

// validated serves r through the validator in front of a handler that
// strictly decodes the body, echoing what it read.
func validated(t *testing.T, spec string, r *http.Request, opts ...ValidatorOption) *httptest.ResponseRecorder {
	t.Helper()
	v, err := NewOpenAPIValidator([]byte(spec), opts...)
	if err != nil {
		t.Fatal(err)
	}
	log, _ := newTestLogger()
	h := v.Middleware(Adapt(func(w http.ResponseWriter, r *http.Request) error {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			return WriteJSON(w, http.StatusOK, r.URL.Query().Get("limit"))
		}
		raw, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(raw)))
		var body map[string]any
		if err := DecodeJSON(r, &body, 0); err != nil {
			return err
		}
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(raw)
		return nil
	}, nil, log))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func TestOpenAPIValidatorPassesValidRequestsWithTheBodyIntact(t *testing.T) {
	specVersions(t, func(t *testing.T, spec string) {
		body := `{"summary":"bins not collected","channel":"web","contact":{"email":"a@b.example"},"tags":["waste"]}`
		rec := validated(t, spec, jsonRequest(http.MethodPost, "/complaints", body))
		if rec.Code != http.StatusCreated || rec.Body.String() != body {
			t.Fatalf("got %d %q, want 201 and the exact body", rec.Code, rec.Body.String())
		}
		rec = validated(t, spec, httptest.NewRequest(http.MethodGet, "/complaints/"+validID+"?limit=5", nil))
		if rec.Code != http.StatusOK || rec.Body.String() != "\"5\"\n" {
			t.Fatalf("GET = %d %s", rec.Code, rec.Body.String())
		}
	})
}

func TestOpenAPIValidatorAnswersDuplicateKeysLikeDecodeJSON(t *testing.T) {
	specVersions(t, func(t *testing.T, spec string) {
		rec := validated(t, spec, jsonRequest(http.MethodPost, "/complaints", `{"summary":"a","channel":"web","summary":"b"}`))
		p := readProblem(t, rec, http.StatusBadRequest, TypeDuplicateKey)
		wantPointers(t, p, "/summary")
	})
}

func TestOpenAPIValidatorRefusesABodyWhereTheOperationTakesNone(t *testing.T) {
	specVersions(t, func(t *testing.T, spec string) {
		path := "/complaints/" + validID + "/acknowledge"
		v, err := NewOpenAPIValidator([]byte(spec))
		if err != nil {
			t.Fatal(err)
		}
		reached := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
		for _, body := range []string{"", " \n", "{}", "{ }", "null"} {
			rec := httptest.NewRecorder()
			reached.ServeHTTP(rec, jsonRequest(http.MethodPost, path, body))
			if rec.Code != http.StatusNoContent {
				t.Fatalf("body %q: %d %s, want it passed to the handler", body, rec.Code, rec.Body.String())
			}
		}
		for _, c := range []struct{ body, contentType string }{
			{`{"reason":"x"}`, "application/json"},
			{`{"oops": ` + "\x00" + ` not json`, "application/json"},
			{`[]`, "application/json"},
			{`null`, "text/plain"},
			{`reason=x`, "application/x-www-form-urlencoded"},
		} {
			r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(c.body))
			r.Header.Set("Content-Type", c.contentType)
			p := readProblem(t, validated(t, spec, r), http.StatusBadRequest, TypeValidation)
			wantPointers(t, p, "")
		}
	})
}

func TestOpenAPIValidatorAnswersHEADWhereverGETIsAllowed(t *testing.T) {
	specVersions(t, func(t *testing.T, spec string) {
		rec := validated(t, spec, httptest.NewRequest(http.MethodHead, "/complaints/"+validID+"?limit=5", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("HEAD = %d %s, want 200", rec.Code, rec.Body.String())
		}
		// Its parameters are checked as GET's are.
		readProblem(t, validated(t, spec, httptest.NewRequest(http.MethodHead, "/complaints/"+validID+"?limit=0", nil)), http.StatusBadRequest, TypeValidation)
		// Where there is no GET there is no HEAD, and Allow says what there is.
		rec = validated(t, spec, httptest.NewRequest(http.MethodHead, "/complaints", nil))
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
			t.Fatalf("HEAD /complaints = %d Allow %q, want 405 Allow POST", rec.Code, rec.Header().Get("Allow"))
		}
		rec = validated(t, spec, httptest.NewRequest(http.MethodDelete, "/complaints/"+validID, nil))
		if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
			t.Fatalf("DELETE = %d Allow %q, want 405 Allow GET, HEAD", rec.Code, rec.Header().Get("Allow"))
		}
	})
}

func TestOpenAPIValidatorRefusesBodies(t *testing.T) {
	cases := []struct {
		name, body string
		pointers   []string
	}{
		{"missing required property", `{"channel":"web"}`, []string{"/summary"}},
		{"wrong enum value", `{"summary":"x","channel":"fax"}`, []string{"/channel"}},
		{"several at once, sorted", `{"channel":"fax","extra":1}`, []string{"/channel", "/extra", "/summary"}},
		{"nested required through $ref", `{"summary":"x","channel":"web","contact":{}}`, []string{"/contact/email"}},
		{"bad format", `{"summary":"x","channel":"web","contact":{"email":"nobody"}}`, []string{"/contact/email"}},
		{"array item type", `{"summary":"x","channel":"web","tags":["a",1]}`, []string{"/tags/1"}},
		{"too short", `{"summary":"","channel":"web"}`, []string{"/summary"}},
	}
	specVersions(t, func(t *testing.T, spec string) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				rec := validated(t, spec, jsonRequest(http.MethodPost, "/complaints", c.body))
				p := readProblem(t, rec, http.StatusBadRequest, TypeValidation)
				wantPointers(t, p, c.pointers...)
				for _, e := range p.Errors {
					if e.Detail == "" {
						t.Fatalf("empty detail in %+v", p.Errors)
					}
				}
			})
		}
	})
}

func TestOpenAPIValidatorDetailsAreShort(t *testing.T) {
	specVersions(t, func(t *testing.T, spec string) {
		rec := validated(t, spec, jsonRequest(http.MethodPost, "/complaints", `{"channel":"web","extra":1}`))
		p := readProblem(t, rec, http.StatusBadRequest, TypeValidation)
		if p.Errors[0].Detail != "is not allowed" || p.Errors[1].Detail != "is required" {
			t.Fatalf("details = %+v", p.Errors)
		}
	})
}

func TestOpenAPIValidatorRefusesParameters(t *testing.T) {
	specVersions(t, func(t *testing.T, spec string) {
		for target, param := range map[string]string{
			"/complaints/" + validID + "?limit=500": "limit",
			"/complaints/" + validID + "?limit=abc": "limit",
			"/complaints/not-a-uuid":                "id",
			// the first value valid, the second not: checking the first alone passed it
			"/complaints/" + validID + "?limit=5&limit=abc": "limit",
			"/complaints/" + validID + "?limit=5&limit=5":   "limit",
			// a misspelt or unknown parameter is not silently ignored
			"/complaints/" + validID + "?limt=5":         "limt",
			"/complaints/" + validID + "?limit=5&sort=x": "sort",
		} {
			rec := validated(t, spec, httptest.NewRequest(http.MethodGet, target, nil))
			p := readProblem(t, rec, http.StatusBadRequest, TypeValidation)
			if len(p.Errors) != 1 || p.Errors[0].Parameter != param || p.Errors[0].Pointer != "" {
				t.Fatalf("%s: errors %+v", target, p.Errors)
			}
			if param == "limt" && p.Errors[0].Detail != `query parameter "limt" is not one this operation takes` {
				t.Fatalf("%s: detail %q", target, p.Errors[0].Detail)
			}
			if strings.Contains(p.Errors[0].Detail, "^(?:") {
				t.Fatalf("regexp leaked into detail: %q", p.Errors[0].Detail)
			}
		}
	})
}

func TestOpenAPIValidatorTransportProblems(t *testing.T) {
	specVersions(t, func(t *testing.T, spec string) {
		readProblem(t, validated(t, spec, httptest.NewRequest(http.MethodGet, "/nowhere", nil)), 404, TypeNotFound)

		rec := validated(t, spec, httptest.NewRequest(http.MethodDelete, "/complaints", nil))
		readProblem(t, rec, 405, TypeMethodNotAllowed)
		if rec.Header().Get("Allow") != "POST" {
			t.Fatalf("Allow = %q", rec.Header().Get("Allow"))
		}

		r := httptest.NewRequest(http.MethodPost, "/complaints", strings.NewReader(`summary=x`))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		readProblem(t, validated(t, spec, r), 415, TypeUnsupportedMediaType)

		readProblem(t, validated(t, spec, jsonRequest(http.MethodPost, "/complaints", `{"summary":`)), 400, TypeMalformedJSON)

		p := readProblem(t, validated(t, spec, jsonRequest(http.MethodPost, "/complaints", "")), 400, TypeValidation)
		if len(p.Errors) != 1 || p.Errors[0].Detail != "a request body is required" {
			t.Fatalf("errors = %+v", p.Errors)
		}

		big := `{"summary":"` + strings.Repeat("x", 200) + `","channel":"web"}`
		readProblem(t, validated(t, spec, jsonRequest(http.MethodPost, "/complaints", big), WithMaxBodyBytes(64)), 413, TypeBodyTooLarge)
	})
}

const spec31Only = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /notes:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [kind, note]
              properties:
                kind: {const: complaint}
                note: {type: [string, "null"]}
      responses:
        '204': {description: ok}
`

func TestOpenAPI31KeywordsAreEnforced(t *testing.T) {
	rec := validated(t, spec31Only, jsonRequest(http.MethodPost, "/notes", `{"kind":"complaint","note":null}`))
	if rec.Code != http.StatusCreated {
		t.Fatalf("null allowed by a type array: got %d %s", rec.Code, rec.Body.String())
	}
	p := readProblem(t, validated(t, spec31Only, jsonRequest(http.MethodPost, "/notes", `{"kind":"other","note":1}`)), 400, TypeValidation)
	wantPointers(t, p, "/kind", "/note")
}

func TestNewOpenAPIValidatorRefusesBrokenSpecs(t *testing.T) {
	for _, spec := range []string{"not: [yaml", `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /x:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
`} {
		if _, err := NewOpenAPIValidator([]byte(spec)); err == nil {
			t.Errorf("accepted %q", spec)
		}
	}
}

func TestServeSpec(t *testing.T) {
	h := ServeSpec([]byte(testSpec))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.yaml", nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/yaml" || rec.Body.String() != testSpec {
		t.Fatalf("GET = %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	etag := rec.Header().Get("ETag")
	r := httptest.NewRequest(http.MethodGet, "/openapi.yaml", nil)
	r.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Fatalf("revalidation = %d", rec.Code)
	}
	// If-None-Match compares weakly, takes a list, and "*" (RFC 9110 §13.1.2); another
	// tag, or none, gets the document.
	for header, want := range map[string]int{
		"W/" + etag: http.StatusNotModified, `"other", ` + etag: http.StatusNotModified, "*": http.StatusNotModified,
		`"other"`: http.StatusOK, `W/"other"`: http.StatusOK, "": http.StatusOK,
	} {
		r := httptest.NewRequest(http.MethodGet, "/openapi.yaml", nil)
		r.Header.Set("If-None-Match", header)
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != want || (want == http.StatusOK) != (rec.Body.String() == testSpec) {
			t.Errorf("If-None-Match %q = %d with %d bytes, want %d", header, rec.Code, rec.Body.Len(), want)
		}
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "/openapi.yaml", nil))
	if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag {
		t.Errorf("HEAD = %d with %d bytes", rec.Code, rec.Body.Len())
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/openapi.yaml", nil))
	readProblem(t, rec, 405, TypeMethodNotAllowed)

	rec = httptest.NewRecorder()
	ServeSpec([]byte(`{"openapi":"3.1.0"}`)).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
	if rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("JSON spec served as %q", rec.Header().Get("Content-Type"))
	}
}
