package service_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/testkit"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/service"
)

var devKey = []byte("test-signing-key-that-is-32-bytes-long!")

// env is one complaints service on a fresh database and an embedded NATS server, served
// by httptest, with a clock the test moves.
type env struct {
	t      *testing.T
	db     *sqlx.DB
	nats   *testkit.NATS
	clock  *calendar.ManualClock
	svc    *service.Service
	server *httptest.Server
	auth   httpserver.AuthConfig
	stop   context.CancelFunc
	done   chan error
}

// start is Monday 2 March 2026, 10:00 London (GMT).
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	return newEnvOn(t, db, testkit.NewNATS(t), calendar.NewManualClock(start))
}

// asbReview is the case review threshold the tests run with: 3 reports in 183 days.
var asbReview = app.ASBReviewConfig{Threshold: 3, Within: 183 * 24 * time.Hour}

// newEnvOn starts a service on existing infrastructure, as a restart would.
func newEnvOn(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock) *env {
	t.Helper()
	return newEnvWithNotice(t, db, n, clock, "")
}

// newEnvWithNotice starts a service enforcing the notice file given ("": the contract's).
func newEnvWithNotice(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock, noticeFile string) *env {
	t.Helper()
	nt, raw, err := service.LoadNotice(noticeFile)
	if err != nil {
		t.Fatal(err)
	}
	auth := httpserver.AuthConfig{Issuer: "casework-test", Audience: "casework", DevSigningKey: devKey, Now: clock.Now}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := service.New(ctx, service.Config{
		DB: db, NATS: n.Conn, Clock: clock, Notice: nt, NoticeYAML: raw, Auth: auth, ASBReview: asbReview,
		Logger:       slog.New(slog.NewTextHandler(testkit.LogWriter{T: t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		MaxBodyBytes: 256 << 10, Relay: messaging.RelayConfig{PollInterval: 50 * time.Millisecond},
	})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	e := &env{t: t, db: db, nats: n, clock: clock, svc: svc, auth: auth, stop: cancel, done: make(chan error, 1)}
	go func() { e.done <- svc.RunBackground(ctx) }()
	e.server = httptest.NewServer(svc.Handler)
	t.Cleanup(e.shutdown)
	return e
}

// shutdown stops the service; safe to call twice.
func (e *env) shutdown() {
	if e.stop == nil {
		return
	}
	e.server.Close()
	e.stop()
	if err := <-e.done; err != nil {
		e.t.Errorf("background: %v", err)
	}
	e.stop = nil
}

func (e *env) token(subject string, roles ...string) string {
	tok, err := httpserver.IssueDevToken(e.auth, subject, subject, roles, time.Hour, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func (e *env) officer(name string) string { return e.token(name, "investigations_officer") }
func (e *env) manager(name string) string { return e.token(name, "investigations_manager") }

type response = testkit.Response

// call sends body as-is when it is a string, else as JSON.
func (e *env) call(method, path, token string, body any, headers ...string) response {
	e.t.Helper()
	return testkit.Call(e.t, e.server.URL, method, path, token, body, headers...)
}

// must calls and fails the test unless the status is as expected.
func (e *env) must(status int, method, path, token string, body any, headers ...string) map[string]any {
	e.t.Helper()
	return testkit.Must(e.t, status, e.server.URL, method, path, token, body, headers...)
}

func (e *env) collect(stream, filter string) *testkit.Collector {
	e.t.Helper()
	return testkit.Collect(e.t, e.nats.JS, stream, filter)
}

var (
	subjects = testkit.Subjects
	decode   = testkit.Decode
)

func serviceNotice() (*notice.Notice, []byte, error) { return service.LoadNotice("") }
