package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/testkit"
	"casework.dev/services/debt/internal/domain"
	"casework.dev/services/debt/internal/service"
)

var devKey = []byte("test-signing-key-that-is-32-bytes-long!")

// start is Monday 2 March 2026, 10:00 London (GMT).
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

type env struct {
	t      *testing.T
	db     *sqlx.DB
	nats   *testkit.NATS
	clock  *calendar.ManualClock
	svc    *service.Service
	server *httptest.Server
	auth   httpserver.AuthConfig
	stop   func()
	done   chan error
	logs   *logBuffer // everything the service logged, from debug up

	schedules domain.Schedules
}

// logBuffer keeps what the service logs so a test can show no personal value is in it.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newEnv starts the service on a fresh database and broker; extra fee schedules are added
// to the statutory ones.
func newEnv(t *testing.T, extra ...domain.FeeSchedule) *env {
	t.Helper()
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	return newEnvOn(t, db, testkit.NewNATS(t), calendar.NewManualClock(start), append(domain.BuiltInSchedules(), extra...))
}

// newEnvOn starts the service on existing infrastructure, as a restart would.
func newEnvOn(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock, schedules domain.Schedules) *env {
	t.Helper()
	cal, err := calendar.New(calendar.Config{})
	if err != nil {
		t.Fatal(err)
	}
	notice, raw, err := service.LoadNotice("")
	if err != nil {
		t.Fatal(err)
	}
	auth := httpserver.AuthConfig{Issuer: "casework-test", Audience: "casework", DevSigningKey: devKey, Now: clock.Now}
	logs := &logBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := service.New(ctx, service.Config{
		DB: db, NATS: n.Conn, Clock: clock, Calendar: cal, Notice: notice, NoticeYAML: raw, Auth: auth,
		Schedules: schedules, ReferralBatch: 3,
		Logger:       slog.New(slog.NewTextHandler(io.MultiWriter(logs, testkit.LogWriter{T: t}), &slog.HandlerOptions{Level: slog.LevelDebug})),
		MaxBodyBytes: 64 << 10, Relay: messaging.RelayConfig{PollInterval: 50 * time.Millisecond},
	})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	e := &env{t: t, db: db, nats: n, clock: clock, svc: svc, auth: auth, server: httptest.NewServer(svc.Handler),
		stop: cancel, done: make(chan error, 1), logs: logs, schedules: schedules}
	go func() { e.done <- svc.RunBackground(ctx) }()
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

func (e *env) officer() string { return e.token("olive", "enforcement_officer") }
func (e *env) agent() string   { return e.token("arthur", "enforcement_agent") }
func (e *env) manager() string { return e.token("mona", "enforcement_manager") }
func (e *env) client(id string) string {
	return e.token("user-of-"+id, "debt_client", "debt_client:"+id)
}

func (e *env) call(method, path, token string, body any, headers ...string) testkit.Response {
	e.t.Helper()
	return testkit.Call(e.t, e.server.URL, method, path, token, body, headers...)
}

func (e *env) must(status int, method, path, token string, body any, headers ...string) map[string]any {
	e.t.Helper()
	return testkit.Must(e.t, status, e.server.URL, method, path, token, body, headers...)
}

// upload sends a referral file.
func (e *env) upload(token, contentType, file, query string) testkit.Response {
	e.t.Helper()
	req, err := http.NewRequest("POST", e.server.URL+"/referrals"+query, strings.NewReader(file))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return testkit.Response{Status: res.StatusCode, Header: res.Header, Body: []byte(b.String())}
}

// referOne refers one debt as the client and returns its case id.
func (e *env) referOne(client, ref string, amount int) string {
	e.t.Helper()
	file := "client_reference,order_date,order_reference,debtor_name,address,amount_pence\n" +
		ref + ",2026-01-10,LO-" + ref + ",Dora Debtor,\"1 High Street, Maidstone ME14 1AA\"," + strconv.Itoa(amount) + "\n"
	r := e.upload(e.client(client), "text/csv", file, "")
	if r.Status != 200 {
		e.t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	rows := r.JSON(e.t)["rows"].([]any)
	row := rows[0].(map[string]any)
	if row["outcome"] != "accepted" {
		e.t.Fatalf("row %v", row)
	}
	return row["case_id"].(string)
}

func (e *env) collect(stream, filter string) *testkit.Collector {
	return testkit.Collect(e.t, e.nats.JS, stream, filter)
}

// noPersonalValueOutsideTheCase checks that no value is on the given messages, in the
// audit trail, in an outbox message other than a disclosure (share.*), or in the log.
func (e *env) noPersonalValueOutsideTheCase(t *testing.T, msgs []jetstream.Msg, values ...string) {
	t.Helper()
	var trail, outbox string
	if err := e.db.Get(&trail, `SELECT coalesce(string_agg(actor || ' ' || action || ' ' || detail::text, E'\n'), '') FROM audit_log`); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Get(&outbox, `SELECT coalesce(string_agg(payload::text, E'\n'), '') FROM watermill_outbox
		WHERE metadata->>'Casework-Event-Type' NOT LIKE 'share.%'`); err != nil {
		t.Fatal(err)
	}
	places := map[string]string{"audit trail": trail, "outbox": outbox, "log": e.logs.String()}
	for _, m := range msgs {
		places[m.Subject()] += string(m.Data())
	}
	for where, text := range places {
		for _, v := range values {
			if strings.Contains(text, v) {
				t.Errorf("%q is in the %s", v, where)
			}
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
