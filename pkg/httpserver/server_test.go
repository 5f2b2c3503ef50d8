package httpserver

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func startServer(t *testing.T, cfg Config, h http.Handler) (url string, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log, _ := newTestLogger()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- Serve(ctx, ln, cfg, h, log) }()
	t.Cleanup(cancel)
	return "http://" + ln.Addr().String(), cancel, errc
}

func TestServeAnswersAndShutsDownGracefully(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		_, _ = io.WriteString(w, "finished")
	})
	url, cancel, done := startServer(t, Config{ShutdownTimeout: 5 * time.Second}, mux)

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get(url + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-entered
	cancel() // shutdown starts while the request is in flight

	// New connections are refused once shutdown has begun; poll until so.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("listener still accepting after shutdown began")
		}
		select {
		case <-time.After(5 * time.Millisecond):
		case <-done:
			t.Fatal("Serve returned before the in-flight request finished")
		}
	}
	close(release)
	r := <-got
	if r.err != nil || r.body != "finished" {
		t.Fatalf("in-flight request: %q, %v", r.body, r.err)
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve = %v, want nil after graceful shutdown", err)
	}
}

func TestServeCapsBodiesSoDecodeJSONAnswers413(t *testing.T) {
	log, _ := newTestLogger()
	h := Adapt(func(w http.ResponseWriter, r *http.Request) error {
		var v map[string]any
		if err := DecodeJSON(r, &v, 1<<20); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}, nil, log)
	url, _, _ := startServer(t, Config{MaxBodyBytes: 32}, h)
	resp, err := http.Post(url+"/", "application/json", strings.NewReader(`{"a":"`+strings.Repeat("x", 100)+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 || resp.Header.Get("Content-Type") != ProblemContentType ||
		!strings.Contains(string(b), TypeBodyTooLarge) || !strings.Contains(string(b), `"limit_bytes":32`) {
		t.Fatalf("got %d %s", resp.StatusCode, b)
	}
}

func TestRunFailsOnABadAddress(t *testing.T) {
	log, _ := newTestLogger()
	if err := Run(context.Background(), Config{Addr: "256.0.0.1:bad"}, http.NotFoundHandler(), log); err == nil {
		t.Fatal("Run accepted an impossible address")
	}
}
