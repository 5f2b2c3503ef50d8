package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

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

	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, unavailable["a statement cancelled at its deadline"] = db.ExecContext(short, `SELECT pg_sleep(5)`)
	unavailable["a closed connection"] = pinned.PingContext(ctx)
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

// A serialization failure or a deadlock is a lost race, which the same work may win when
// tried again: never an unavailable database.
func TestIsLostRaceRecognisesSerializationFailuresAndDeadlocks(t *testing.T) {
	db, _ := testkit.NewDatabase(t)
	for _, code := range []string{"40001", "40P01"} {
		_, err := db.Exec(`DO $$ BEGIN RAISE EXCEPTION 'lost' USING ERRCODE = '` + code + `'; END $$`)
		if !postgres.IsLostRace(fmt.Errorf("save: %w", err)) || postgres.IsUnavailable(err) {
			t.Errorf("%s: %v: lost race %v, unavailable %v", code, err, postgres.IsLostRace(err), postgres.IsUnavailable(err))
		}
	}
	_, err := db.Exec(`SELECT 1/0`)
	if postgres.IsLostRace(err) || postgres.IsLostRace(nil) {
		t.Errorf("a division by zero or no error is no lost race: %v", err)
	}
}
