package httpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestProblemMarshalMergesExtensionsAtTopLevel(t *testing.T) {
	p := IllegalTransition("stage 1 is closed").With("allowed_actions", []string{"escalate"}).With("status", 200)
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	if m["type"] != TypeIllegalTransition || m["status"] != float64(409) || m["detail"] != "stage 1 is closed" {
		t.Fatalf("standard members wrong (an extension must not override status): %s", body)
	}
	actions, ok := m["allowed_actions"].([]any)
	if !ok || len(actions) != 1 || actions[0] != "escalate" {
		t.Fatalf("allowed_actions = %v, want [escalate]", m["allowed_actions"])
	}
	if _, has := m["Extensions"]; has {
		t.Fatalf("Extensions must not appear as a member: %s", body)
	}
}

func TestProblemRoundTripsThroughJSON(t *testing.T) {
	in := Validation("bad", FieldError{Pointer: "/a/0", Detail: "is required"}).With("n", 2.0)
	body, _ := json.Marshal(in)
	var out Problem
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	if out.Type != TypeValidation || out.Status != 400 || len(out.Errors) != 1 ||
		out.Errors[0] != (FieldError{Pointer: "/a/0", Detail: "is required"}) || out.Extensions["n"] != 2.0 {
		t.Fatalf("round trip = %+v", out)
	}
}

func TestProblemIsAnErrorFoundThroughWrapping(t *testing.T) {
	var err error = fmt.Errorf("acknowledge: %w", NotFound("no complaint C-1"))
	var p *Problem
	if !errors.As(err, &p) || p.Status != http.StatusNotFound {
		t.Fatalf("errors.As did not find the problem in %v", err)
	}
	if got := p.Error(); got != "404 Not found: no complaint C-1" {
		t.Fatalf("Error() = %q", got)
	}
}

func TestConstructorsHaveExactStatusAndType(t *testing.T) {
	cases := []struct {
		p      *Problem
		status int
		typ    string
	}{
		{NotFound("x"), 404, TypeNotFound},
		{Forbidden("x"), 403, TypeForbidden},
		{Unauthenticated("x"), 401, TypeUnauthenticated},
		{Conflict("x"), 409, TypeConflict},
		{IllegalTransition("x"), 409, TypeIllegalTransition},
		{Validation("x"), 400, TypeValidation},
		{MalformedJSON("x"), 400, TypeMalformedJSON},
		{UnknownField("/x"), 400, TypeUnknownField},
		{DuplicateKey("/x"), 400, TypeDuplicateKey},
		{TrailingData(3), 400, TypeTrailingData},
		{BodyTooLarge(10), 413, TypeBodyTooLarge},
		{UnsupportedMediaType("x"), 415, TypeUnsupportedMediaType},
		{MethodNotAllowed("x"), 405, TypeMethodNotAllowed},
		{PreconditionFailed("x"), 412, TypePreconditionFailed},
		{Unprocessable("x"), 422, TypeUnprocessable},
		{ServiceUnavailable("x"), 503, TypeServiceUnavailable},
		{Internal(), 500, TypeInternal},
	}
	for _, c := range cases {
		if c.p.Status != c.status || c.p.Type != c.typ || c.p.Title == "" {
			t.Errorf("%s: status %d type %s title %q", c.typ, c.p.Status, c.p.Type, c.p.Title)
		}
	}
	if TypeDuplicateKey != "https://casework.dev/problems/duplicate-key" {
		t.Fatalf("type URI = %s", TypeDuplicateKey)
	}
}

func TestWriteProblemSetsContentTypeInstanceAndRequestID(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/complaints/C-9?x=1", nil)
	r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, "req-42"))
	rec := httptest.NewRecorder()
	WriteProblem(rec, r, Conflict("already acknowledged"))
	p := readProblem(t, rec, http.StatusConflict, TypeConflict)
	if p.Instance != "/complaints/C-9" || p.Extensions["request_id"] != "req-42" || p.Detail != "already acknowledged" {
		t.Fatalf("problem = %+v", p)
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("Cache-Control = %q", rec.Header().Get("Cache-Control"))
	}
}

// Instance is a URI reference (RFC 9457 section 3.1.5): the path as sent, not decoded into
// a NUL, a byte that is no UTF-8 or a slash that was not one.
func TestWriteProblemInstanceIsThePathAsSent(t *testing.T) {
	for _, path := range []string{"/complaints/a%00b", "/complaints/%FF/close", "/complaints/a%2Fb", "/complaints/a%20b", "/complaints/caf%C3%A9"} {
		rec := httptest.NewRecorder()
		WriteProblem(rec, httptest.NewRequest(http.MethodGet, path, nil), NotFound("no complaint"))
		if p := readProblem(t, rec, http.StatusNotFound, TypeNotFound); p.Instance != path {
			t.Errorf("instance %q, want %q", p.Instance, path)
		}
	}
}

func TestParameterFieldErrorHasNoPointer(t *testing.T) {
	body, _ := json.Marshal(FieldError{Parameter: "limit", Detail: "too big"})
	if string(body) != `{"parameter":"limit","detail":"too big"}` {
		t.Fatalf("json = %s", body)
	}
	body, _ = json.Marshal(FieldError{Pointer: "", Detail: "a request body is required"})
	if string(body) != `{"pointer":"","detail":"a request body is required"}` {
		t.Fatalf("json = %s", body)
	}
}
