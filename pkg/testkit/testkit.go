// Package testkit gives integration tests real infrastructure: a fresh PostgreSQL database
// per test on the server deploy/local/postgres.sh starts, and an embedded NATS JetStream
// server on a random port with a temporary store. Test support is the one place in pkg that
// reads the environment (CASEWORK_PG_HOST, CASEWORK_PG_PORT), so CI can point it elsewhere.
package testkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	"casework.dev/pkg/messaging"
	"casework.dev/pkg/natsserver"
	"casework.dev/pkg/postgres"
)

// PostgresConfig is the test server's connection, pointing at the maintenance database.
func PostgresConfig() postgres.Config {
	port := 54329
	if p, err := strconv.Atoi(os.Getenv("CASEWORK_PG_PORT")); err == nil {
		port = p
	}
	host := os.Getenv("CASEWORK_PG_HOST")
	if host == "" {
		host = "127.0.0.1"
	}
	return postgres.Config{Host: host, Port: port, User: "casework", Password: "casework",
		Database: "postgres", SSLMode: "disable", MaxOpenConns: 20}
}

// NewDatabase creates an empty database for this test, applies the migration sets and drops
// the database when the test ends.
func NewDatabase(t testing.TB, sets ...postgres.Migration) (*sqlx.DB, postgres.Config) {
	t.Helper()
	db, cfg, drop, err := newDatabase(t, sets)
	t.Cleanup(drop)
	if err != nil {
		t.Fatal(err)
	}
	return db, cfg
}

// NewDatabases creates one database per service, each with its migration sets, at once (a
// test that runs several services waits for the slowest, not for the sum), and drops them
// when the test ends.
func NewDatabases(t testing.TB, services ...[]postgres.Migration) []*sqlx.DB {
	t.Helper()
	dbs := make([]*sqlx.DB, len(services))
	drops := make([]func(), len(services))
	t.Cleanup(func() {
		var g errgroup.Group
		for _, drop := range drops {
			g.Go(func() error { drop(); return nil })
		}
		_ = g.Wait()
	})
	var g errgroup.Group
	for i, sets := range services {
		g.Go(func() (err error) {
			dbs[i], _, drops[i], err = newDatabase(t, sets)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	return dbs
}

// newDatabase creates and migrates the database; drop (never nil) drops what was created.
func newDatabase(t testing.TB, sets []postgres.Migration) (db *sqlx.DB, cfg postgres.Config, drop func(), err error) {
	ctx := context.Background()
	cfg = PostgresConfig().WithDatabase("t_" + sanitize(t.Name()) + "_" + randomHex(4))
	drop = func() {}
	sweepStale(t)
	if err := postgres.EnsureDatabase(ctx, cfg); err != nil {
		return nil, cfg, drop, fmt.Errorf("create test database (is PostgreSQL running? make test starts it): %w", err)
	}
	drop = func() {
		if db != nil {
			db.Close()
		}
		admin, err := postgres.Open(ctx, PostgresConfig())
		if err != nil {
			t.Logf("drop test database: %v", err)
			return
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS "`+cfg.Database+`" WITH (FORCE)`); err != nil {
			t.Logf("drop test database %s: %v", cfg.Database, err)
		}
	}
	if db, err = postgres.Open(ctx, cfg); err != nil {
		return nil, cfg, drop, fmt.Errorf("open test database: %w", err)
	}
	if err := markCreated(ctx, db, cfg.Database); err != nil {
		return db, cfg, drop, fmt.Errorf("mark test database: %w", err)
	}
	if err := postgres.Migrate(ctx, db, sets...); err != nil {
		return db, cfg, drop, fmt.Errorf("migrate test database: %w", err)
	}
	return db, cfg, drop, nil
}

// NATS is an embedded JetStream server for one test.
type NATS struct {
	Server *server.Server
	URL    string
	Conn   *nats.Conn
	JS     jetstream.JetStream
}

// NewNATS starts an embedded server on a random port with a temporary store.
func NewNATS(t testing.TB) *NATS {
	t.Helper()
	ns, err := natsserver.Start(natsserver.Config{Port: -1, StoreDir: t.TempDir()})
	if err != nil {
		t.Fatalf("start nats: %v", err)
	}
	t.Cleanup(ns.Shutdown)
	nc, err := nats.Connect(ns.ClientURL(), messaging.ConnectOptions()...)
	if err != nil {
		t.Fatalf("connect nats: %v", err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("jetstream: %v", err)
	}
	return &NATS{Server: ns, URL: ns.ClientURL(), Conn: nc, JS: js}
}

// Eventually polls cond until it reports true or the timeout passes; the message describes
// what was awaited and, from cond, what was last seen.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	backoff := time.Millisecond
	var last string
	for {
		ok, seen := cond()
		if ok {
			return
		}
		last = seen
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s; last seen: %s", timeout, what, last)
		}
		time.Sleep(backoff) // polling interval, not a fixed wait
		if backoff < 50*time.Millisecond {
			backoff *= 2
		}
	}
}

func sanitize(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 30 {
			break
		}
	}
	return b.String()
}

func randomHex(n int) string {
	buf := make([]byte, n)
	_, _ = rand.Read(buf)
	return hex.EncodeToString(buf)
}
