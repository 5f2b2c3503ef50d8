package httpserver

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// exchange sends raw bytes over a fresh TCP connection and reads one response. The
// request is written while the response is read: net/http may answer (431) before it has
// read everything.
func exchange(t *testing.T, url, raw string) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	go func() { _, _ = io.WriteString(conn, raw) }() // may fail once the server hangs up
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the answer to %.60q: %v", raw, err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// wantProblem asserts res is a problem of status and type and returns it.
func wantProblem(t *testing.T, res *http.Response, status int, typ string) Problem {
	t.Helper()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != status || res.Header.Get("Content-Type") != ProblemContentType {
		t.Fatalf("%d %q, want %d %s: %s", res.StatusCode, res.Header.Get("Content-Type"), status, ProblemContentType, body)
	}
	var p Problem
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("not a problem: %v: %s", err, body)
	}
	if p.Type != typ || p.Status != status {
		t.Fatalf("problem %s %d, want %s %d: %s", p.Type, p.Status, typ, status, body)
	}
	return p
}

// serviceLike is the shape every service serves: Base outermost, a Mux with a role-like
// middleware inside, handlers returning errors.
func serviceLike(t *testing.T) http.Handler {
	t.Helper()
	log, _ := newTestLogger()
	mux := NewMux(nil, log)
	mux.Handle("GET /things/{id}", func(w http.ResponseWriter, r *http.Request) error {
		return WriteJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("id")})
	})
	mux.Handle("POST /things", func(w http.ResponseWriter, r *http.Request) error {
		var v map[string]any
		if err := DecodeJSON(r, &v, 0); err != nil {
			return err
		}
		return WriteJSON(w, http.StatusCreated, v)
	})
	mux.Handle("GET /slow", func(w http.ResponseWriter, r *http.Request) error {
		<-r.Context().Done() // a query that waits for a database that does not answer
		return fmt.Errorf("load things: %w", r.Context().Err())
	})
	panicky := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("middleware bug") })
	}
	mux.Handle("GET /broken", func(w http.ResponseWriter, r *http.Request) error { return nil }, panicky)
	return Chain(mux, Base(log))
}

// Every answer the server itself makes, before or around the handlers, is a problem.
func TestServeAnswersEveryErrorOfItsOwnWithAProblem(t *testing.T) {
	url, _, _ := startServer(t, Config{RequestTimeout: 200 * time.Millisecond}, serviceLike(t))
	big := strings.Repeat("a", 2<<20)
	cases := []struct {
		name, raw, typ, detail string
		status                 int
		check                  func(t *testing.T, res *http.Response, p Problem)
	}{
		{name: "unknown route", raw: "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", status: 404, typ: TypeNotFound},
		{name: "method not allowed", raw: "DELETE /things/1 HTTP/1.1\r\nHost: x\r\n\r\n", status: 405, typ: TypeMethodNotAllowed,
			check: func(t *testing.T, res *http.Response, _ Problem) {
				if got := res.Header.Get("Allow"); got != "GET, HEAD" {
					t.Errorf("Allow = %q", got)
				}
			}},
		{name: "a 2 MiB header", raw: "GET /things/1 HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n", status: 431, typ: TypeHeaderTooLarge,
			detail: "the request's header fields exceed 1048576 bytes",
			check: func(t *testing.T, _ *http.Response, p Problem) {
				if p.Extensions["limit_bytes"] != float64(1<<20) {
					t.Errorf("limit_bytes = %v", p.Extensions["limit_bytes"])
				}
			}},
		{name: "a malformed request line", raw: "GARBAGE\r\n\r\n", status: 400, typ: TypeMalformedRequest,
			detail: "the request is not well-formed HTTP/1.1"},
		{name: "a control character in a header", raw: "GET /things/1 HTTP/1.1\r\nHost: x\r\nX-Note: a\x00b\r\n\r\n", status: 400,
			typ: TypeMalformedRequest, detail: "the request is not well-formed HTTP/1.1"},
		{name: "a malformed Host", raw: "GET /things/1 HTTP/1.1\r\nHost: x y\r\n\r\n", status: 400,
			typ: TypeMalformedRequest, detail: "malformed Host header"},
		{name: "no Host", raw: "GET /things/1 HTTP/1.1\r\n\r\n", status: 400, typ: TypeMalformedRequest,
			detail: "missing required Host header"},
		{name: "a bad Content-Length", raw: "POST /things HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n", status: 400,
			typ: TypeMalformedRequest, detail: "the request is not well-formed HTTP/1.1"},
		{name: "an unknown transfer coding", raw: "POST /things HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501,
			typ: TypeNotImplemented, detail: "the request's transfer coding is not supported"},
		{name: "an unsupported HTTP version", raw: "GET /things/1 HTTP/2.0\r\nHost: x\r\n\r\n", status: 505,
			typ: TypeHTTPVersionNotSupported, detail: "the server speaks HTTP/1.0 and HTTP/1.1"},
		{name: "an expectation other than 100-continue", raw: "GET /things/1 HTTP/1.1\r\nHost: x\r\nExpect: miracles\r\n\r\n",
			status: 417, typ: TypeExpectationFailed, detail: "the server meets no expectation but 100-continue"},
		{name: "the target * with GET", raw: "GET * HTTP/1.1\r\nHost: x\r\n\r\n", status: 400, typ: TypeMalformedRequest,
			detail: "the request target * is for OPTIONS only"},
		{name: "the HTTP/2 preface", raw: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", status: 400, typ: TypeMalformedRequest,
			detail: "the request target * is for OPTIONS only"},
		{name: "a panic in a middleware", raw: "GET /broken HTTP/1.1\r\nHost: x\r\n\r\n", status: 500, typ: TypeInternal},
		{name: "a request past its deadline", raw: "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n", status: 503, typ: TypeServiceUnavailable,
			detail: "the request took too long; try again later",
			check: func(t *testing.T, res *http.Response, _ Problem) {
				if got := res.Header.Get("Retry-After"); got != "5" {
					t.Errorf("Retry-After = %q", got)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := exchange(t, url, c.raw)
			p := wantProblem(t, res, c.status, c.typ)
			if c.detail != "" && p.Detail != c.detail {
				t.Errorf("detail %q, want %q", p.Detail, c.detail)
			}
			if c.check != nil {
				c.check(t, res, p)
			}
		})
	}
	// The rewriting leaves ordinary answers alone.
	res := exchange(t, url, "GET /things/7 HTTP/1.1\r\nHost: x\r\n\r\n")
	if b, _ := io.ReadAll(res.Body); res.StatusCode != 200 || string(b) != "{\"id\":\"7\"}\n" {
		t.Fatalf("ordinary answer: %d %s", res.StatusCode, b)
	}
}

// Only net/http's own answers are rewritten: a handler's plain-text 400 or 417 that looks
// like one goes out as the handler wrote it.
func TestServeLeavesAHandlersOwnErrorAnswersAlone(t *testing.T) {
	url, _, _ := startServer(t, Config{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Connection", "close")
		code := http.StatusBadRequest
		if r.URL.Path == "/417" {
			code = http.StatusExpectationFailed
		}
		w.WriteHeader(code)
		_, _ = fmt.Fprintf(w, "%d %s", code, http.StatusText(code))
	}))
	for path, code := range map[string]int{"/400": 400, "/417": 417} {
		res := exchange(t, url, "GET "+path+" HTTP/1.1\r\nHost: x\r\n\r\n")
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != code || res.Header.Get("Content-Type") != "text/plain; charset=utf-8" ||
			string(b) != fmt.Sprintf("%d %s", code, http.StatusText(code)) {
			t.Errorf("%s: %d %q %q", path, res.StatusCode, res.Header.Get("Content-Type"), b)
		}
	}
}

// A handler chain without Base still answers a panic with a problem: Serve recovers too.
func TestServeRecoversAPanicOutsideBase(t *testing.T) {
	url, _, _ := startServer(t, Config{}, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("a middleware in front of Base")
	}))
	wantProblem(t, exchange(t, url, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), 500, TypeInternal)
}

// A body that does not arrive within ReadTimeout is a 408, not a broken connection.
func TestServeAnswersASlowBodyWith408(t *testing.T) {
	url, _, _ := startServer(t, Config{ReadTimeout: 300 * time.Millisecond}, serviceLike(t))
	res := exchange(t, url, "POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":")
	p := wantProblem(t, res, 408, TypeRequestTimeout)
	if p.Detail != "the request body did not arrive in time" {
		t.Fatalf("detail %q", p.Detail)
	}
}

// A server whose write deadline was set no later than its read deadline (the debt service's
// long uploads, 10 minutes each) still answers a stalled body: the client got nothing.
func TestServeAnswersASlowBodyWith408WhenTheWriteTimeoutIsNoLonger(t *testing.T) {
	url, _, _ := startServer(t, Config{ReadTimeout: 300 * time.Millisecond, WriteTimeout: 300 * time.Millisecond}, serviceLike(t))
	res := exchange(t, url, "POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":")
	wantProblem(t, res, 408, TypeRequestTimeout)
	if got := (Config{ReadTimeout: 10 * time.Minute, WriteTimeout: 10 * time.Minute}).withDefaults(); got.WriteTimeout != 10*time.Minute+answerMargin {
		t.Fatalf("write timeout %s", got.WriteTimeout)
	}
}

func TestRequestTimeoutDefaultsBelowWriteTimeout(t *testing.T) {
	for write, want := range map[time.Duration]time.Duration{
		0:                      29 * time.Second,
		15 * time.Second:       14 * time.Second,
		time.Second:            500 * time.Millisecond,
		300 * time.Millisecond: 150 * time.Millisecond,
	} {
		if got := (Config{WriteTimeout: write}).withDefaults().RequestTimeout; got != want {
			t.Errorf("WriteTimeout %s: RequestTimeout %s, want %s", write, got, want)
		}
	}
	if got := (Config{RequestTimeout: time.Second}).withDefaults().RequestTimeout; got != time.Second {
		t.Errorf("a set RequestTimeout became %s", got)
	}
}
