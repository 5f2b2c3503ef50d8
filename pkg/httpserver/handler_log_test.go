package httpserver

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A refusal's words may quote what the caller sent, and the caller may have sent personal
// data where something else was expected: the log line of a refused request keeps its kind
// (status, problem type, rule, how many fields), never its words; an internal error keeps
// its text for the operator.
func TestRefusalsAreLoggedWithoutTheirWords(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	refusals := map[string]error{
		"/column": MalformedJSON(`unknown column "Dora Debtor"`),
		"/field": Validation("the request is not acceptable",
			FieldError{Pointer: "/Dora Debtor", Detail: `"Dora Debtor" is not a member`}),
		"/rule":     Conflict(`Dora Debtor's case is closed`).With("rule", "closed"),
		"/internal": errors.New("save case: connection reset"),
	}
	for path, err := range refusals {
		h := Adapt(func(w http.ResponseWriter, r *http.Request) error { return err }, nil, log)
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", path, nil))
	}
	logged := out.String()
	if strings.Contains(logged, "Dora") {
		t.Errorf("a refusal's words reached the log:\n%s", logged)
	}
	for _, want := range []string{`"rule":"closed"`, `"field_errors":1`, `"error":"save case: connection reset"`} {
		if !strings.Contains(logged, want) {
			t.Errorf("the log lacks %s:\n%s", want, logged)
		}
	}
}

// A request is logged by the route pattern that served it, never by its path, where a
// caller may have typed an e-mail address for an id or a recipient.
func TestRequestsAreLoggedByRouteNotPath(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mux := NewMux(nil, log)
	mux.Handle("DELETE /complaints/{id}/consents/{recipient}", func(w http.ResponseWriter, r *http.Request) error {
		return NotFound("no such consent")
	})
	h := Base(log)(mux)
	for _, path := range []string{"/complaints/ada.lovelace@example.org/consents/ada.lovelace@example.org", "/ada.lovelace@example.org"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("DELETE", path, nil))
	}
	logged := out.String()
	if strings.Contains(logged, "ada.lovelace") {
		t.Errorf("a path reached the log:\n%s", logged)
	}
	for _, want := range []string{`"route":"DELETE /complaints/{id}/consents/{recipient}"`, `"route":"unmatched"`} {
		if !strings.Contains(logged, want) {
			t.Errorf("the log lacks %s:\n%s", want, logged)
		}
	}
}
