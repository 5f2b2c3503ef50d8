package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/contracts"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/testkit"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/service"
)

// env is one investigations service on the testkit's environment, with a clock the test moves.
type env struct {
	*testkit.Env
	svc *service.Service
}

// start is Monday 2 March 2026, 10:00 London (GMT).
var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// asbReview is the case review threshold the tests run with: 3 reports in 183 days.
var asbReview = app.ASBReviewConfig{Threshold: 3, Within: 183 * 24 * time.Hour}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvWithNotice(t, nil, nil, calendar.NewManualClock(start), "")
}

// newEnvWithNotice starts a service enforcing the notice file given ("": the contract's),
// on existing infrastructure where db and n are given.
func newEnvWithNotice(t *testing.T, db *sqlx.DB, n *testkit.NATS, clock *calendar.ManualClock, noticeFile string) *env {
	t.Helper()
	e := &env{}
	e.Env = testkit.StartService(t, testkit.ServiceEnv{Migrations: service.Migrations(), DB: db, NATS: n, Clock: clock, NoticeFile: noticeFile,
		Start: func(ctx context.Context, te *testkit.Env) (bootstrap.Runnable, error) {
			svc, err := service.New(ctx, service.Config{CaseConfig: te.CaseConfig(service.Name, contracts.Notice, service.MaxBodyBytes), ASBReview: asbReview})
			e.svc = svc
			return svc, err
		}})
	return e
}

func (e *env) officer(name string) string { return e.Token(name, "investigations_officer") }
func (e *env) manager(name string) string { return e.Token(name, "investigations_manager") }

// serviceNotice is the notice the service enforces by default: its contract's.
func serviceNotice() (*notice.Notice, []byte, error) {
	return bootstrap.LoadNotice(service.Name, "", contracts.Notice)
}
