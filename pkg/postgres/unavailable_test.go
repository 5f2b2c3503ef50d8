package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
)

func TestIsUnavailableRecognisesADatabaseThatCannotServe(t *testing.T) {
	ctx := context.Background()
	db, _ := testkit.NewDatabase(t)
	pinned, err := db.Connx(ctx) // a pooled connection the outage cuts under it
	if err != nil {
		t.Fatal(err)
	}
	defer pinned.Close()
	if err := pinned.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	restore := testkit.CutDatabase(t, db)

	unavailable := map[string]error{}
	_, unavailable["a query on a connection the server ended"] = pinned.ExecContext(ctx, `SELECT 1`)
	_, unavailable["a query needing a new connection, refused"] = db.ExecContext(ctx, `SELECT 1`)
	_, unavailable["a transaction begun while refused"] = db.BeginTxx(ctx, nil)
	unavailable["a unit of work, wrapped"] = postgres.InTx(ctx, db, func(*sqlx.Tx) error { return nil })
	restore()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := testkit.PostgresConfig()
	closed.Port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	_, unavailable["nothing listening"] = postgres.Open(ctx, closed)

	// The server cancels it (57014) however slowly this machine runs: a client-side deadline
	// could pass before the statement is even sent, and that is the caller's own error.
	timed, err := db.Connx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer timed.Close()
	if _, err := timed.ExecContext(ctx, `SET statement_timeout = '50ms'`); err != nil {
		t.Fatal(err)
	}
	_, unavailable["a statement cancelled at its deadline"] = timed.ExecContext(ctx, `SELECT pg_sleep(5)`)
	unavailable["a closed connection"] = pinned.PingContext(ctx)
	closedPool, _ := testkit.NewDatabase(t)
	closedPool.Close()
	_, unavailable["the pool closed at shutdown"] = closedPool.ExecContext(ctx, `SELECT 1`)
	for name, err := range unavailable {
		if err == nil {
			t.Errorf("%s: no error", name)
		} else if !postgres.IsUnavailable(err) {
			t.Errorf("%s: %v (%T) not classified unavailable", name, err, err)
		}
	}

	// Errors of the request itself, answered as they are.
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id int PRIMARY KEY, note text)`); err != nil {
		t.Fatal(err)
	}
	available := map[string]error{"nil": nil, "no rows": fmt.Errorf("load: %w", sql.ErrNoRows),
		"caller gone": context.Canceled, "caller's deadline": context.DeadlineExceeded}
	_, available["a unique violation"] = db.ExecContext(ctx, `INSERT INTO t VALUES (1, 'a'), (1, 'b')`)
	_, available["text the database refuses"] = db.ExecContext(ctx, `INSERT INTO t VALUES (2, $1)`, "bins\x00")
	_, available["a syntax error"] = db.ExecContext(ctx, `SELEKT 1`)
	_, available["a sequence not yet used (55000, not FATAL)"] = db.ExecContext(ctx, `CREATE SEQUENCE s; SELECT currval('s')`)
	for name, err := range available {
		if name != "nil" && err == nil {
			t.Errorf("%s: no error", name)
		} else if postgres.IsUnavailable(err) {
			t.Errorf("%s: %v classified unavailable", name, err)
		}
	}
	if err := db.PingContext(ctx); err != nil || errors.Is(err, sql.ErrConnDone) {
		t.Fatalf("the pool did not recover after the outage: %v", err)
	}
}

// A serialization failure or a deadlock is a lost race, never an outage: run again, the
// request may succeed; anything else is neither.
func TestIsLostRaceRecognisesSerializationFailuresAndDeadlocks(t *testing.T) {
	ctx := context.Background()
	db, _ := testkit.NewDatabase(t)
	raise := func(code string) error {
		_, err := db.ExecContext(ctx, `DO $$ BEGIN RAISE EXCEPTION 'raced' USING ERRCODE = '`+code+`'; END $$`)
		return fmt.Errorf("save: %w", err)
	}
	for _, code := range []string{"40001", "40P01"} {
		err := raise(code)
		if !postgres.IsLostRace(err) || postgres.IsUnavailable(err) {
			t.Errorf("%s: lost race %v, unavailable %v; want a lost race only", code, postgres.IsLostRace(err), postgres.IsUnavailable(err))
		}
	}
	for _, err := range []error{nil, raise("23505"), raise("40002"), context.Canceled} {
		if postgres.IsLostRace(err) {
			t.Errorf("%v classified a lost race", err)
		}
	}
}
