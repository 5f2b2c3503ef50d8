package httpserver_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"casework.dev/pkg/httpserver"
)

func TestOperationalRoutes(t *testing.T) {
	ready := errors.New("database unreachable")
	mux := httpserver.NewMux(nil, nil)
	mux.HandleOperational(httpserver.Operational{
		Spec:      []byte("openapi: 3.1.0\n"),
		Documents: []httpserver.Document{{Path: "/notice", ContentType: "text/markdown; charset=utf-8", Body: []byte("# Notice")}},
		Ready:     func() error { return ready },
	})
	for _, c := range []struct {
		path, contentType, body string
		status                  int
	}{
		{"/notice", "text/markdown; charset=utf-8", "# Notice", 200},
		{"/healthz", "application/json", "{\"status\":\"ok\"}\n", 200},
		{"/readyz", httpserver.ProblemContentType, "", 503},
		{"/metrics", httpserver.ProblemContentType, "", 404},
	} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, c.path, nil))
		body, _ := io.ReadAll(rec.Body)
		if rec.Code != c.status || rec.Header().Get("Content-Type") != c.contentType || (c.body != "" && string(body) != c.body) {
			t.Errorf("%s: %d %q %q", c.path, rec.Code, rec.Header().Get("Content-Type"), body)
		}
	}
}

// /readyz, which anyone may call, names what is down in fixed words and never the cause; a
// broker outage degrades the service (writes still commit) without making it unready.
func TestReadyzNamesWhatIsDownAndNeverTheCause(t *testing.T) {
	dbDown := &httpserver.DependencyDown{Dependency: "database",
		Err: errors.New(`pq: database "casework_delivery" is not currently accepting connections (55000)`)}
	brokerDown := &httpserver.DependencyDown{Dependency: "broker", Degraded: true, Err: errors.New("nats: RECONNECTING")}
	for _, c := range []struct {
		name   string
		ready  error
		status int
		body   map[string]any
	}{
		{"all up", nil, 200, map[string]any{"status": "ready"}},
		{"broker down", brokerDown, 200, map[string]any{"status": "degraded", "degraded": []any{"broker"}}},
		{"database down", dbDown, 503, map[string]any{"detail": "database unavailable"}},
		{"both down", errors.Join(dbDown, brokerDown), 503,
			map[string]any{"detail": "database unavailable", "degraded": []any{"broker"}}},
		{"an error naming no dependency", errors.New("pq: password authentication failed for user casework"), 503,
			map[string]any{"detail": "not ready"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			log, logs := newLogBuffer()
			mux := httpserver.NewMux(nil, log)
			mux.HandleOperational(httpserver.Operational{Ready: func() error { return c.ready }})
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			var got map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if rec.Code != c.status {
				t.Fatalf("%d, want %d: %s", rec.Code, c.status, rec.Body)
			}
			for k, want := range c.body {
				if !reflect.DeepEqual(got[k], want) {
					t.Errorf("%s = %v, want %v: %s", k, got[k], want, rec.Body)
				}
			}
			if c.status == 503 && (rec.Header().Get("Retry-After") != "5" || rec.Header().Get("Content-Type") != httpserver.ProblemContentType) {
				t.Errorf("503 headers %v", rec.Header())
			}
			for _, leak := range []string{"pq:", "nats:", "casework_delivery", "password"} {
				if strings.Contains(rec.Body.String(), leak) {
					t.Errorf("the answer shows %q: %s", leak, rec.Body)
				}
			}
			cause, _ := json.Marshal(fmt.Sprint(c.ready))
			if c.ready != nil && !strings.Contains(logs.String(), strings.Trim(string(cause), `"`)) {
				t.Errorf("the cause %q is not logged: %s", c.ready, logs.String())
			}
		})
	}
}

type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newLogBuffer() (*slog.Logger, *logBuffer) {
	lb := &logBuffer{}
	return slog.New(slog.NewJSONHandler(lb, &slog.HandlerOptions{Level: slog.LevelDebug})), lb
}
