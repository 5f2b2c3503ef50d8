package audit_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"casework.dev/pkg/audit"
)

// A chain's history is its records in order, at in UTC and detail decoded; another chain's
// records are not in it, and a chain with none has an empty history.
func TestHistoryReadsOneChainInOrder(t *testing.T) {
	db := newDB(t)
	appendEntry(t, db, "case:1", "case.opened", map[string]any{"stage": 1})
	appendEntry(t, db, "case:2", "case.opened", nil)
	appendEntry(t, db, "case:1", "case.closed", nil)
	got, err := audit.History(context.Background(), db, "case:1")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 9, 0, 0, 123456000, time.UTC) // as PostgreSQL keeps it: whole microseconds
	want := []audit.HistoryEntry{
		{Seq: 1, At: at, Actor: "officer-1", Action: "case.opened", Detail: map[string]any{"stage": float64(1)}},
		{Seq: 2, At: at, Actor: "officer-1", Action: "case.closed", Detail: map[string]any{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("history %+v, want %+v", got, want)
	}
	if none, err := audit.History(context.Background(), db, "case:3"); err != nil || len(none) != 0 {
		t.Errorf("an empty chain: %v, %v", none, err)
	}
}
