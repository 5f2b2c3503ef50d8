package httpserver

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

type testContact struct {
	Email string `json:"email"`
	Phone string `json:"phone,omitempty"`
}

type testEmbedded struct {
	Source string `json:"source"`
}

type testComplaint struct {
	testEmbedded
	Summary  string            `json:"summary"`
	Channel  string            `json:"channel"`
	Contacts []testContact     `json:"contacts"`
	Meta     map[string]string `json:"meta"`
	Count    int               `json:"count"`
	Free     json.RawMessage   `json:"free"`
}

// decodeRec runs DecodeJSON behind Adapt, the way services use it.
func decodeRec(t *testing.T, r *http.Request, limit int64) (*httptest.ResponseRecorder, testComplaint) {
	t.Helper()
	var got testComplaint
	log, _ := newTestLogger()
	h := Adapt(func(w http.ResponseWriter, r *http.Request) error {
		if err := DecodeJSON(r, &got, limit); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}, nil, log)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec, got
}

func TestDecodeJSONAcceptsAValidBody(t *testing.T) {
	body := `{"source":"web","summary":"bins","channel":"web","contacts":[{"email":"a@b.c"}],"meta":{"k":"v"},"count":2,"free":{"x":[1,{"y":2}]}}`
	rec, got := decodeRec(t, jsonRequest(http.MethodPost, "/c", body), 0)
	if rec.Code != http.StatusNoContent {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	if got.Source != "web" || got.Summary != "bins" || len(got.Contacts) != 1 || got.Contacts[0].Email != "a@b.c" ||
		got.Meta["k"] != "v" || got.Count != 2 || string(got.Free) != `{"x":[1,{"y":2}]}` {
		t.Fatalf("decoded %+v", got)
	}
}

func TestDecodeJSONRefusals(t *testing.T) {
	cases := []struct {
		name    string
		body    string
		status  int
		typ     string
		pointer []string
	}{
		{"empty body", "", 400, TypeMalformedJSON, nil},
		{"whitespace body", " \n\t", 400, TypeMalformedJSON, nil},
		{"syntax error", `{"summary": "x",}`, 400, TypeMalformedJSON, nil},
		{"truncated", `{"summary": "x"`, 400, TypeMalformedJSON, nil},
		{"invalid utf-8", "{\"summary\": \"\xff\"}", 400, TypeMalformedJSON, nil},
		{"unknown top-level field", `{"summary":"x","priority":1}`, 400, TypeUnknownField, []string{"/priority"}},
		{"unknown field nested in array", `{"contacts":[{"email":"a"},{"email":"b","fax":"1"}]}`, 400, TypeUnknownField, []string{"/contacts/1/fax"}},
		{"duplicate top-level key", `{"summary":"a","channel":"web","summary":"b"}`, 400, TypeDuplicateKey, []string{"/summary"}},
		{"duplicate key in object in array", `{"contacts":[{"email":"a"},{"email":"b","phone":"1","email":"c"}]}`, 400, TypeDuplicateKey, []string{"/contacts/1/email"}},
		{"duplicate key in map", `{"meta":{"k":"1","j":"2","k":"3"}}`, 400, TypeDuplicateKey, []string{"/meta/k"}},
		{"duplicate key deep in raw message", `{"free":{"a":[{"b":{"c":1,"c":2}}]}}`, 400, TypeDuplicateKey, []string{"/free/a/0/b/c"}},
		{"duplicate key spelled with an escape", `{"summary":"a","\u0073ummary":"b"}`, 400, TypeDuplicateKey, []string{"/summary"}},
		{"duplicate key differing in case", `{"summary":"a","Summary":"b"}`, 400, TypeDuplicateKey, []string{"/Summary"}},
		{"pointer escapes ~ and /", `{"meta":{"a/b~c":"1","a/b~c":"2"}}`, 400, TypeDuplicateKey, []string{"/meta/a~1b~0c"}},
		{"trailing object", `{"summary":"a"}{"summary":"b"}`, 400, TypeTrailingData, nil},
		{"trailing garbage", `{"summary":"a"} x`, 400, TypeTrailingData, nil},
		{"wrong type", `{"contacts":[{"email":1}]}`, 400, TypeValidation, []string{"/contacts/0/email"}},
		{"number too large", `{"count":1e400}`, 400, TypeValidation, []string{"/count"}},
		{"array for object", `[]`, 400, TypeValidation, []string{""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, _ := decodeRec(t, jsonRequest(http.MethodPost, "/c", c.body), 0)
			p := readProblem(t, rec, c.status, c.typ)
			if c.pointer != nil {
				wantPointers(t, p, c.pointer...)
			}
		})
	}
}

func TestDecodeJSONReportsTheByteOffset(t *testing.T) {
	rec, _ := decodeRec(t, jsonRequest(http.MethodPost, "/c", `{"summary": "x",}`), 0)
	p := readProblem(t, rec, 400, TypeMalformedJSON)
	if p.Extensions["offset"] != float64(17) || !strings.Contains(p.Detail, "offset 17") {
		t.Fatalf("offset = %v, detail %q", p.Extensions["offset"], p.Detail)
	}
	rec, _ = decodeRec(t, jsonRequest(http.MethodPost, "/c", `{"summary":"a"}  {}`), 0)
	p = readProblem(t, rec, 400, TypeTrailingData)
	if p.Extensions["offset"] != float64(17) {
		t.Fatalf("trailing offset = %v", p.Extensions["offset"])
	}
}

func TestDecodeJSONBodyTooLarge(t *testing.T) {
	body := `{"summary":"` + strings.Repeat("x", 100) + `"}`
	// Length announced.
	rec, _ := decodeRec(t, jsonRequest(http.MethodPost, "/c", body), 64)
	p := readProblem(t, rec, http.StatusRequestEntityTooLarge, TypeBodyTooLarge)
	if p.Extensions["limit_bytes"] != float64(64) {
		t.Fatalf("limit_bytes = %v", p.Extensions["limit_bytes"])
	}
	// Length unknown (chunked): the reader stops at the limit.
	r := jsonRequest(http.MethodPost, "/c", "")
	r.Body = io.NopCloser(strings.NewReader(body))
	r.ContentLength = -1
	rec, _ = decodeRec(t, r, 64)
	readProblem(t, rec, http.StatusRequestEntityTooLarge, TypeBodyTooLarge)
	// Exactly at the limit is fine.
	rec, _ = decodeRec(t, jsonRequest(http.MethodPost, "/c", body), int64(len(body)))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("at the limit: %d %s", rec.Code, rec.Body.String())
	}
}

func TestDecodeJSONContentType(t *testing.T) {
	for ct, want := range map[string]int{
		"":                                  415,
		"text/plain":                        415,
		"application/x-www-form-urlencoded": 415,
		"application/json; charset=latin1":  415,
		"application/json; charset=UTF-8":   204,
		"application/json":                  204,
		"Application/JSON":                  204,
	} {
		r := httptest.NewRequest(http.MethodPost, "/c", strings.NewReader(`{"summary":"a"}`))
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		rec, _ := decodeRec(t, r, 0)
		if want == 415 {
			readProblem(t, rec, 415, TypeUnsupportedMediaType)
		} else if rec.Code != want {
			t.Fatalf("%q: status %d: %s", ct, rec.Code, rec.Body.String())
		}
	}
}

func TestDecodeJSONIntoAMapKeepsDuplicateDetection(t *testing.T) {
	var m map[string]any
	err := DecodeJSON(jsonRequest(http.MethodPost, "/", `{"a":[{"b":1},{"b":2,"b":3}]}`), &m, 0)
	p, ok := err.(*Problem)
	if !ok || p.Type != TypeDuplicateKey || p.Errors[0].Pointer != "/a/1/b" {
		t.Fatalf("err = %v", err)
	}
	if err := DecodeJSON(jsonRequest(http.MethodPost, "/", `{"a":[{"b":1},{"b":2}],"c":{"b":3}}`), &m, 0); err != nil {
		t.Fatalf("same name in sibling objects is not a duplicate: %v", err)
	}
}

func TestDecodeJSONNonPointerIsAProgrammingError(t *testing.T) {
	var m map[string]any
	err := DecodeJSON(jsonRequest(http.MethodPost, "/", `{}`), m, 0)
	if _, isProblem := err.(*Problem); err == nil || isProblem {
		t.Fatalf("err = %v, want a plain error (500)", err)
	}
}

func TestFindDuplicateKeyHandlesLargeObjects(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 1000 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"k` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strconv.Itoa(i) + `":1`)
	}
	b.WriteString(`,"k` + "a" + strconv.Itoa(0) + `":2}`)
	f := scanMembers([]byte(b.String()))
	if !f.duplicate || f.pointer != "/ka0" {
		t.Fatalf("dup=%v ptr=%q", f.duplicate, f.pointer)
	}
}

func TestDecodeJSONDeepNesting(t *testing.T) {
	tooDeep := `{"free":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}`
	rec, _ := decodeRec(t, jsonRequest(http.MethodPost, "/c", tooDeep), 0)
	readProblem(t, rec, 400, TypeMalformedJSON)

	deepDup := `{"free":` + strings.Repeat(`{"a":[`, 300) + `{"x":1,"x":2}` + strings.Repeat("]}", 300) + `}`
	rec, _ = decodeRec(t, jsonRequest(http.MethodPost, "/c", deepDup), 0)
	p := readProblem(t, rec, 400, TypeDuplicateKey)
	if want := "/free" + strings.Repeat("/a/0", 300) + "/x"; p.Errors[0].Pointer != want {
		t.Fatalf("pointer = %q", p.Errors[0].Pointer)
	}
}
