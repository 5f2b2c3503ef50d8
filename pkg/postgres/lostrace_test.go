package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
)

// A serialization failure produced by PostgreSQL itself is a lost race, wrapped or not;
// it is never an unavailable database. Other refusals are neither.
func TestIsLostRaceRecognisesASerializationFailure(t *testing.T) {
	ctx := context.Background()
	db, _ := testkit.NewDatabase(t)
	if _, err := db.ExecContext(ctx, `CREATE TABLE counter (id int PRIMARY KEY, n int); INSERT INTO counter VALUES (1, 0)`); err != nil {
		t.Fatal(err)
	}
	first, err := db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback() //nolint:errcheck // ended below
	if _, err := first.ExecContext(ctx, `SELECT n FROM counter WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE counter SET n = n + 1 WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	_, lost := first.ExecContext(ctx, `UPDATE counter SET n = n + 1 WHERE id = 1`)
	if !postgres.IsLostRace(lost) || !postgres.IsLostRace(fmt.Errorf("save: %w", lost)) {
		t.Fatalf("serialization failure %v not classified a lost race", lost)
	}
	if postgres.IsUnavailable(lost) {
		t.Fatalf("serialization failure %v classified unavailable", lost)
	}
	_, duplicate := db.ExecContext(ctx, `INSERT INTO counter VALUES (1, 0)`)
	for _, err := range []error{duplicate, errors.New("other"), postgres.InTx(ctx, db, func(*sqlx.Tx) error { return nil })} {
		if postgres.IsLostRace(err) {
			t.Errorf("%v classified a lost race", err)
		}
	}
}
