package httpserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRequestIDIsEchoedOrGenerated(t *testing.T) {
	var seen string
	h := RequestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = RequestIDFrom(r.Context())
	}))

	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set(RequestIDHeader, "abc-123")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if seen != "abc-123" || rec.Header().Get(RequestIDHeader) != "abc-123" {
		t.Fatalf("echo: context %q header %q", seen, rec.Header().Get(RequestIDHeader))
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if len(seen) != 32 || rec.Header().Get(RequestIDHeader) != seen {
		t.Fatalf("generated: context %q header %q", seen, rec.Header().Get(RequestIDHeader))
	}

	r = httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set(RequestIDHeader, "evil\" injected=1")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if strings.Contains(seen, "evil") || len(seen) != 32 {
		t.Fatalf("ill-formed id kept: %q", seen)
	}
}

func TestRecoverTurnsPanicInto500ProblemLoggedOnce(t *testing.T) {
	log, logs := newTestLogger()
	h := Base(log)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("nil map in handler")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	p := readProblem(t, rec, http.StatusInternalServerError, TypeInternal)
	if strings.Contains(rec.Body.String(), "nil map") {
		t.Fatalf("panic value leaked: %s", rec.Body.String())
	}
	if p.Extensions["request_id"] != rec.Header().Get(RequestIDHeader) {
		t.Fatalf("problem request_id %v != header %q", p.Extensions["request_id"], rec.Header().Get(RequestIDHeader))
	}
	var panics, requests int
	for _, rec := range logs.records(t) {
		switch rec["msg"] {
		case "panic serving request":
			panics++
			if rec["panic"] != "nil map in handler" || !strings.Contains(rec["stack"].(string), "middleware_test.go") {
				t.Fatalf("panic log = %v", rec)
			}
		case "http request":
			requests++
			if rec["status"] != float64(500) || rec["route"] != "unmatched" || rec["path"] != nil { // no Mux matched it; never the path
				t.Fatalf("request log = %v", rec)
			}
		}
	}
	if panics != 1 || requests != 1 {
		t.Fatalf("panic lines %d, request lines %d; want 1 and 1", panics, requests)
	}
}

func TestRecoverRepanicsErrAbortHandler(t *testing.T) {
	log, _ := newTestLogger()
	h := Recover(log)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic(http.ErrAbortHandler)
	}))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
}

// Every answer through Base is kept out of caches and from type sniffing, successes too (a
// case's JSON carries personal data), unless its handler allows caching itself.
func TestBaseMarksAnswersPrivateUnlessTheHandlerSaysOtherwise(t *testing.T) {
	log, _ := newTestLogger()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /case", func(w http.ResponseWriter, r *http.Request) {
		_ = WriteJSON(w, http.StatusOK, map[string]string{"name": "Ann Able"})
	})
	mux.HandleFunc("GET /register", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=300")
		w.WriteHeader(http.StatusOK)
	})
	h := Base(log)(mux)
	for path, want := range map[string]string{"/case": "no-store", "/register": "public, max-age=300"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if got := rec.Header().Get("Cache-Control"); got != want || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: Cache-Control %q (want %q), X-Content-Type-Options %q", path, got, want, rec.Header().Get("X-Content-Type-Options"))
		}
	}
}
