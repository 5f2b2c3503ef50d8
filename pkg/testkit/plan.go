package testkit

import (
	"context"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
)

// PlanOf is PostgreSQL's plan of query with args, as EXPLAIN prints it, chosen with
// sequential scans priced out: on a test's few rows the planner would scan a table even
// where an index serves, so what the plan still reads in full is what no index can serve.
func PlanOf(t testing.TB, db *sqlx.DB, query string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Connx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `RESET enable_seqscan`) //nolint:errcheck // the connection goes back to a test's pool
	var lines []string
	if err := conn.SelectContext(ctx, &lines, `EXPLAIN `+query, args...); err != nil {
		t.Fatalf("explain: %v", err)
	}
	return strings.Join(lines, "\n")
}
