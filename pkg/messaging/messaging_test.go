package messaging_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/migrations"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
)

type fixture struct {
	db   *sqlx.DB
	nats *testkit.NATS
}

func setup(t testing.TB) fixture {
	t.Helper()
	db, _ := testkit.NewDatabase(t, postgres.Migration{FS: migrations.Platform(), VersionTable: "goose_platform"})
	n := testkit.NewNATS(t)
	err := messaging.EnsureStreams(context.Background(), n.JS,
		jetstream.StreamConfig{Name: "TEST", Subjects: []string{"test.>"}, Storage: jetstream.FileStorage, Duplicates: 10 * time.Minute},
		jetstream.StreamConfig{Name: "DEADLETTER", Subjects: []string{"deadletter.>"}, Storage: jetstream.FileStorage})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{db: db, nats: n}
}

func writeOutbox(t *testing.T, db *sqlx.DB, msgs ...messaging.Message) {
	t.Helper()
	if err := postgres.InTx(context.Background(), db, func(tx *sqlx.Tx) error {
		return messaging.AddToOutbox(context.Background(), tx, msgs...)
	}); err != nil {
		t.Fatal(err)
	}
}

// relayUntil runs the relay until it has relayed want messages in all, polling: a batch
// may come up short (a publish refused for a moment), never assume.
func relayUntil(t *testing.T, relay *messaging.Relay, want int) {
	t.Helper()
	total := 0
	testkit.Eventually(t, 10*time.Second, fmt.Sprintf("%d messages relayed", want), func() (bool, string) {
		n, err := relay.RelayBatch(context.Background())
		if err != nil {
			t.Fatalf("relay: %v", err)
		}
		total += n
		return total >= want, fmt.Sprintf("%d relayed", total)
	})
	if total != want {
		t.Fatalf("relayed %d, want %d", total, want)
	}
}

func streamCount(t *testing.T, js jetstream.JetStream, stream string) uint64 {
	s, err := js.Stream(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

func TestOutboxSendsOnlyCommittedMessagesWithEventIDs(t *testing.T) {
	f := setup(t)
	ctx := context.Background()

	// A rolled-back transaction leaves nothing to send.
	err := postgres.InTx(ctx, f.db, func(tx *sqlx.Tx) error {
		m, _ := messaging.NewMessage("test.rolled.back", map[string]string{"x": "y"})
		if err := messaging.AddToOutbox(ctx, tx, m); err != nil {
			return err
		}
		return errors.New("business rule failed")
	})
	if err == nil {
		t.Fatal("want the transaction to fail")
	}

	m1, _ := messaging.NewMessage("test.one", map[string]int{"n": 1})
	m1.Headers = map[string]string{"Casework-Type": "one"}
	m2, _ := messaging.NewMessage("test.two", map[string]int{"n": 2})
	writeOutbox(t, f.db, m1, m2)

	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{})
	relayUntil(t, relay, 2)
	if got := streamCount(t, f.nats.JS, "TEST"); got != 2 {
		t.Fatalf("stream holds %d messages, want 2", got)
	}
	s, _ := f.nats.JS.Stream(ctx, "TEST")
	first, err := s.GetMsg(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if first.Subject != "test.one" || string(first.Data) != `{"n":1}` ||
		first.Header.Get(nats.MsgIdHdr) != m1.ID || first.Header.Get(messaging.HeaderEventID) != m1.ID ||
		first.Header.Get("Casework-Type") != "one" || first.Header.Get("_casework_subject") != "" {
		t.Fatalf("unexpected first message: %s %s %v", first.Subject, first.Data, first.Header)
	}
	if pending, _ := messaging.Pending(ctx, f.db); pending != 0 {
		t.Fatalf("pending after relay: %d", pending)
	}
}

func TestOutboxStatementWritesTheSameRowsAsThePublisher(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	viaPublisher, _ := messaging.NewMessage("test.publisher", map[string]int{"n": 1})
	viaPublisher.Headers = map[string]string{"Casework-Type": "x"}
	writeOutbox(t, f.db, viaPublisher)
	viaStatement, _ := messaging.NewMessage("test.statement", map[string]int{"n": 2})
	viaStatement.Headers = map[string]string{"Casework-Type": "x"}
	skipped, _ := messaging.NewMessage("test.skipped", 3)
	for _, c := range []struct {
		guard string
		msg   messaging.Message
	}{{"true", viaStatement}, {"false", skipped}} {
		st := &postgres.Statement{}
		if err := messaging.AddToOutboxStatement(st, c.guard, c.msg); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := st.Get(ctx, f.db, &n, `SELECT 1`); err != nil {
			t.Fatal(err)
		}
	}
	var rows []struct {
		UUID     string `db:"uuid"`
		Payload  string `db:"payload"`
		Metadata string `db:"metadata"`
	}
	if err := f.db.Select(&rows, `SELECT uuid, payload::text AS payload, metadata::text AS metadata FROM watermill_outbox ORDER BY "offset"`); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1].UUID != viaStatement.ID || rows[1].Payload != `{"n":2}` ||
		rows[1].Metadata != `{"Casework-Type":"x","_casework_subject":"test.statement"}` {
		t.Fatalf("outbox rows: %+v", rows)
	}
	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{})
	relayUntil(t, relay, 2)
	s, _ := f.nats.JS.Stream(ctx, "TEST")
	got, err := s.GetMsg(ctx, 2)
	if err != nil || got.Subject != "test.statement" || got.Header.Get(nats.MsgIdHdr) != viaStatement.ID || got.Header.Get("Casework-Type") != "x" {
		t.Fatalf("relayed statement row: %v %v", got, err)
	}
}

func TestRelayNeverSkipsARowCommittedLate(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	slow, err := f.db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback() //nolint:errcheck
	early, _ := messaging.NewMessage("test.early", "early")
	if err := messaging.AddToOutbox(ctx, slow, early); err != nil {
		t.Fatal(err)
	}
	late, _ := messaging.NewMessage("test.late", "late")
	writeOutbox(t, f.db, late) // starts after slow, commits before it

	// The committed row goes at once; the open transaction's row is not passed over but
	// waits for its commit, and then follows: commit order.
	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{})
	if n, err := relay.RelayBatch(ctx); err != nil || n != 1 {
		t.Fatalf("relayed %d (%v) while an older transaction was open; want the 1 committed", n, err)
	}
	if n, err := relay.RelayBatch(ctx); err != nil || n != 0 {
		t.Fatalf("relayed %d more (%v) before the older transaction committed; want 0", n, err)
	}
	if err := slow.Commit(); err != nil {
		t.Fatal(err)
	}
	relayUntil(t, relay, 1)
	s, _ := f.nats.JS.Stream(ctx, "TEST")
	for seq, want := range map[uint64]string{1: "test.late", 2: "test.early"} {
		m, err := s.GetMsg(ctx, seq)
		if err != nil || m.Subject != want {
			t.Fatalf("stream seq %d: %v %v, want %s", seq, m, err, want)
		}
	}
	if got := streamCount(t, f.nats.JS, "TEST"); got != 2 {
		t.Fatalf("stream holds %d messages, want 2", got)
	}
	if pending, err := messaging.Pending(ctx, f.db); err != nil || pending != 0 {
		t.Fatalf("pending after relay: %d (%v)", pending, err)
	}
}

func TestRelayedTwiceIsStoredOnce(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	var msgs []messaging.Message
	for i := 0; i < 10; i++ {
		m, _ := messaging.NewMessage(fmt.Sprintf("test.n.%d", i), i)
		msgs = append(msgs, m)
	}
	writeOutbox(t, f.db, msgs...)
	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{BatchSize: 4})
	relayUntil(t, relay, 10)
	// A crash after JetStream acked but before the rows were marked: they go again.
	if err := messaging.Replay(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	relayUntil(t, relay, 10)
	if got := streamCount(t, f.nats.JS, "TEST"); got != 10 {
		t.Fatalf("stream holds %d, want 10: duplicates were not dropped", got)
	}
}

func TestConsumerAppliesEachEventOnceAndDeadLettersPoison(t *testing.T) {
	f := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := f.db.Exec(`CREATE TABLE effects (event_id TEXT, body TEXT)`); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	attempts := map[string]int{}
	handler := func(ctx context.Context, tx *sqlx.Tx, msg *message.Message) error {
		mu.Lock()
		attempts[msg.UUID]++
		mu.Unlock()
		if string(msg.Payload) == `"poison"` {
			return errors.New("cannot apply poison")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO effects VALUES ($1, $2)`, msg.UUID, string(msg.Payload))
		return err
	}
	c, err := messaging.NewConsumer(ctx, f.nats.JS, f.db, messaging.ConsumerConfig{
		Name: "effects", Stream: "TEST", FilterSubject: "test.>", NATSURL: f.nats.URL,
		DeadLetterSubject: "deadletter.test.effects", MaxRetries: 2, RetryInterval: time.Millisecond,
	}, handler)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	<-c.Running()

	good, _ := messaging.NewMessage("test.good", "good")
	poison, _ := messaging.NewMessage("test.poison", "poison")
	after, _ := messaging.NewMessage("test.after", "after")
	writeOutbox(t, f.db, good, poison, after)
	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{})
	relayUntil(t, relay, 3)
	// The same event delivered again under a new broker id (past the duplicate window).
	dup := nats.NewMsg("test.good")
	dup.Data = good.Payload
	dup.Header.Set(messaging.HeaderEventID, good.ID)
	if _, err := f.nats.JS.PublishMsg(ctx, dup); err != nil {
		t.Fatal(err)
	}

	testkit.Eventually(t, 10*time.Second, "good and after applied, poison dead-lettered", func() (bool, string) {
		var n int
		_ = f.db.Get(&n, `SELECT count(*) FROM effects`)
		return n == 2 && streamCount(t, f.nats.JS, "DEADLETTER") == 1, fmt.Sprintf("effects=%d", n)
	})
	testkit.Eventually(t, 10*time.Second, "the duplicate acknowledged", func() (bool, string) {
		var n int
		_ = f.db.Get(&n, `SELECT count(*) FROM processed_events WHERE consumer = 'effects'`)
		cons, err := f.nats.JS.PushConsumer(ctx, "TEST", "effects")
		if err != nil {
			return false, err.Error()
		}
		info, _ := cons.Info(ctx)
		return info != nil && info.NumAckPending == 0 && info.AckFloor.Stream == 4 && n == 2, fmt.Sprintf("processed=%d info=%+v", n, info)
	})

	var effects []string
	if err := f.db.Select(&effects, `SELECT event_id || '=' || body FROM effects ORDER BY body`); err != nil {
		t.Fatal(err)
	}
	want := []string{after.ID + `="after"`, good.ID + `="good"`}
	if fmt.Sprint(effects) != fmt.Sprint(want) {
		t.Fatalf("effects %v, want %v", effects, want)
	}
	s, _ := f.nats.JS.Stream(ctx, "DEADLETTER")
	dl, err := s.GetMsg(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if dl.Header.Get("reason_poisoned") != "cannot apply poison" || dl.Header.Get(messaging.HeaderEventID) != poison.ID {
		t.Fatalf("dead letter headers: %v", dl.Header)
	}
	mu.Lock()
	if attempts[poison.ID] != 3 { // first try + 2 retries
		t.Errorf("poison attempts %d, want 3", attempts[poison.ID])
	}
	mu.Unlock()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// The outbox's JSON columns compress with lz4 where the server has it (a bundled row's
// metadata is several kilobytes, and pglz was PostgreSQL's costliest function in a bulk
// referral). The relay tests read every kind of row back through them.
func TestOutboxColumnsCompressWithLZ4(t *testing.T) {
	ctx := context.Background()
	db, _ := testkit.NewDatabase(t, postgres.Migration{FS: migrations.Platform(), VersionTable: "goose_platform"})
	var lz4 bool
	if err := db.GetContext(ctx, &lz4, `SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))`); err != nil {
		t.Fatal(err)
	}
	want := map[bool]string{true: "l", false: ""}[lz4] // "" is the default method, pglz
	var methods []struct {
		Column string `db:"attname"`
		Method string `db:"method"`
	}
	if err := db.SelectContext(ctx, &methods, `SELECT attname, attcompression::text AS method FROM pg_attribute
		WHERE attrelid = 'watermill_outbox'::regclass AND attname IN ('payload', 'metadata') ORDER BY attname`); err != nil {
		t.Fatal(err)
	}
	if len(methods) != 2 || methods[0].Method != want || methods[1].Method != want {
		t.Fatalf("compression = %+v, want %q for both (lz4 available: %v)", methods, want, lz4)
	}
}

// A consumer of disclosures dead-letters a poisoned one without its body: the dead-letter
// stream keeps the event id, subject and reason for the operator, never the personal data,
// which no erasure or retention would reach there.
func TestAConsumerOfPersonalDataDeadLettersWithoutTheBody(t *testing.T) {
	f := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err := messaging.NewConsumer(ctx, f.nats.JS, f.db, messaging.ConsumerConfig{
		Name: "disclosures", Stream: "TEST", FilterSubject: "test.>", NATSURL: f.nats.URL, PersonalData: true,
		DeadLetterSubject: "deadletter.test.disclosures", MaxRetries: 1, RetryInterval: time.Millisecond,
	}, func(context.Context, *sqlx.Tx, *message.Message) error {
		return fmt.Errorf("not a conviction: %w", messaging.ErrPermanent)
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	<-c.Running()
	disclosure, _ := messaging.NewMessage("test.disclosure", map[string]string{"name": "Ada Lovelace", "town": "Maidstone"})
	writeOutbox(t, f.db, disclosure)
	relayUntil(t, messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{}), 1)
	testkit.Eventually(t, 10*time.Second, "the disclosure dead-lettered", func() (bool, string) {
		n := streamCount(t, f.nats.JS, "DEADLETTER")
		return n == 1, fmt.Sprintf("dead letters %d", n)
	})
	s, _ := f.nats.JS.Stream(ctx, "DEADLETTER")
	dl, err := s.GetMsg(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(dl.Data) != 0 || strings.Contains(fmt.Sprint(dl.Header), "Ada") || dl.Header.Get(messaging.HeaderEventID) != disclosure.ID ||
		dl.Header.Get("reason_poisoned") == "" || dl.Header.Get(messaging.HeaderPayloadWithheld) != "personal data" {
		t.Fatalf("dead letter %q with headers %v", dl.Data, dl.Header)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
