package testkit

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
)

// DevSigningKey signs the tokens of every test environment.
var DevSigningKey = []byte("test-signing-key-that-is-32-bytes-long!")

// ServiceEnv says what to start a service on; a nil part is made fresh for the test.
type ServiceEnv struct {
	Migrations []postgres.Migration // for a fresh database
	DB         *sqlx.DB             // an existing database, as a restart finds it
	NATS       *NATS
	Clock      *calendar.ManualClock // nil: the tokens' clock is the system's
	NoticeFile string                // the notice CaseConfig loads; "": the service's contract
	// Start assembles the service with the service's own assembly function, from the
	// environment's parts (CaseConfig gives a case service's).
	Start func(ctx context.Context, e *Env) (bootstrap.Runnable, error)
}

// Env is one service on a database and an embedded NATS server, served by httptest, with
// dev tokens, an HTTP client and JetStream collectors for the test.
type Env struct {
	T      testing.TB
	DB     *sqlx.DB
	NATS   *NATS
	Clock  *calendar.ManualClock
	Auth   httpserver.AuthConfig
	Logger *slog.Logger
	Server *httptest.Server
	// NoticeFile is the notice CaseConfig loads ("": the service's built-in contract).
	NoticeFile string
	// Contract holds every answer Server gives to the service's OpenAPI document, when the
	// service offers one (OpenAPIDocument): an undocumented status or field fails the test.
	Contract *Contract
	stop     context.CancelFunc
	done     chan error
}

// StartService starts the service and its background work, and stops them when the test
// ends (or at Shutdown).
func StartService(t testing.TB, cfg ServiceEnv) *Env {
	t.Helper()
	e := &Env{T: t, DB: cfg.DB, NATS: cfg.NATS, Clock: cfg.Clock, NoticeFile: cfg.NoticeFile, done: make(chan error, 1),
		Logger: slog.New(slog.NewTextHandler(LogWriter{T: t}, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if e.DB == nil {
		e.DB, _ = NewDatabase(t, cfg.Migrations...)
	}
	if e.NATS == nil {
		e.NATS = NewNATS(t)
	}
	e.Auth = httpserver.AuthConfig{Issuer: "casework-test", Audience: "casework", DevSigningKey: DevSigningKey}
	if e.Clock != nil {
		e.Auth.Now = e.Clock.Now
	}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := cfg.Start(ctx, e)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	e.stop = cancel
	go func() { e.done <- svc.RunBackground(ctx) }()
	handler := svc.HTTPHandler()
	if d, ok := svc.(interface{ OpenAPIDocument() []byte }); ok {
		e.Contract = NewContract(t, d.OpenAPIDocument())
		handler = e.Contract.Wrap(handler)
	}
	e.Server = httptest.NewServer(handler)
	t.Cleanup(e.Shutdown)
	return e
}

// CaseConfig is a case service's shared configuration on this environment: its notice
// (NoticeFile, else the built-in one), the body limit, and a relay that polls every 50 ms.
func (e *Env) CaseConfig(service string, builtInNotice bootstrap.Contract, maxBodyBytes int64) bootstrap.CaseConfig {
	e.T.Helper()
	n, noticeYAML, err := bootstrap.LoadNotice(service, e.NoticeFile, builtInNotice)
	if err != nil {
		e.T.Fatal(err)
	}
	var clock calendar.Clock = calendar.SystemClock{}
	if e.Clock != nil {
		clock = e.Clock
	}
	return bootstrap.CaseConfig{DB: e.DB, NATS: e.NATS.Conn, Clock: clock, Notice: n, NoticeYAML: noticeYAML,
		Auth: e.Auth, MaxBodyBytes: maxBodyBytes, Logger: e.Logger,
		Relay: messaging.RelayConfig{PollInterval: 50 * time.Millisecond}}
}

// ServiceConfig is the shared configuration of a service that is not a case service on
// this environment.
func (e *Env) ServiceConfig() bootstrap.ServiceConfig {
	return bootstrap.ServiceConfig{DB: e.DB, NATS: e.NATS.Conn, Auth: e.Auth, Logger: e.Logger}
}

// Shutdown stops the service; safe to call twice.
func (e *Env) Shutdown() {
	if e.stop == nil {
		return
	}
	e.Server.Close()
	e.stop()
	if err := <-e.done; err != nil {
		e.T.Errorf("background: %v", err)
	}
	e.stop = nil
}

// Token is a dev token for subject with roles, valid for an hour from the environment's now.
func (e *Env) Token(subject string, roles ...string) string {
	now := time.Now()
	if e.Clock != nil {
		now = e.Clock.Now()
	}
	tok, err := httpserver.IssueDevToken(e.Auth, subject, subject, roles, time.Hour, now)
	if err != nil {
		e.T.Fatal(err)
	}
	return tok
}

// Call sends a request to the service (see testkit.Call).
func (e *Env) Call(method, path, token string, body any, headers ...string) Response {
	e.T.Helper()
	return Call(e.T, e.Server.URL, method, path, token, body, headers...)
}

// Must calls and fails the test unless the status is as expected (see testkit.Must).
func (e *Env) Must(status int, method, path, token string, body any, headers ...string) map[string]any {
	e.T.Helper()
	return Must(e.T, status, e.Server.URL, method, path, token, body, headers...)
}

// Expect calls and fails the test unless the status is as expected, returning the whole
// answer (headers and body) for the test to look into.
func (e *Env) Expect(status int, method, path, token string, body any, headers ...string) Response {
	e.T.Helper()
	r := e.Call(method, path, token, body, headers...)
	if r.Status != status {
		e.T.Fatalf("%s %s: %d, want %d: %s", method, path, r.Status, status, r.Body)
	}
	return r
}

// Collect gathers what arrives on a stream's subjects from its start.
func (e *Env) Collect(stream, filter string) *Collector {
	e.T.Helper()
	return Collect(e.T, e.NATS.JS, stream, filter)
}

// Tap stands in for a council consumer on an interest-retention stream (a webhook
// delivery worker): it never acknowledges, so the stream keeps every message for the test
// to read back.
func (e *Env) Tap(ctx context.Context, stream, durable string) error {
	_, err := e.NATS.JS.CreateOrUpdateConsumer(ctx, stream, jetstream.ConsumerConfig{
		Durable: durable, FilterSubject: ">", AckPolicy: jetstream.AckExplicitPolicy})
	return err
}

// WaitRelayed polls until the outbox relay has published every outbox row.
func (e *Env) WaitRelayed(t testing.TB) {
	t.Helper()
	Eventually(t, 10*time.Second, "outbox relayed", func() (bool, string) {
		n, err := messaging.Pending(context.Background(), e.DB)
		return err == nil && n == 0, fmt.Sprintf("%d pending, err %v", n, err)
	})
}

// OutboxRows is how many rows the outbox holds, published or not.
func (e *Env) OutboxRows(t testing.TB) int {
	t.Helper()
	var n int
	if err := e.DB.Get(&n, `SELECT count(*) FROM watermill_outbox`); err != nil {
		t.Fatal(err)
	}
	return n
}

// SubjectCount is how many messages stream holds on exactly subject.
func (e *Env) SubjectCount(t testing.TB, stream, subject string) int {
	t.Helper()
	s, err := e.NATS.JS.Stream(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background(), jetstream.WithSubjectFilter(subject))
	if err != nil {
		t.Fatal(err)
	}
	return int(info.State.Subjects[subject])
}
