package bootstrap_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// syncBuffer collects log lines written from the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) lines() []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(b.buf.Bytes()), []byte("\n")) {
		var m map[string]any
		if json.Unmarshal(line, &m) == nil {
			out = append(out, m)
		}
	}
	return out
}

// A client that closes its connection while its request waits on PostgreSQL is not a
// database outage: the request is logged once, as a 499 refusal at debug level, and nothing
// at error level.
func TestAClientThatDisconnectsMidQueryLogsNoOutage(t *testing.T) {
	db, _ := testkit.NewDatabase(t)
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	guards, err := httpserver.NewGuards(t.Context(), []byte(thingsSpec),
		httpserver.AuthConfig{Issuer: "test", Audience: "casework", DevSigningKey: testkit.DevSigningKey}, 1024)
	if err != nil {
		t.Fatal(err)
	}
	querying := make(chan struct{})
	h := bootstrap.Handler(bootstrap.HandlerConfig{API: http.NotFoundHandler(), MapError: httpserver.CaseErrors(nil),
		Guards: guards, Logger: log, Roles: []string{"things_officer"}, Prefixes: []string{"/things"}, Public: []bootstrap.Route{
			{Pattern: "GET /public/slow", Handler: func(w http.ResponseWriter, r *http.Request) error {
				close(querying)
				if _, err := db.ExecContext(r.Context(), `SELECT pg_sleep(30)`); err != nil {
					return fmt.Errorf("register: %w", err)
				}
				return httpserver.WriteJSON(w, http.StatusOK, "done")
			}},
		}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- httpserver.Serve(ctx, ln, httpserver.Config{}, h, log) }()
	t.Cleanup(func() { cancel(); <-served })

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(conn, "GET /public/slow HTTP/1.1\r\nHost: x\r\n\r\n")
	<-querying
	testkit.Eventually(t, 10*time.Second, "the query running", func() (bool, string) {
		var n int
		err := db.Get(&n, `SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'`)
		return err == nil && n == 1, fmt.Sprint(n, err)
	})
	conn.Close()

	var failed map[string]any
	testkit.Eventually(t, 10*time.Second, "the request's failure logged", func() (bool, string) {
		for _, l := range logs.lines() {
			if l["msg"] == "request failed" {
				failed = l
				return true, ""
			}
		}
		return false, "no line yet"
	})
	if failed["status"] != float64(499) || failed["level"] != "DEBUG" || failed["problem"] != httpserver.TypeClientClosedRequest {
		t.Fatalf("logged %v, want a 499 at debug", failed)
	}
	for _, l := range logs.lines() {
		if l["level"] == "ERROR" {
			t.Errorf("logged at error level: %v", l)
		}
	}
}
