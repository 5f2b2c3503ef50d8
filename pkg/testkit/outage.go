package testkit

import (
	"context"
	"testing"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/postgres"
)

// CutDatabase is a database outage for db's database: every connection to it is ended
// (pg_terminate_backend) and new ones are refused (ALLOW_CONNECTIONS false) until the
// returned function, also run when the test ends, lets them in again.
func CutDatabase(t testing.TB, db *sqlx.DB) (restore func()) {
	t.Helper()
	ctx := context.Background()
	var name string
	if err := db.GetContext(ctx, &name, `SELECT current_database()`); err != nil {
		t.Fatalf("cut database: %v", err)
	}
	admin, err := postgres.Open(ctx, PostgresConfig())
	if err != nil {
		t.Fatalf("cut database: %v", err)
	}
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := admin.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("cut database: %s: %v", query, err)
		}
	}
	exec(`ALTER DATABASE "` + name + `" ALLOW_CONNECTIONS false`)
	// Client sessions only: an autovacuum worker on the database is the server's own (a
	// superuser process this role may not end), and takes no requests.
	exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'`, name)
	restored := false
	restore = func() {
		t.Helper()
		if restored {
			return
		}
		restored = true
		exec(`ALTER DATABASE "` + name + `" ALLOW_CONNECTIONS true`)
		admin.Close()
	}
	t.Cleanup(restore)
	return restore
}
