package service_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/testkit"
	"casework.dev/services/board/internal/ports"
	"casework.dev/services/board/internal/service"
)

var devKey = []byte("test-signing-key-that-is-32-bytes-long!")

// now is Wednesday 4 March 2026, 12:00 London (GMT): the week runs from Monday 2 March to
// Sunday 8 March, the month is March.
var now = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

// followed are the services the board follows by default (cmd/board's config), in its
// order: every service that publishes status.
var followed = []string{"complaints", "investigations", "debt", "publication", "rights"}

// env is one board on a fresh database and an embedded NATS server holding the status
// streams of every service it follows, as those services provision them.
type env struct {
	t      *testing.T
	db     *sqlx.DB
	nats   *testkit.NATS
	svc    *service.Service
	server *httptest.Server
	// contract holds every answer of server to contracts/openapi/board.yaml.
	contract *testkit.Contract
	auth     httpserver.AuthConfig
	now      func() time.Time
	stop     context.CancelFunc
	done     chan error
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvAt(t, func() time.Time { return now })
}

// newEnvAt starts a board whose clock is clock.
func newEnvAt(t *testing.T, clock func() time.Time) *env {
	t.Helper()
	db, pg := testkit.NewDatabase(t, service.Migrations()...)
	n := testkit.NewNATS(t)
	ctx, cancel := context.WithCancel(context.Background())
	for _, s := range followed {
		if err := messaging.EnsureStreams(ctx, n.JS, messaging.ServiceStreams(s, 1, 0)...); err != nil {
			cancel()
			t.Fatal(err)
		}
	}
	list, err := contracts.Services()
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	services, err := service.Follow(list, followed)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	auth := httpserver.AuthConfig{Issuer: "casework-test", Audience: "casework", DevSigningKey: devKey, Now: clock}
	svc, err := service.New(ctx, service.Config{
		ServiceConfig: bootstrap.ServiceConfig{DB: db, NATS: n.Conn, Auth: auth, MaxBodyBytes: ports.MaxBodyBytes, // as the binary
			Logger: slog.New(slog.NewTextHandler(testkit.LogWriter{T: t}, &slog.HandlerOptions{Level: slog.LevelWarn}))},
		Postgres: pg, NATSURL: n.URL, Services: services, InsecureCookie: true, Now: clock,
	})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	e := &env{t: t, db: db, nats: n, svc: svc, auth: auth, now: clock, stop: cancel, done: make(chan error, 1)}
	go func() { e.done <- svc.RunBackground(ctx) }()
	spec, err := contracts.OpenAPI("board")
	if err != nil {
		t.Fatal(err)
	}
	// Every answer, to the API and to the browser alike, is held to the board's contract.
	e.contract = testkit.NewContract(t, spec)
	e.server = httptest.NewServer(e.contract.Wrap(svc.HTTPHandler()))
	t.Cleanup(e.shutdown)
	return e
}

func (e *env) shutdown() {
	if e.stop == nil {
		return
	}
	e.stop() // ends live streams first, so the test server can close
	e.server.Close()
	if err := <-e.done; err != nil {
		e.t.Errorf("background: %v", err)
	}
	e.stop = nil
}

func (e *env) token(subject string, roles ...string) string {
	tok, err := httpserver.IssueDevToken(e.auth, subject, subject, roles, time.Hour, e.now())
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// publish sends a status event as a service's relay does: the event id as Nats-Msg-Id and
// as the header watermill reads the message id from.
func (e *env) publish(subject, eventID string, payload any) {
	e.t.Helper()
	body, err := json.Marshal(payload)
	if err != nil {
		e.t.Fatal(err)
	}
	e.publishRaw(subject, eventID, body)
}

func (e *env) publishRaw(subject, eventID string, body []byte) {
	e.t.Helper()
	msg := nats.NewMsg(subject)
	msg.Data = body
	msg.Header.Set(nats.MsgIdHdr, eventID)
	msg.Header.Set(messaging.HeaderEventID, eventID)
	if _, err := e.nats.JS.PublishMsg(context.Background(), msg); err != nil {
		e.t.Fatal(err)
	}
}

// processed is how many events the board's consumers have recorded.
func (e *env) processed() int {
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM processed_events`); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) waitProcessed(n int) {
	e.t.Helper()
	testkit.Eventually(e.t, 10*time.Second, "processed status events", func() (bool, string) {
		got := e.processed()
		return got >= n, "processed " + strconv.Itoa(got)
	})
}

func ptr(t time.Time) *time.Time { return &t }
