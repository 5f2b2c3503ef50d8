package bootstrap_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
)

// downs lists what a readiness check reports down, as "name" or "name (degraded)".
func downs(err error) []string {
	var out []string
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			out = append(out, downs(e)...)
		}
		return out
	}
	var d *httpserver.DependencyDown
	switch {
	case err == nil:
	case errors.As(err, &d) && d.Degraded:
		out = append(out, d.Dependency+" (degraded)")
	case errors.As(err, &d):
		out = append(out, d.Dependency)
	default:
		out = append(out, "other: "+err.Error())
	}
	return out
}

// The database is required; the broker only degrades the service, since writes still
// commit and the outbox holds their events.
func TestReadyRequiresTheDatabaseAndIsDegradedWithoutTheBroker(t *testing.T) {
	db, _ := testkit.NewDatabase(t)
	n := testkit.NewNATS(t)
	ready := bootstrap.Ready(db, n.Conn)
	if err := ready(); err != nil {
		t.Fatalf("all up: %v", err)
	}

	restore := testkit.CutDatabase(t, db)
	err := ready()
	if got := fmt.Sprint(downs(err)); got != "[database]" {
		t.Fatalf("database cut: %s (%v)", got, err)
	}
	if !postgres.IsUnavailable(err) {
		t.Fatalf("the cause is kept for the log: %v", err)
	}
	restore()
	testkit.Eventually(t, 10*time.Second, "ready again", func() (bool, string) {
		err := ready()
		return err == nil, fmt.Sprint(err)
	})

	n.Server.Shutdown()
	testkit.Eventually(t, 10*time.Second, "the broker reported degraded", func() (bool, string) {
		got := fmt.Sprint(downs(ready()))
		return got == "[broker (degraded)]", got
	})
}

// A check the service adds (the outbox relay recovering after a restore) makes it unready
// with its reason, alongside what the platform checks found.
func TestReadyAnswersEveryCheckThatFails(t *testing.T) {
	db, _ := testkit.NewDatabase(t)
	n := testkit.NewNATS(t)
	recovering := errors.New("outbox relay recovering")
	var relay error
	ready := bootstrap.Ready(db, n.Conn, func() error { return nil }, func() error { return relay })
	if err := ready(); err != nil {
		t.Fatalf("connected, every check content: %v", err)
	}
	relay = recovering
	if err := ready(); !errors.Is(err, recovering) || fmt.Sprint(downs(err)) != "[other: outbox relay recovering]" {
		t.Fatalf("with the relay recovering: %v, want its reason", err)
	}
	n.Conn.Close()
	if err := ready(); !errors.Is(err, recovering) || fmt.Sprint(downs(err)) != "[broker (degraded) other: outbox relay recovering]" {
		t.Fatalf("without NATS and with the relay recovering: %v", downs(err))
	}
}

// A service's sessions plan its prepared statements once (generic plans) and never stop to
// JIT-compile one: a compile costs tens of milliseconds of CPU that other requests wait
// behind.
func TestServiceSessionsUseGenericPlansAndNeverJIT(t *testing.T) {
	_, cfg := testkit.NewDatabase(t)
	db, err := bootstrap.OpenDatabase(t.Context(), bootstrap.DB{Host: cfg.Host, Port: cfg.Port, User: cfg.User,
		Password: cfg.Password, Name: cfg.Database, SSLMode: cfg.SSLMode, MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for setting, want := range map[string]string{"jit": "off", "plan_cache_mode": "force_generic_plan"} {
		var got string
		if err := db.Get(&got, "SHOW "+setting); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", setting, got, want)
		}
	}
}
