package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"casework.dev/migrations"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
)

func TestFromCommitTimesEachEventFromItsTransactionsCommit(t *testing.T) {
	ctx := context.Background()
	db, _ := testkit.NewDatabase(t, postgres.Migration{FS: migrations.Platform(), VersionTable: "goose_platform"})
	id := messaging.NewID()
	tx := db.MustBegin()
	if _, err := tx.Exec(`INSERT INTO watermill_outbox (uuid, payload, metadata, transaction_id)
		VALUES ($1, '{}', '{}', pg_current_xact_id())`, id); err != nil {
		t.Fatal(err)
	}
	// The transaction has been open a while before it commits (by the server's clock: now()
	// is the transaction's start), and the time from commit leaves that out.
	testkit.Eventually(t, 10*time.Second, "the transaction open for 200 ms", func() (bool, string) {
		var micros int64
		if err := tx.Get(&micros, `SELECT (extract(epoch FROM clock_timestamp() - now()) * 1e6)::bigint`); err != nil {
			t.Fatal(err)
		}
		open := time.Duration(micros) * time.Microsecond
		return open >= 200*time.Millisecond, open.String()
	})
	before := time.Now()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	arrived := after.Add(50 * time.Millisecond)

	p := &latencyProbe{ids: []string{id}, arrivals: []time.Time{arrived}}
	got, err := p.fromCommit(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	low, high := arrived.Sub(after), arrived.Sub(before)
	if ms := time.Duration(got.p50 * float64(time.Millisecond)); got.n != 1 || ms < low-time.Millisecond || ms > high+time.Millisecond {
		t.Fatalf("from commit: %.3f ms over %d events, want one between %v and %v", got.p50, got.n, low, high)
	}

	// An event whose row is not in the outbox is not passed over in silence.
	p = &latencyProbe{ids: []string{id, messaging.NewID()}, arrivals: []time.Time{arrived, arrived}}
	if _, err := p.fromCommit(ctx, db); err == nil || !strings.Contains(err.Error(), "commit timestamps for 1 of 2 events") {
		t.Fatalf("with an event not in the outbox: %v", err)
	}
}
