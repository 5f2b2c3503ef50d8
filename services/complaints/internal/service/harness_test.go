package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/testkit"
	"casework.dev/services/complaints/internal/service"
)

// env is one complaints service on the testkit's environment, with a clock the test moves.
type env struct {
	*testkit.Env
	svc *service.Service
}

// shareTap is the test's consumer on the council's share stream: it stands in for a
// council consumer that still has to deliver (TestCouncilKeepsNoCopyOfDisclosures runs
// without it), so tests can read every disclosure back from the stream.
const shareTap = "test-share-tap"

// start is Monday 2 March 2026, 10:00 London (GMT).
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newEnv(t testing.TB) *env { return newEnvOn(t, nil, nil, calendar.NewManualClock(start)) }

// newEnvOn starts a service on existing infrastructure, as a restart would.
func newEnvOn(t testing.TB, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock) *env {
	t.Helper()
	cal, err := calendar.New(calendar.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return newEnvWithCalendar(t, db, n, clock, cal)
}

// newEnvWithCalendar starts a service whose calendar the test chose (e.g. with a newly
// announced bank holiday).
func newEnvWithCalendar(t testing.TB, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock, cal *calendar.Calendar) *env {
	t.Helper()
	return newEnvWithNotice(t, db, n, clock, cal, "")
}

// newEnvWithNotice starts a service enforcing the notice file given ("": the contract's).
func newEnvWithNotice(t testing.TB, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock, cal *calendar.Calendar, noticeFile string) *env {
	t.Helper()
	e := &env{}
	e.Env = testkit.StartService(t, testkit.ServiceEnv{Migrations: service.Migrations(), DB: db, NATS: n, Clock: clock, NoticeFile: noticeFile,
		Start: func(ctx context.Context, te *testkit.Env) (bootstrap.Runnable, error) {
			svc, err := service.New(ctx, service.Config{CaseConfig: te.CaseConfig(service.Name, contracts.Notice, service.MaxBodyBytes), Calendar: cal})
			if err != nil {
				return nil, err
			}
			e.svc = svc
			return svc, te.Tap(ctx, "COMPLAINTS_SHARE", shareTap)
		}})
	return e
}

func (e *env) officer(name string) string { return e.Token(name, "complaints_officer") }
func (e *env) manager(name string) string { return e.Token(name, "complaints_manager") }

func aComplaint() map[string]any {
	return map[string]any{
		"complainant": map[string]any{"name": "Ada Lovelace", "address": "1 High Street, Maidstone ME14 1AA",
			"phone": "01622 000111", "email": "ada@example.org"},
		"details": "Bins not collected for three weeks on High Street.", "service": "waste", "channel": "web",
	}
}
