package testkit

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"casework.dev/pkg/httpserver"
)

const probeSpec = `openapi: 3.1.0
info: {title: t, version: "1"}
security: [{bearer: []}]
paths:
  /things/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string, format: uuid}}]
    post:
      parameters: [{name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 9}}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [n]
              properties:
                n: {type: integer, minimum: 0}
                name: {type: string, maxLength: 10}
      responses:
        '200': {description: done}
        '4XX':
          description: a problem
          content:
            application/problem+json: {schema: {type: object, required: [type, title, status]}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
`

// probeHandler refuses everything as a problem, except for the defects planted by defect.
func probeHandler(defect func(w http.ResponseWriter, r *http.Request, body []byte) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if defect != nil && defect(w, r, body) {
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			httpserver.WriteProblem(w, r, httpserver.MethodNotAllowed("POST only"))
			return
		}
		switch r.Header.Get("Authorization") {
		case "":
			httpserver.WriteProblem(w, r, httpserver.Unauthenticated("no token"))
		case "Bearer no-role":
			httpserver.WriteProblem(w, r, httpserver.Forbidden("no role"))
		default:
			httpserver.WriteProblem(w, r, httpserver.Validation("refused"))
		}
	})
}

// probeWith probes the spec's one operation served by h and returns what it reported.
func probeWith(t *testing.T, h http.Handler) string {
	rec := &recorder{TB: t}
	c := NewContract(rec, []byte(probeSpec))
	srv := httptest.NewServer(c.Wrap(h))
	defer srv.Close()
	p := newProber(rec, ProbeTarget{URL: srv.URL, Contract: c, NoRole: "no-role"}, ProbeOptions{Seed: 7})
	for _, op := range c.probeOperations() {
		p.probe(rec, op, "officer")
	}
	return strings.Join(rec.errors, "\n")
}

// A service that refuses every hostile request as a problem passes the probe.
func TestProbePassesAServiceThatRefusesWithProblems(t *testing.T) {
	if got := probeWith(t, probeHandler(nil)); got != "" {
		t.Fatalf("the probe reported:\n%s", got)
	}
}

// Each kind of defect the probe exists for is reported, naming the request that found it.
func TestProbeReportsEachDefect(t *testing.T) {
	cases := []struct {
		name   string
		defect func(w http.ResponseWriter, r *http.Request, body []byte) bool
		want   []string
	}{
		{"a 500 for a number past int64", func(w http.ResponseWriter, _ *http.Request, body []byte) bool {
			if !bytes.Contains(body, []byte("9223372036854775808")) {
				return false
			}
			httpserver.WriteProblem(w, nil, httpserver.Internal())
			return true
		}, []string{"body: /n number 9223372036854775808: POST", "answered 500"}},
		{"a refusal that is not a problem", func(w http.ResponseWriter, _ *http.Request, body []byte) bool {
			if string(body) != "[]" {
				return false
			}
			http.Error(w, "bad", http.StatusBadRequest)
			return true
		}, []string{`body: JSON []: POST`, `answered 400 as "text/plain; charset=utf-8", not a problem`}},
		{"a problem whose status is not the answer's", func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			if !strings.Contains(r.URL.RawQuery, "limit=0") {
				return false
			}
			w.Header().Set("Content-Type", httpserver.ProblemContentType)
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"type":"about:blank","title":"Bad","status":422}`))
			return true
		}, []string{"query limit: one below minimum", "lacking a type URI, a title or its status"}},
		{"a success without a role", func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			if r.Header.Get("Authorization") != "Bearer no-role" {
				return false
			}
			w.WriteHeader(http.StatusOK)
			return true
		}, []string{"no role: the operation's example: POST", "answered 200 to a caller without a role"}},
		{"an undocumented status", func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
			if !strings.Contains(r.URL.Path, "%2F") && !strings.Contains(r.URL.RawPath, "%2F") {
				return false
			}
			w.WriteHeader(http.StatusMultipleChoices)
			return true
		}, []string{"status is not supported"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := probeWith(t, probeHandler(tc.defect))
			for _, want := range tc.want {
				if !strings.Contains(got, want) {
					t.Errorf("the probe did not report %q; it reported:\n%s", want, got)
				}
			}
		})
	}
}
