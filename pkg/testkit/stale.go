package testkit

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/postgres"
)

// createdMark begins the comment newDatabase puts on each test database; the time after it
// is when the database was made.
const createdMark = "casework test database, created "

// staleAfter is how old a marked test database must be before a later run drops it: far
// longer than any test runs, so a database in use is never taken.
const staleAfter = 3 * time.Hour

var sweepOnce sync.Once

// markCreated notes on a fresh test database, through its own connection, when it was
// made, so that sweepStale can tell one a killed run left behind (its cleanups never ran)
// from one in use.
func markCreated(ctx context.Context, db *sqlx.DB, name string) error {
	_, err := db.ExecContext(ctx, `COMMENT ON DATABASE `+pq.QuoteIdentifier(name)+` IS `+
		pq.QuoteLiteral(createdMark+time.Now().UTC().Format(time.RFC3339)))
	return err
}

// sweepStale drops, once per test binary, the marked test databases older than staleAfter.
// Each one left behind costs the server an autovacuum visit a minute, and the machine's
// benchmarks felt two hundred of them. Failures only log: a sweep never fails a test.
func sweepStale(t testing.TB) {
	sweepOnce.Do(func() {
		if err := dropStale(context.Background(), time.Now()); err != nil {
			t.Logf("sweep stale test databases: %v", err)
		}
	})
}

// dropStale drops the test databases marked as created before now-staleAfter.
func dropStale(ctx context.Context, now time.Time) error {
	admin, err := postgres.Open(ctx, PostgresConfig())
	if err != nil {
		return err
	}
	defer admin.Close()
	var dbs []struct {
		Name    string `db:"datname"`
		Comment string `db:"comment"`
	}
	if err := admin.SelectContext(ctx, &dbs, `SELECT datname, coalesce(shobj_description(oid, 'pg_database'), '') AS comment
		FROM pg_database WHERE datname LIKE 't\_%'`); err != nil {
		return err
	}
	for _, db := range dbs {
		created, err := time.Parse(time.RFC3339, strings.TrimPrefix(db.Comment, createdMark))
		if !strings.HasPrefix(db.Comment, createdMark) || err != nil || now.Sub(created) < staleAfter {
			continue
		}
		if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(db.Name)+` WITH (FORCE)`); err != nil {
			return fmt.Errorf("drop %s: %w", db.Name, err)
		}
	}
	return nil
}
