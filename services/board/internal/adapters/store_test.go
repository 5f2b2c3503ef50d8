package adapters_test

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
	"casework.dev/services/board/internal/adapters"
	"casework.dev/services/board/internal/app"
	"casework.dev/services/board/internal/domain"
	"casework.dev/services/board/internal/service"
)

// Two board instances share the status streams' consumers (a queue group), so two events
// of one new case may be applied at once. One instance holds the older event: it has found
// no case and not yet saved. The other applies the newer event meanwhile. The newer must
// stand, whichever commits last; before, each found no row to lock, and the older event,
// committed last, rolled the case back.
func TestEventsOfANewCaseApplyInOrderAcrossInstances(t *testing.T) {
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	ctx := t.Context()
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	event := func(id, status string, at time.Time) domain.Status {
		return domain.Status{EventID: id, Service: "complaints", At: at, Reference: "CMP-1", Stage: "stage1", Status: status,
			Change: "stage1." + status, Overdue: []string{}}
	}
	older, newer := event("0001", "received", at), event("0002", "acknowledged", at.Add(time.Minute))

	first, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback()
	held, err := adapters.NewTxStore(first).Held(ctx, older.Service, older.Reference)
	if err != nil || held != nil {
		t.Fatalf("held %+v, %v; want no case yet", held, err)
	}

	second := make(chan error, 1)
	go func() {
		second <- postgres.InTx(context.Background(), db, func(tx *sqlx.Tx) error {
			return app.RecordStatus(context.Background(), adapters.NewTxStore(tx), newer)
		})
	}()
	// The second instance either has applied the newer event or waits for the case.
	testkit.Eventually(t, 10*time.Second, "the newer event applied or waiting", func() (bool, string) {
		if len(second) > 0 {
			return true, "applied"
		}
		var waiting int
		if err := db.Get(&waiting, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`); err != nil {
			return false, err.Error()
		}
		return waiting > 0, "not waiting yet"
	})

	c, changed, _ := domain.Apply(held, older)
	if !changed {
		t.Fatal("the older event found no case and changed nothing")
	}
	store := adapters.NewTxStore(first)
	if err := store.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}

	var got struct {
		Status      string `db:"status"`
		LastEventID string `db:"last_event_id"`
	}
	if err := db.Get(&got, `SELECT status, last_event_id FROM board_cases WHERE service = 'complaints' AND reference = 'CMP-1'`); err != nil {
		t.Fatal(err)
	}
	if got.Status != "acknowledged" || got.LastEventID != "0002" {
		t.Fatalf("the board holds %+v, want the newer event's acknowledged (0002)", got)
	}
}
