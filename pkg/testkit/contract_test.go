package testkit

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const tinySpec = `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /things/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get:
      responses:
        '200':
          description: a thing
          content:
            application/json:
              schema: {type: object, additionalProperties: false, required: [id, at], properties: {id: {type: string}, at: {type: [string, 'null'], format: date-time}}}
        '4XX':
          description: a problem
          content:
            application/problem+json: {schema: {type: object, required: [status], properties: {status: {type: integer}}}}
`

// recorder stands in for a test, to see what the contract reports.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Helper() {}

// The contract check fails exactly the answers the document does not describe.
func TestContractCatchesWhatTheDocumentDoesNotSay(t *testing.T) {
	for _, tc := range []struct {
		name, path, contentType, body string
		status                        int
		want                          string // empty: valid
	}{
		{"valid", "/things/1", "application/json", `{"id":"1","at":null}`, 200, ""},
		{"valid problem", "/things/1", "application/problem+json", `{"status":404}`, 404, ""},
		{"undocumented field", "/things/1", "application/json", `{"id":"1","at":null,"name":"Jo"}`, 200, "name"},
		{"missing field", "/things/1", "application/json", `{"id":"1"}`, 200, "at"},
		{"wrong type", "/things/1", "application/json", `{"id":1,"at":null}`, 200, "id"},
		{"undocumented status", "/things/1", "application/json", `{"id":"1","at":null}`, 201, "status is not supported"},
		{"problem as plain text", "/things/1", "text/plain", `not found`, 404, "Content-Type"},
		{"no such operation", "/other", "application/json", `{}`, 200, "no such operation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			c := NewContract(rec, []byte(tinySpec))
			h := c.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest("GET", tc.path, nil))
			if w.Code != tc.status || w.Body.String() != tc.body {
				t.Fatalf("the wrapped answer changed: %d %s", w.Code, w.Body)
			}
			got := strings.Join(rec.errors, "\n")
			if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Fatalf("reported %q, want %q", got, tc.want)
			}
			if tc.want == "" && !strings.Contains(c.Summary(), "GET /things/{id}: ["+fmt.Sprint(tc.status)+"]") {
				t.Fatalf("summary %s", c.Summary())
			}
		})
	}
}

// A handler that answers while it still reads its request (a streamed upload's report)
// gets full duplex on the real connection through the contract's buffer.
func TestContractPassesFullDuplexThrough(t *testing.T) {
	c := NewContract(t, []byte(tinySpec))
	srv := httptest.NewServer(c.Wrap(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if err := http.NewResponseController(w).EnableFullDuplex(); err != nil {
			w.WriteHeader(500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"1","at":null}`))
	})))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/things/1")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d, want 200: full duplex refused", res.StatusCode)
	}
}
