package testkit

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"casework.dev/pkg/postgres"
)

// A killed run's databases are dropped by a later run once they are old; a database in use,
// or one this code did not mark, is kept.
func TestStaleTestDatabasesAreDropped(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	suffix := randomHex(4)
	made := map[string]string{ // name -> comment
		"t_stale_old_" + suffix:      createdMark + now.Add(-staleAfter-time.Minute).UTC().Format(time.RFC3339),
		"t_stale_recent_" + suffix:   createdMark + now.Add(-staleAfter+time.Minute).UTC().Format(time.RFC3339),
		"t_stale_unmarked_" + suffix: "",
	}
	admin, err := postgres.Open(ctx, PostgresConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() }) // after the drops below, which run first
	for name, comment := range made {
		if err := postgres.EnsureDatabase(ctx, PostgresConfig().WithDatabase(name)); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+pq.QuoteIdentifier(name)) })
		if comment != "" {
			if _, err := admin.ExecContext(ctx, `COMMENT ON DATABASE `+pq.QuoteIdentifier(name)+` IS `+pq.QuoteLiteral(comment)); err != nil {
				t.Fatal(err)
			}
		}
	}
	db, _ := NewDatabase(t) // this test's own, marked now

	if err := dropStale(ctx, now); err != nil {
		t.Fatal(err)
	}
	for name := range made {
		var exists bool
		if err := admin.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name); err != nil {
			t.Fatal(err)
		}
		if want := name != "t_stale_old_"+suffix; exists != want {
			t.Errorf("%s exists=%v, want %v", name, exists, want)
		}
	}
	var comment string
	if err := db.GetContext(ctx, &comment, `SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()`); err != nil {
		t.Fatalf("the test's own database was dropped: %v", err)
	}
	if created, err := time.Parse(time.RFC3339, strings.TrimPrefix(comment, createdMark)); !strings.HasPrefix(comment, createdMark) || err != nil || now.Sub(created) > time.Minute {
		t.Fatalf("the test's own database is marked %q", comment)
	}
}
