package messaging_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
)

// withCompanion is a domain-like message carrying a status-like companion, typed by headers.
func withCompanion(t *testing.T, n int) messaging.Message {
	t.Helper()
	m := newMessage(t, "test.event", map[string]int{"event": n})
	m.Headers = map[string]string{"Casework-Type": "event"}
	status := newMessage(t, "test.status", map[string]int{"status": n})
	status.Headers = map[string]string{"Casework-Type": "status"}
	m.Companions = []messaging.Message{status}
	return m
}

func TestACompanionTravelsInItsRowAndIsPublishedUnderItsOwnIDRightAfterIt(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	viaPublisher, viaStatement, viaCopy := withCompanion(t, 1), withCompanion(t, 2), withCompanion(t, 3)
	writeOutbox(t, f.db, viaPublisher)
	st := &postgres.Statement{}
	if err := messaging.AddToOutboxStatement(st, "true", viaStatement); err != nil {
		t.Fatal(err)
	}
	var one int
	if err := st.Get(ctx, f.db, &one, `SELECT 1`); err != nil {
		t.Fatal(err)
	}
	if err := postgres.InTx(ctx, f.db, func(tx *sqlx.Tx) error { return messaging.CopyToOutbox(ctx, tx, viaCopy) }); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := f.db.Get(&rows, `SELECT count(*) FROM watermill_outbox`); err != nil || rows != 3 {
		t.Fatalf("outbox rows: %d (%v), want one a message with its companion", rows, err)
	}

	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{Registerer: prometheus.NewRegistry()})
	relayUntil(t, relay, 3)
	want := []string{`test.event={"event":1}`, `test.status={"status":1}`, `test.event={"event":2}`, `test.status={"status":2}`,
		`test.event={"event":3}`, `test.status={"status":3}`}
	if got := streamSubjects(t, f.nats.JS, "TEST"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("TEST holds %v, want %v", got, want)
	}
	s, _ := f.nats.JS.Stream(ctx, "TEST")
	for seq, m := range map[uint64]messaging.Message{1: viaPublisher, 2: viaPublisher.Companions[0], 3: viaStatement, 4: viaStatement.Companions[0],
		5: viaCopy, 6: viaCopy.Companions[0]} {
		got, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		if got.Header.Get(nats.MsgIdHdr) != m.ID || got.Header.Get(messaging.HeaderEventID) != m.ID ||
			got.Header.Get("Casework-Type") != m.Headers["Casework-Type"] || got.Header.Get(messaging.CompanionsKey) != "" ||
			got.Header.Get("_casework_subject") != "" {
			t.Errorf("seq %d: headers %v, want %s's", seq, got.Header, m.ID)
		}
	}

	// Sent again (a crash before the cursor moved), every message is dropped as a duplicate.
	if err := messaging.Replay(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	relayUntil(t, relay, 3)
	if got := streamCount(t, f.nats.JS, "TEST"); got != 6 {
		t.Fatalf("TEST holds %d after a replay, want 6", got)
	}
}

func TestARowWhoseCompanionCanNeverBePublishedIsDeadLettered(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	writeOutbox(t, f.db, newMessage(t, "test.before", 1))
	bad := []struct{ id, metadata, subject, kind, reason string }{
		{"not-array", `{"_casework_subject":"test.x","_casework_companions":"{}"}`, "test.x", "malformed",
			"companions are not a JSON array of messages: json: cannot unmarshal object into Go value of type []messaging.companion"},
		{"no-id", `{"_casework_subject":"test.x","_casework_companions":"[{\"subject\":\"test.y\",\"payload\":1}]"}`, "test.y", "malformed",
			"a companion has no event id"},
		{"wildcard", `{"_casework_subject":"test.x","_casework_companions":"[{\"id\":\"c\",\"subject\":\"test.>\",\"payload\":1}]"}`, "test.>", "malformed",
			`companion c: subject "test.>": wildcard`},
		{"nowhere", `{"_casework_subject":"test.x","_casework_companions":"[{\"id\":\"c2\",\"subject\":\"nowhere.y\",\"payload\":1}]"}`, "nowhere.y", "no_stream",
			`no stream captures subject "nowhere.y"`},
	}
	for _, b := range bad {
		insertRow(t, f.db, b.id, `1`, b.metadata)
	}
	writeOutbox(t, f.db, newMessage(t, "test.after", 2))

	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{Registerer: prometheus.NewRegistry()})
	relayUntil(t, relay, 2)
	// The row of the companion no stream captures published its own message before the
	// refusal: a row is dead-lettered whole, and a redrive's copy is dropped as a duplicate.
	if got := streamSubjects(t, f.nats.JS, "TEST"); fmt.Sprint(got) != "[test.before=1 test.x=1 test.after=2]" {
		t.Fatalf("TEST holds %v", got)
	}
	var letters []struct {
		EventID string `db:"event_id"`
		Subject string `db:"subject"`
		Reason  string `db:"reason"`
	}
	if err := f.db.Select(&letters, `SELECT event_id, subject, reason FROM outbox_dead_letters ORDER BY position`); err != nil {
		t.Fatal(err)
	}
	if len(letters) != len(bad) {
		t.Fatalf("%d dead letters, want %d: %+v", len(letters), len(bad), letters)
	}
	for i, b := range bad {
		if l := letters[i]; l.EventID != b.id || l.Subject != b.subject || l.Reason != b.reason {
			t.Errorf("dead letter %d: %+v, want %s %q %q", i, l, b.id, b.subject, b.reason)
		}
	}

	if err := messaging.EnsureStreams(ctx, f.nats.JS, jetstream.StreamConfig{Name: "NOWHERE", Subjects: []string{"nowhere.>"}}); err != nil {
		t.Fatal(err)
	}
	if err := messaging.Redrive(ctx, f.db, "nowhere"); err != nil {
		t.Fatal(err)
	}
	relayUntil(t, relay, 1)
	if got := streamSubjects(t, f.nats.JS, "NOWHERE"); fmt.Sprint(got) != "[nowhere.y=1]" {
		t.Fatalf("NOWHERE holds %v", got)
	}
	if got := streamCount(t, f.nats.JS, "TEST"); got != 3 {
		t.Fatalf("TEST holds %d after the redrive, want 3", got)
	}
}

func TestACompanionMayNotHaveCompanions(t *testing.T) {
	m := withCompanion(t, 1)
	m.Companions[0].Companions = []messaging.Message{newMessage(t, "test.deeper", 1)}
	err := messaging.AddToOutboxStatement(&postgres.Statement{}, "true", m)
	if err == nil || !strings.Contains(err.Error(), "has no companions") {
		t.Fatalf("err = %v, want a refusal of nested companions", err)
	}
}

// An import bundles its cases' messages into rows of a few each: the rows are fewer, and
// the stream receives every message under its own id in the order written.
func TestBundledMessagesArriveInOrderUnderTheirOwnIDs(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	var msgs []messaging.Message
	var want []string
	for n := range 7 {
		msgs = append(msgs, withCompanion(t, n))
		want = append(want, fmt.Sprintf(`test.event={"event":%d}`, n), fmt.Sprintf(`test.status={"status":%d}`, n))
	}
	rows := messaging.Bundle(msgs, 5)
	var sizes []int
	for _, r := range rows {
		sizes = append(sizes, 1+len(r.Companions))
	}
	if fmt.Sprint(sizes) != "[4 4 4 2]" { // a message and its companion are never split
		t.Fatalf("bundles of %v messages, want [4 4 4 2]", sizes)
	}
	if err := postgres.InTx(ctx, f.db, func(tx *sqlx.Tx) error { return messaging.CopyToOutbox(ctx, tx, rows...) }); err != nil {
		t.Fatal(err)
	}
	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{Registerer: prometheus.NewRegistry()})
	relayUntil(t, relay, 4)
	if got := streamSubjects(t, f.nats.JS, "TEST"); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("TEST holds %v, want %v", got, want)
	}
	s, _ := f.nats.JS.Stream(ctx, "TEST")
	for i, m := range msgs {
		for j, id := range []string{m.ID, m.Companions[0].ID} {
			got, err := s.GetMsg(ctx, uint64(2*i+j+1))
			if err != nil {
				t.Fatal(err)
			}
			if got.Header.Get(nats.MsgIdHdr) != id {
				t.Errorf("seq %d has id %s, want %s", 2*i+j+1, got.Header.Get(nats.MsgIdHdr), id)
			}
		}
	}
	if len(msgs[0].Companions) != 1 {
		t.Fatalf("Bundle changed the messages it was given: %d companions", len(msgs[0].Companions))
	}
}
