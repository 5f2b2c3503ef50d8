package postgres_test

import (
	"context"
	"testing"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
)

func TestPreparedReusesStatementsAndFallsBackBeyondItsBound(t *testing.T) {
	db, _ := testkit.NewDatabase(t)
	ctx := context.Background()
	p := postgres.NewPrepared(db, 1)
	defer p.Close()

	for i := 1; i <= 3; i++ {
		var got int
		if err := sqlx.GetContext(ctx, p, &got, `SELECT $1::int + 1`, i); err != nil || got != i+1 {
			t.Fatalf("prepared run %d: %d, %v", i, got, err)
		}
	}
	// Beyond the bound a query still runs, unprepared.
	var words []string
	if err := sqlx.SelectContext(ctx, p, &words, `SELECT unnest(ARRAY['a', 'b'])`); err != nil || len(words) != 2 {
		t.Fatalf("unprepared run: %v %v", words, err)
	}
	if err := sqlx.GetContext(ctx, p, new(int), `SELECT nope`); err == nil {
		t.Fatal("a bad query must fail")
	}
}
