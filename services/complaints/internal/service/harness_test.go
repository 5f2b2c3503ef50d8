package service_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/testkit"
	"casework.dev/services/complaints/internal/service"
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

// shareTap is the test's consumer on the council's share stream.
const shareTap = "test-share-tap"

// start is Monday 2 March 2026, 10:00 London (GMT).
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	return newEnvOn(t, db, testkit.NewNATS(t), calendar.NewManualClock(start))
}

// newEnvOn starts a service on existing infrastructure, as a restart would.
func newEnvOn(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock) *env {
	t.Helper()
	cal, err := calendar.New(calendar.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return newEnvWithCalendar(t, db, n, clock, cal)
}

// newEnvWithCalendar starts a service whose calendar the test chose (e.g. with a newly
// announced bank holiday).
func newEnvWithCalendar(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock, cal *calendar.Calendar) *env {
	t.Helper()
	return newEnvWithNotice(t, db, n, clock, cal, "")
}

// newEnvWithNotice starts a service enforcing the notice file given ("": the contract's).
func newEnvWithNotice(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock, cal *calendar.Calendar, noticeFile string) *env {
	t.Helper()
	notice, raw, err := service.LoadNotice(noticeFile)
	if err != nil {
		t.Fatal(err)
	}
	auth := httpserver.AuthConfig{Issuer: "casework-test", Audience: "casework", DevSigningKey: devKey, Now: clock.Now}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := service.New(ctx, service.Config{
		DB: db, NATS: n.Conn, Clock: clock, Calendar: cal, Notice: notice, NoticeYAML: raw, Auth: auth,
		Logger:       slog.New(slog.NewTextHandler(testkit.LogWriter{T: t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
		MaxBodyBytes: 64 << 10, Relay: messaging.RelayConfig{PollInterval: 50 * time.Millisecond},
	})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	// The council's share stream keeps a disclosure only while a council consumer still has
	// to deliver it; this tap stands in for one (it never acknowledges), so tests can read
	// every disclosure back from the stream. TestCouncilKeepsNoCopyOfDisclosures runs without it.
	if _, err := n.JS.CreateOrUpdateConsumer(ctx, "COMPLAINTS_SHARE", jetstream.ConsumerConfig{
		Durable: shareTap, FilterSubject: "share.>", AckPolicy: jetstream.AckExplicitPolicy}); err != nil {
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

func (e *env) officer(name string) string { return e.token(name, "complaints_officer") }
func (e *env) manager(name string) string { return e.token(name, "complaints_manager") }

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

func aComplaint() map[string]any {
	return map[string]any{
		"complainant": map[string]any{"name": "Ada Lovelace", "address": "1 High Street, Maidstone ME14 1AA",
			"phone": "01622 000111", "email": "ada@example.org"},
		"details": "Bins not collected for three weeks on High Street.", "service": "waste", "channel": "web",
	}
}

func (e *env) collect(stream, filter string) *testkit.Collector {
	e.t.Helper()
	return testkit.Collect(e.t, e.nats.JS, stream, filter)
}

var (
	subjects = testkit.Subjects
	decode   = testkit.Decode
)
