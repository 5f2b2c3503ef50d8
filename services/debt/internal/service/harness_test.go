package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/testkit"
	"casework.dev/services/debt/internal/domain"
	"casework.dev/services/debt/internal/ports"
	"casework.dev/services/debt/internal/service"
)

// start is Monday 2 March 2026, 10:00 London (GMT).
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// env is one debt service on the testkit's environment, with a clock the test moves and
// everything the service logged, from debug up, kept to show no personal value is in it.
type env struct {
	*testkit.Env
	svc       *service.Service
	logs      *logBuffer
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
	return newEnvOn(t, nil, nil, calendar.NewManualClock(start), append(domain.BuiltInSchedules(), extra...))
}

// newEnvOn starts the service on existing infrastructure (nil: fresh), as a restart would.
func newEnvOn(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock, schedules domain.Schedules) *env {
	t.Helper()
	return newEnvWith(t, db, n, clock, schedules, calendar.Config{})
}

// newEnvWith is newEnvOn with a calendar of its own, such as one with a bank holiday
// announced after the table was published (calendar.Config.Extra).
func newEnvWith(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock, schedules domain.Schedules, holidays calendar.Config) *env {
	t.Helper()
	cal, err := calendar.New(holidays)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{logs: &logBuffer{}, schedules: schedules}
	e.Env = testkit.StartService(t, testkit.ServiceEnv{Migrations: service.Migrations(), DB: db, NATS: n, Clock: clock,
		Start: func(ctx context.Context, te *testkit.Env) (bootstrap.Runnable, error) {
			cfg := te.CaseConfig(service.Name, contracts.Notice, service.MaxJSONBodyBytes)
			cfg.Logger = slog.New(slog.NewTextHandler(io.MultiWriter(e.logs, testkit.LogWriter{T: t}), &slog.HandlerOptions{Level: slog.LevelDebug}))
			svc, err := service.New(ctx, service.Config{CaseConfig: cfg, Calendar: cal, Schedules: schedules, Referrals: ports.Referrals{Batch: 3}})
			e.svc = svc
			return svc, err
		}})
	return e
}

func (e *env) officer() string { return e.Token("olive", "enforcement_officer") }
func (e *env) agent() string   { return e.Token("arthur", "enforcement_agent") }
func (e *env) manager() string { return e.Token("mona", "enforcement_manager") }
func (e *env) client(id string) string {
	return e.Token("user-of-"+id, "debt_client", "debt_client:"+id)
}

// upload sends a referral file.
func (e *env) upload(token, contentType, file, query string) testkit.Response {
	e.T.Helper()
	req, err := http.NewRequest("POST", e.Server.URL+"/referrals"+query, strings.NewReader(file))
	if err != nil {
		e.T.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.T.Fatal(err)
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
	e.T.Helper()
	file := "client_reference,order_date,order_reference,debtor_name,address,amount_pence\n" +
		ref + ",2026-01-10,LO-" + ref + ",Dora Debtor,\"1 High Street, Maidstone ME14 1AA\"," + strconv.Itoa(amount) + "\n"
	r := e.upload(e.client(client), "text/csv", file, "")
	if r.Status != 200 {
		e.T.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	rows := r.JSON(e.T)["rows"].([]any)
	row := rows[0].(map[string]any)
	if row["outcome"] != "accepted" {
		e.T.Fatalf("row %v", row)
	}
	return row["case_id"].(string)
}

// noPersonalValueOutsideTheCase checks that no value is on the given messages, in the
// audit trail, in an outbox message other than a disclosure (share.*), or in the log.
func (e *env) noPersonalValueOutsideTheCase(t *testing.T, msgs []jetstream.Msg, values ...string) {
	t.Helper()
	var trail, outbox string
	if err := e.DB.Get(&trail, `SELECT coalesce(string_agg(actor || ' ' || action || ' ' || detail::text, E'\n'), '') FROM audit_log`); err != nil {
		t.Fatal(err)
	}
	if err := e.DB.Get(&outbox, `SELECT coalesce(string_agg(payload::text, E'\n'), '') FROM watermill_outbox
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
