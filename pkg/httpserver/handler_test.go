package httpserver

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

var errStageClosed = errors.New("stage closed")

func testMapper(err error) *Problem {
	if errors.Is(err, errStageClosed) {
		return IllegalTransition("the stage is closed").With("allowed_actions", []string{"reopen"})
	}
	return nil
}

func TestAdaptWritesAReturnedProblemAndLogsAtDebug(t *testing.T) {
	log, logs := newTestLogger()
	h := Adapt(func(w http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("load: %w", NotFound("no complaint C-1"))
	}, testMapper, log)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/complaints/C-1", nil))
	p := readProblem(t, rec, http.StatusNotFound, TypeNotFound)
	if p.Detail != "no complaint C-1" {
		t.Fatalf("detail = %q", p.Detail)
	}
	recs := logs.records(t)
	if len(recs) != 1 || recs[0]["level"] != "DEBUG" || recs[0]["status"] != float64(404) {
		t.Fatalf("logs = %v, want one DEBUG line with status 404", recs)
	}
}

func TestAdaptMapsDomainErrors(t *testing.T) {
	log, _ := newTestLogger()
	h := Adapt(func(w http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("acknowledge C-1: %w", errStageClosed)
	}, testMapper, log)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/complaints/C-1/acknowledge", nil))
	p := readProblem(t, rec, http.StatusConflict, TypeIllegalTransition)
	if a, _ := p.Extensions["allowed_actions"].([]any); len(a) != 1 || a[0] != "reopen" {
		t.Fatalf("allowed_actions = %v", p.Extensions["allowed_actions"])
	}
}

func TestAdaptUnmappedErrorIs500WithoutInternalsAndLoggedOnceWithChain(t *testing.T) {
	log, logs := newTestLogger()
	h := Adapt(func(w http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("save complaint: %w", errors.New("pq: password authentication failed for user casework"))
	}, testMapper, log)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/complaints", nil))
	readProblem(t, rec, http.StatusInternalServerError, TypeInternal)
	if strings.Contains(rec.Body.String(), "pq:") || strings.Contains(rec.Body.String(), "password") {
		t.Fatalf("internals leaked: %s", rec.Body.String())
	}
	recs := logs.records(t)
	if len(recs) != 1 || recs[0]["level"] != "ERROR" {
		t.Fatalf("logs = %v, want exactly one ERROR line", recs)
	}
	if recs[0]["error"] != "save complaint: pq: password authentication failed for user casework" {
		t.Fatalf("logged error = %v, want the whole chain", recs[0]["error"])
	}
}

func TestAdaptDoesNotWriteAProblemAfterTheResponseStarted(t *testing.T) {
	log, logs := newTestLogger()
	h := Adapt(func(w http.ResponseWriter, r *http.Request) error {
		_ = WriteJSON(w, http.StatusOK, map[string]int{"n": 1})
		return errors.New("late failure")
	}, nil, log)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "{\"n\":1}\n" {
		t.Fatalf("response = %d %q", rec.Code, rec.Body.String())
	}
	if len(logs.records(t)) != 1 {
		t.Fatalf("want the late failure logged once")
	}
}

func TestWriteJSON(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := WriteJSON(rec, http.StatusCreated, map[string]string{"id": "C-1"}); err != nil {
		t.Fatal(err)
	}
	if rec.Code != 201 || rec.Header().Get("Content-Type") != "application/json" || rec.Body.String() != "{\"id\":\"C-1\"}\n" {
		t.Fatalf("got %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
}

func TestMuxAnswersUnknownPathsAndMethodsWithProblems(t *testing.T) {
	log, _ := newTestLogger()
	m := NewMux(testMapper, log)
	m.Handle("GET /complaints/{id}", func(w http.ResponseWriter, r *http.Request) error {
		return WriteJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id")})
	})
	m.Handle("POST /complaints/{id}/acknowledge", func(w http.ResponseWriter, r *http.Request) error {
		return errStageClosed
	}, RequireRole("case_officer"))

	rec := httptest.NewRecorder()
	m.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/complaints/C-7", nil))
	if rec.Code != 200 || rec.Body.String() != "{\"id\":\"C-7\"}\n" {
		t.Fatalf("GET = %d %s", rec.Code, rec.Body.String())
	}

	rec = httptest.NewRecorder()
	m.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/nowhere", nil))
	readProblem(t, rec, http.StatusNotFound, TypeNotFound)

	rec = httptest.NewRecorder()
	m.ServeHTTP(rec, httptest.NewRequest(http.MethodDelete, "/complaints/C-7", nil))
	readProblem(t, rec, http.StatusMethodNotAllowed, TypeMethodNotAllowed)
	if allow := rec.Header().Get("Allow"); allow != "GET, HEAD" {
		t.Fatalf("Allow = %q, want %q", allow, "GET, HEAD")
	}

	// Middleware passed to Handle runs: no principal means 401 before the handler.
	rec = httptest.NewRecorder()
	m.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/complaints/C-7/acknowledge", nil))
	readProblem(t, rec, http.StatusUnauthorized, TypeUnauthenticated)

	rec = httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/complaints/C-7/acknowledge", nil)
	r = r.WithContext(ContextWithPrincipal(r.Context(), Principal{Subject: "u1", Roles: []string{"case_officer"}}))
	m.ServeHTTP(rec, r)
	readProblem(t, rec, http.StatusConflict, TypeIllegalTransition)

	// A path that is not canonical: a read is sent to the canonical path, without
	// ServeMux's HTML; a change is refused, never redirected to be sent again.
	for _, path := range []string{"//complaints/C-7", "/complaints/./C-7", "/x/../complaints/C-7"} {
		rec = httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.URL.Path = path
		m.ServeHTTP(rec, r)
		if rec.Code/100 != 3 || rec.Header().Get("Location") != "/complaints/C-7" || rec.Body.Len() != 0 {
			t.Errorf("GET %s = %d %q %q", path, rec.Code, rec.Header().Get("Location"), rec.Body.String())
		}
		rec = httptest.NewRecorder()
		r = httptest.NewRequest(http.MethodPost, "/", nil)
		r.URL.Path = path + "/acknowledge"
		m.ServeHTTP(rec, r)
		p := readProblem(t, rec, http.StatusNotFound, TypeNotFound)
		if !strings.HasSuffix(p.Detail, "/complaints/C-7/acknowledge") {
			t.Errorf("POST %s/acknowledge: %q", path, p.Detail)
		}
	}
}

func TestAdmitFirstRefusesARouteRoleBeforeWhatComesAfter(t *testing.T) {
	log, _ := newTestLogger()
	api := NewMux(nil, log)
	api.Handle("PUT /cases/{id}/legal-hold", func(w http.ResponseWriter, _ *http.Request) error {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}, RequireRole("manager"))
	api.Handle("GET /cases/{id}", func(w http.ResponseWriter, _ *http.Request) error {
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
	// What comes after stands for validation: it refuses everything it sees.
	validation := func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { WriteProblem(w, r, Validation("bad body")) })
	}
	h := Chain(api, AdmitFirst(api), validation)
	serve := func(method, path string, roles ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, strings.NewReader(`{}`))
		r = r.WithContext(ContextWithPrincipal(r.Context(), Principal{Subject: "u", Roles: roles}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec
	}
	if rec := serve("PUT", "/cases/1/legal-hold", "officer"); rec.Code != http.StatusForbidden {
		t.Fatalf("without the route's role: %d %s, want 403 before validation", rec.Code, rec.Body)
	}
	if rec := serve("PUT", "/cases/1/legal-hold", "manager"); rec.Code != http.StatusBadRequest {
		t.Fatalf("with the route's role: %d %s, want validation's 400", rec.Code, rec.Body)
	}
	// A route with no role of its own, and a path no route matches, go on to validation.
	for _, c := range [][2]string{{"GET", "/cases/1"}, {"HEAD", "/cases/1"}, {"DELETE", "/nowhere"}} {
		if rec := serve(c[0], c[1], "officer"); rec.Code != http.StatusBadRequest {
			t.Fatalf("%s %s: %d, want validation's 400", c[0], c[1], rec.Code)
		}
	}
}
