package messaging_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/pressly/goose/v3"
	"github.com/prometheus/client_golang/prometheus"

	"casework.dev/migrations"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/natsserver"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
)

// metric is the value of one counter or gauge in reg, with the given label pairs.
func metric(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue next
				}
			}
			if m.GetCounter() != nil {
				return m.GetCounter().GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

// streamSubjects lists a stream's messages in stream order as subject=payload.
func streamSubjects(t *testing.T, js jetstream.JetStream, stream string) []string {
	t.Helper()
	ctx := context.Background()
	s, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatalf("stream %s seq %d: %v", stream, seq, err)
		}
		got = append(got, m.Subject+"="+string(m.Data))
	}
	return got
}

// insertRow writes an outbox row as raw SQL, to make rows the service code never would.
func insertRow(t *testing.T, db *sqlx.DB, id, payload, metadata string) {
	t.Helper()
	if _, err := db.Exec(`INSERT INTO watermill_outbox (uuid, payload, metadata, transaction_id)
		VALUES ($1, $2::json, $3::json, pg_current_xact_id())`, id, payload, metadata); err != nil {
		t.Fatal(err)
	}
}

func newMessage(t *testing.T, subject string, payload any) messaging.Message {
	t.Helper()
	m, err := messaging.NewMessage(subject, payload)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// runRelay runs relay in the background until the test ends.
func runRelay(t *testing.T, relay *messaging.Relay) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- relay.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("relay: %v", err)
		}
	})
}

func TestRelayIsNotHeldBackByTransactionsOpenElsewhere(t *testing.T) {
	f := setup(t)
	ctx := context.Background()

	// A write transaction left open in another database of the same server, and one in
	// this database on another table: each holds back the server's snapshot horizon.
	other, otherCfg := testkit.NewDatabase(t)
	if _, err := other.Exec(`CREATE TABLE report (n int)`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Exec(`CREATE TABLE migration_in_progress (n int)`); err != nil {
		t.Fatal(err)
	}
	var open []*sqlx.Tx
	for _, w := range []struct {
		db    *sqlx.DB
		write string
	}{{other, `INSERT INTO report VALUES (1)`}, {f.db, `INSERT INTO migration_in_progress VALUES (1)`}} {
		tx, err := w.db.BeginTxx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback() //nolint:errcheck
		if _, err := tx.Exec(w.write); err != nil {
			t.Fatal(err)
		}
		open = append(open, tx)
	}
	var horizonHeld bool
	if err := f.db.Get(&horizonHeld, `SELECT count(*) = 2 FROM pg_stat_activity
		WHERE datname IN (current_database(), $1) AND state = 'idle in transaction' AND backend_xid IS NOT NULL`,
		otherCfg.Database); err != nil || !horizonHeld {
		t.Fatalf("the two write transactions are not open with transaction ids (%v)", err)
	}

	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{PollInterval: 50 * time.Millisecond,
		Registerer: prometheus.NewRegistry()})
	runRelay(t, relay)
	committed := newMessage(t, "test.committed", "while others are open")
	writeOutbox(t, f.db, committed)
	relay.Notify()
	opened := time.Now()
	testkit.Eventually(t, 3*time.Second, "the committed row on the stream while the other transactions stay open", func() (bool, string) {
		n := streamCount(t, f.nats.JS, "TEST")
		return n == 1, fmt.Sprintf("%d messages", n)
	})
	// Both transactions were open throughout: they still answer, and only now end.
	for _, tx := range open {
		var one int
		if err := tx.Get(&one, `SELECT 1`); err != nil {
			t.Fatalf("an open transaction ended early: %v", err)
		}
	}
	t.Logf("relayed within %s with two write transactions open", time.Since(opened).Round(time.Millisecond))
	s, _ := f.nats.JS.Stream(ctx, "TEST")
	got, err := s.GetMsg(ctx, 1)
	if err != nil || got.Subject != "test.committed" || got.Header.Get(nats.MsgIdHdr) != committed.ID {
		t.Fatalf("relayed %v (%v), want %s", got, err, committed.ID)
	}
}

func TestConcurrentWritersEachRowOnceInAggregateOrder(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	// Two relays on one database: the advisory lock lets one work at a time.
	regs := []*prometheus.Registry{prometheus.NewRegistry(), prometheus.NewRegistry()}
	var relays []*messaging.Relay
	for _, reg := range regs {
		r := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{BatchSize: 16, PollInterval: 20 * time.Millisecond, Registerer: reg})
		relays = append(relays, r)
		runRelay(t, r)
	}

	const writers, commits = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for c := range commits {
				var msgs []messaging.Message
				for part := range 2 {
					m, err := messaging.NewMessage(fmt.Sprintf("test.aggregate.%d", w), map[string]int{"seq": c, "part": part})
					if err != nil {
						errs <- err
						return
					}
					msgs = append(msgs, m)
				}
				var err error
				if c%2 == 0 {
					err = postgres.InTx(ctx, f.db, func(tx *sqlx.Tx) error { return messaging.AddToOutbox(ctx, tx, msgs...) })
				} else {
					st := &postgres.Statement{}
					if err = messaging.AddToOutboxStatement(st, "true", msgs...); err == nil {
						var n int
						err = st.Get(ctx, f.db, &n, `SELECT 1`)
					}
				}
				if err != nil {
					errs <- err
					return
				}
				relays[c%2].Notify()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	const total = writers * commits * 2
	testkit.Eventually(t, 20*time.Second, "every row relayed", func() (bool, string) {
		n, err := messaging.Pending(ctx, f.db)
		return err == nil && n == 0 && streamCount(t, f.nats.JS, "TEST") == total, fmt.Sprintf("%d pending (%v)", n, err)
	})
	// Each row was published and acknowledged exactly once: the duplicate window did not
	// have to hide a second send.
	if sent := metric(t, regs[0], "casework_outbox_relayed_total") + metric(t, regs[1], "casework_outbox_relayed_total"); sent != total {
		t.Fatalf("relays published %v rows, want exactly %d", sent, total)
	}
	s, _ := f.nats.JS.Stream(ctx, "TEST")
	seen := map[string]bool{}
	last := map[string][2]int{}
	for seq := uint64(1); seq <= total; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		id := m.Header.Get(nats.MsgIdHdr)
		if seen[id] {
			t.Fatalf("event %s stored twice", id)
		}
		seen[id] = true
		var body struct{ Seq, Part int }
		if err := json.Unmarshal(m.Data, &body); err != nil {
			t.Fatal(err)
		}
		at := [2]int{body.Seq, body.Part}
		if prev, ok := last[m.Subject]; ok && (at[0] < prev[0] || at[0] == prev[0] && at[1] <= prev[1]) {
			t.Fatalf("%s: %v published after %v", m.Subject, at, prev)
		}
		last[m.Subject] = at
	}
	if len(seen) != total || len(last) != writers {
		t.Fatalf("%d distinct events on %d subjects, want %d on %d", len(seen), len(last), total, writers)
	}
}

// restartableBroker is an embedded server that a test can stop and start again on the same
// port and store, and a connection to it that reconnects as the services' do.
type restartableBroker struct {
	ns    *server.Server
	port  int
	store string
	nc    *nats.Conn
	js    jetstream.JetStream
}

func newRestartableBroker(t *testing.T) *restartableBroker {
	t.Helper()
	b := &restartableBroker{store: t.TempDir()}
	var err error
	if b.ns, err = natsserver.Start(natsserver.Config{Port: -1, StoreDir: b.store}); err != nil {
		t.Fatal(err)
	}
	b.port = b.ns.Addr().(*net.TCPAddr).Port
	t.Cleanup(func() { b.ns.Shutdown() })
	if b.nc, err = nats.Connect(b.ns.ClientURL(), append(messaging.ConnectOptions(), nats.ReconnectWait(10*time.Millisecond))...); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.nc.Close)
	if b.js, err = jetstream.New(b.nc); err != nil {
		t.Fatal(err)
	}
	if err := messaging.EnsureStreams(context.Background(), b.js, jetstream.StreamConfig{Name: "TEST", Subjects: []string{"test.>"},
		Storage: jetstream.FileStorage, Duplicates: 10 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *restartableBroker) stop() {
	b.ns.Shutdown()
	b.ns.WaitForShutdown()
}

func (b *restartableBroker) start(t *testing.T) {
	t.Helper()
	var err error
	if b.ns, err = natsserver.Start(natsserver.Config{Port: b.port, StoreDir: b.store}); err != nil {
		t.Fatal(err)
	}
}

func TestRelayThroughBrokerRestartsEachRowOnceInAggregateOrder(t *testing.T) {
	ctx := context.Background()
	db, _ := testkit.NewDatabase(t, postgres.Migration{FS: migrations.Platform(), VersionTable: "goose_platform"})
	broker := newRestartableBroker(t)
	nc, js := broker.nc, broker.js
	// Rounds of four rows while the broker restarts five times under them: each row is
	// stored once and in commit order, whatever a restart caught on its way. (An in-process
	// server stores what it has received before it stops, so this does not catch a relay
	// that passes over unacknowledged rows; the tests of unacknowledged rows below do.)
	relay := messaging.NewRelay(db, js, messaging.RelayConfig{BatchSize: 4, PollInterval: 20 * time.Millisecond,
		PublishTimeout: 2 * time.Second, Registerer: prometheus.NewRegistry()})
	runRelay(t, relay)

	const writers = 4
	stop := make(chan struct{})
	committed := make([]int, writers)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for c := 0; ; c++ {
				select {
				case <-stop:
					return
				default:
				}
				m, err := messaging.NewMessage(fmt.Sprintf("test.aggregate.%d", w), map[string]int{"seq": c})
				if err == nil {
					err = postgres.InTx(ctx, db, func(tx *sqlx.Tx) error { return messaging.AddToOutbox(ctx, tx, m) })
				}
				if err != nil {
					errs <- err
					return
				}
				committed[w]++
				relay.Notify()
			}
		})
	}
	for restart := 1; restart <= 5; restart++ {
		stored := streamCount(t, js, "TEST")
		testkit.Eventually(t, 20*time.Second, "more rows stored", func() (bool, string) {
			n := streamCount(t, js, "TEST")
			return n > stored+50, fmt.Sprintf("%d stored", n)
		})
		reconnects := nc.Stats().Reconnects
		broker.stop()
		broker.start(t)
		testkit.Eventually(t, 10*time.Second, "the relay's connection back", func() (bool, string) {
			return nc.Stats().Reconnects > reconnects && nc.IsConnected(), nc.Status().String()
		})
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	total := 0
	for _, n := range committed {
		total += n
	}
	testkit.Eventually(t, 30*time.Second, "every row relayed", func() (bool, string) {
		n, err := messaging.Pending(ctx, db)
		return err == nil && n == 0, fmt.Sprintf("%d pending (%v)", n, err)
	})
	if n := streamCount(t, js, "TEST"); n != uint64(total) {
		t.Fatalf("TEST holds %d messages, want each of %d once", n, total)
	}
	s, err := js.Stream(ctx, "TEST")
	if err != nil {
		t.Fatal(err)
	}
	next := map[string]int{}
	for seq := uint64(1); seq <= uint64(total); seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Seq int }
		if err := json.Unmarshal(m.Data, &body); err != nil {
			t.Fatal(err)
		}
		if body.Seq != next[m.Subject] {
			t.Fatalf("%s: commit %d stored where %d was due", m.Subject, body.Seq, next[m.Subject])
		}
		next[m.Subject]++
	}
}

// errorCounter is a log handler that counts error records, from any goroutine.
type errorCounter struct{ n atomic.Int64 }

func (c *errorCounter) Enabled(context.Context, slog.Level) bool { return true }
func (c *errorCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		c.n.Add(1)
	}
	return nil
}
func (c *errorCounter) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *errorCounter) WithGroup(string) slog.Handler      { return c }

func TestRelaySendsNothingWhileItsBrokerIsAwayAndCarriesOnWhenItIsBack(t *testing.T) {
	ctx := context.Background()
	db, _ := testkit.NewDatabase(t, postgres.Migration{FS: migrations.Platform(), VersionTable: "goose_platform"})
	broker := newRestartableBroker(t)
	reg := prometheus.NewRegistry()
	errorLogs := &errorCounter{}
	relay := messaging.NewRelay(db, broker.js, messaging.RelayConfig{PollInterval: 50 * time.Millisecond,
		PublishTimeout: 2 * time.Second, Registerer: reg, Logger: slog.New(errorLogs)})
	runRelay(t, relay)
	commit := func(i int) {
		writeOutbox(t, db, newMessage(t, fmt.Sprintf("test.away.%d", i), i))
		relay.Notify()
	}
	commit(1)
	testkit.Eventually(t, 10*time.Second, "the first row relayed", func() (bool, string) {
		n := streamCount(t, broker.js, "TEST")
		return n == 1, fmt.Sprintf("%d stored", n)
	})

	broker.stop()
	testkit.Eventually(t, 10*time.Second, "the relay's connection down", func() (bool, string) {
		return !broker.nc.IsConnected(), broker.nc.Status().String()
	})
	// A burst under way when the connection dropped may fail one round; once the relay has
	// counted a wake-up or poll as the broker being away, it runs no round until it is back.
	testkit.Eventually(t, 10*time.Second, "the relay waiting for the broker", func() (bool, string) {
		n := metric(t, reg, "casework_outbox_relay_broker_away_total")
		return n >= 1, fmt.Sprintf("%v waits", n)
	})
	failures, errors := metric(t, reg, "casework_outbox_publish_failures_total"), errorLogs.n.Load()
	away := metric(t, reg, "casework_outbox_relay_broker_away_total")
	for i := 2; i <= 4; i++ {
		commit(i)
	}
	testkit.Eventually(t, 10*time.Second, "the commits' wake-ups answered", func() (bool, string) {
		n := metric(t, reg, "casework_outbox_relay_broker_away_total")
		return n >= away+3, fmt.Sprintf("%v waits", n)
	})
	if got := metric(t, reg, "casework_outbox_publish_failures_total"); got != failures {
		t.Fatalf("publish failures went from %v to %v while the broker was away", failures, got)
	}
	if got := errorLogs.n.Load(); got != errors {
		t.Fatalf("%d error logs while the broker was away, want none", got-errors)
	}
	if n, err := messaging.Pending(ctx, db); err != nil || n != 3 {
		t.Fatalf("pending while the broker is away: %d (%v), want 3", n, err)
	}

	broker.start(t)
	testkit.Eventually(t, 20*time.Second, "the rows committed meanwhile relayed", func() (bool, string) {
		n, err := messaging.Pending(ctx, db)
		return err == nil && n == 0, fmt.Sprintf("%d pending (%v)", n, err)
	})
	want := "[test.away.1=1 test.away.2=2 test.away.3=3 test.away.4=4]"
	if got := streamSubjects(t, broker.js, "TEST"); fmt.Sprint(got) != want {
		t.Fatalf("stream holds %v, want %s", got, want)
	}
}

func TestRelayHoldsNoTransactionWhileAwaitingAcks(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	// A plain subscriber that never answers: the publish waits for an ack that never comes.
	received := make(chan struct{}, 1)
	sub, err := f.nats.Conn.Subscribe("held.>", func(*nats.Msg) {
		select {
		case received <- struct{}{}:
		default:
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	writeOutbox(t, f.db, newMessage(t, "held.one", 1))

	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{PublishTimeout: 5 * time.Second, Registerer: prometheus.NewRegistry()})
	done := make(chan error, 1)
	go func() {
		_, err := relay.RelayBatch(ctx)
		done <- err
	}()
	select {
	case <-received:
	case <-time.After(10 * time.Second):
		t.Fatal("the relay never published")
	}
	// While it waits: no transaction is open in the database, and the cursor is held by an
	// advisory lock that a second relay finds taken without waiting.
	var idle, advisory int
	if err := f.db.Get(&idle, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
		AND state LIKE 'idle in transaction%'`); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Get(&advisory, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`); err != nil {
		t.Fatal(err)
	}
	if idle != 0 || advisory != 1 {
		t.Fatalf("while awaiting acks: %d transactions idle, %d advisory locks; want 0 and 1", idle, advisory)
	}
	second := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{Registerer: prometheus.NewRegistry()})
	if n, err := second.RelayBatch(ctx); n != 0 || err != nil {
		t.Fatalf("second relay: %d (%v), want 0 and no error", n, err)
	}
	select {
	case <-received:
		t.Fatal("the second relay published the row the first holds")
	default:
	}
	if err := <-done; err == nil || !strings.Contains(err.Error(), "no jetstream ack within 5s") {
		t.Fatalf("first relay: %v, want the ack timeout", err)
	}

	// A missing ack is not a dead letter: once a stream takes the subject, the row goes.
	if pending, err := messaging.Pending(ctx, f.db); err != nil || pending != 1 {
		t.Fatalf("pending after the timeout: %d (%v), want 1", pending, err)
	}
	if err := sub.Unsubscribe(); err != nil {
		t.Fatal(err)
	}
	if err := messaging.EnsureStreams(ctx, f.nats.JS, jetstream.StreamConfig{Name: "HELD", Subjects: []string{"held.>"}}); err != nil {
		t.Fatal(err)
	}
	relayUntil(t, relay, 1)
	if got := streamSubjects(t, f.nats.JS, "HELD"); fmt.Sprint(got) != "[held.one=1]" {
		t.Fatalf("HELD holds %v", got)
	}
}

func TestRelayDeadLettersRowsItCanNeverPublishAndMovesOn(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	if err := messaging.EnsureStreams(ctx, f.nats.JS, jetstream.StreamConfig{Name: "SMALL", Subjects: []string{"small.>"}, MaxMsgSize: 64}); err != nil {
		t.Fatal(err)
	}
	writeOutbox(t, f.db, newMessage(t, "test.before", 1))
	bad := []struct{ id, metadata, subject, kind, reason string }{
		{"no-subject", `{"Casework-Type":"x"}`, "", "malformed", "no subject in metadata (_casework_subject)"},
		{"array", `[1,2]`, "", "malformed", "metadata is not a JSON object: json: cannot unmarshal array into Go value of type map[string]json.RawMessage"},
		{"number", `{"_casework_subject":5}`, "", "malformed", `metadata "_casework_subject" is not a string: json: cannot unmarshal number into Go value of type string`},
		{"wildcard", `{"_casework_subject":"test.*"}`, "test.*", "malformed", `subject "test.*": wildcard`},
		{"empty-token", `{"_casework_subject":"test..x"}`, "test..x", "malformed", `subject "test..x": empty token`},
		{"space", `{"_casework_subject":"test.a b"}`, "test.a b", "malformed", `subject "test.a b": white space or control character`},
		{"jetstream-api", `{"_casework_subject":"$JS.API.STREAM.DELETE.TEST"}`, "$JS.API.STREAM.DELETE.TEST", "malformed", `subject "$JS.API.STREAM.DELETE.TEST": reserved subject space`},
		{"header", `{"_casework_subject":"test.header","X-Note":"a\r\nb"}`, "test.header", "malformed", `header "X-Note": line break in value`},
		{"nowhere", `{"_casework_subject":"nowhere.at.all"}`, "nowhere.at.all", "no_stream", `no stream captures subject "nowhere.at.all"`},
		{"too-large", `{"_casework_subject":"small.thing"}`, "small.thing", "too_large", "the stream refuses it: message size exceeds maximum allowed"},
	}
	for _, b := range bad {
		insertRow(t, f.db, b.id, `"`+strings.Repeat("x", 100)+`"`, b.metadata)
	}
	insertRow(t, f.db, "", `1`, `{"_casework_subject":"test.no.id"}`)
	writeOutbox(t, f.db, newMessage(t, "test.after", 2))

	reg := prometheus.NewRegistry()
	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{BatchSize: 5, Registerer: reg})
	relayUntil(t, relay, 2)
	if got := streamSubjects(t, f.nats.JS, "TEST"); fmt.Sprint(got) != "[test.before=1 test.after=2]" {
		t.Fatalf("TEST holds %v, want the rows around the dead letters, in order", got)
	}
	if pending, err := messaging.Pending(ctx, f.db); err != nil || pending != 0 {
		t.Fatalf("pending: %d (%v), want 0", pending, err)
	}
	var letters []struct {
		EventID string `db:"event_id"`
		Subject string `db:"subject"`
		Reason  string `db:"reason"`
	}
	if err := f.db.Select(&letters, `SELECT event_id, subject, reason FROM outbox_dead_letters ORDER BY position`); err != nil {
		t.Fatal(err)
	}
	bad = append(bad, struct{ id, metadata, subject, kind, reason string }{"", "", "", "malformed", "no event id"})
	if len(letters) != len(bad) {
		t.Fatalf("%d dead letters, want %d: %+v", len(letters), len(bad), letters)
	}
	kinds := map[string]float64{}
	for i, b := range bad {
		if l := letters[i]; l.EventID != b.id || l.Subject != b.subject || l.Reason != b.reason {
			t.Errorf("dead letter %d: %+v, want %s %q %q", i, l, b.id, b.subject, b.reason)
		}
		kinds[b.kind]++
	}
	for kind, want := range kinds {
		if got := metric(t, reg, "casework_outbox_dead_letters_total", "kind", kind); got != want {
			t.Errorf("dead letters of kind %s: %v, want %v", kind, got, want)
		}
	}
	if _, err := f.nats.JS.Stream(ctx, "TEST"); err != nil {
		t.Fatalf("a row reached the JetStream API: %v", err)
	}

	// Mended (the stream created), a dead letter is sent again, after what went since.
	if err := messaging.EnsureStreams(ctx, f.nats.JS, jetstream.StreamConfig{Name: "NOWHERE", Subjects: []string{"nowhere.>"}}); err != nil {
		t.Fatal(err)
	}
	if err := messaging.Redrive(ctx, f.db, "nowhere"); err != nil {
		t.Fatal(err)
	}
	if pending, err := messaging.Pending(ctx, f.db); err != nil || pending != 1 {
		t.Fatalf("pending after the redrive: %d (%v), want 1", pending, err)
	}
	relayUntil(t, relay, 1)
	if got := streamSubjects(t, f.nats.JS, "NOWHERE"); len(got) != 1 || !strings.HasPrefix(got[0], "nowhere.at.all=") {
		t.Fatalf("NOWHERE holds %v", got)
	}
	var left int
	if err := f.db.Get(&left, `SELECT count(*) FROM outbox_dead_letters WHERE event_id = 'nowhere'`); err != nil || left != 0 {
		t.Fatalf("redriven dead letter still listed: %d (%v)", left, err)
	}
	for _, id := range []string{"nowhere", "never-written"} {
		if err := messaging.Redrive(ctx, f.db, id); !errors.Is(err, messaging.ErrNoDeadLetter) {
			t.Errorf("redrive %s: %v, want ErrNoDeadLetter", id, err)
		}
	}
}

// moveAboveCurrentXID moves the xids of every outbox row and of the relay's cursor a
// million above the database's next transaction id: as after a logical restore into
// another cluster, where ids restart lower than those the dump carries.
func moveAboveCurrentXID(t *testing.T, db *sqlx.DB) {
	t.Helper()
	const above = `(pg_current_xact_id()::text::numeric + 1000000 + %s)::text::xid8`
	if _, err := db.Exec(fmt.Sprintf(`UPDATE watermill_outbox SET transaction_id = `+above, `"offset"`)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf(`UPDATE outbox_relay_cursor SET transaction_id = `+above, `0`)); err != nil {
		t.Fatal(err)
	}
}

func TestRelayRecoversFromARestoreIntoAnotherCluster(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		writeOutbox(t, f.db, newMessage(t, fmt.Sprintf("test.before.%d", i), i))
	}
	relayUntil(t, messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{Registerer: prometheus.NewRegistry()}), 3)
	// In the dump but not yet relayed when it was taken.
	writeOutbox(t, f.db, newMessage(t, "test.before.4", 4), newMessage(t, "test.before.5", 5))

	moveAboveCurrentXID(t, f.db)
	// Written after the restore, with transaction ids below the cursor's.
	writeOutbox(t, f.db, newMessage(t, "test.after.1", 6))
	writeOutbox(t, f.db, newMessage(t, "test.after.2", 7))
	if pending, err := messaging.Pending(ctx, f.db); err != nil || pending != 4 {
		t.Fatalf("pending after the restore: %d (%v), want 4", pending, err)
	}

	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{BatchSize: 2, Registerer: reg,
		Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if n, err := relay.RelayBatch(ctx); err != nil || n != 2 {
		t.Fatalf("first round after the restore: %d (%v), want 2", n, err)
	}
	// Said loudly: readiness, metrics, an error in the log.
	if err := relay.Check(); err == nil || !strings.Contains(err.Error(), "restored from a logical dump into another cluster") {
		t.Fatalf("readiness while recovering: %v", err)
	}
	if got := metric(t, reg, "casework_outbox_relay_xid_rewinds_total"); got != 1 {
		t.Fatalf("rewinds metric %v, want 1", got)
	}
	if got := metric(t, reg, "casework_outbox_relay_recovering"); got != 1 {
		t.Fatalf("recovering gauge %v, want 1", got)
	}
	var line struct{ Level, Msg string }
	if err := json.Unmarshal([]byte(strings.SplitN(logs.String(), "\n", 2)[0]), &line); err != nil ||
		line.Level != "ERROR" || line.Msg != "outbox relay: cursor ahead of the database's transaction ids" {
		t.Fatalf("first log line %q (%v)", logs.String(), err)
	}

	relayUntil(t, relay, 2)
	if n, err := relay.RelayBatch(ctx); err != nil || n != 0 {
		t.Fatalf("a round after catching up: %d (%v)", n, err)
	}
	if err := relay.Check(); err != nil {
		t.Fatalf("readiness after catching up: %v", err)
	}
	if rewinds, recovering := metric(t, reg, "casework_outbox_relay_xid_rewinds_total"), metric(t, reg, "casework_outbox_relay_recovering"); rewinds != 1 || recovering != 0 {
		t.Fatalf("after catching up: rewinds %v, recovering %v; want 1 and 0", rewinds, recovering)
	}
	want := "[test.before.1=1 test.before.2=2 test.before.3=3 test.before.4=4 test.before.5=5 test.after.1=6 test.after.2=7]"
	if got := streamSubjects(t, f.nats.JS, "TEST"); fmt.Sprint(got) != want {
		t.Fatalf("TEST holds %v, want %s", got, want)
	}
	if pending, err := messaging.Pending(ctx, f.db); err != nil || pending != 0 {
		t.Fatalf("pending: %d (%v)", pending, err)
	}
}

// legacyDatabase migrates a fresh database to the transaction-id cursor (platform 5),
// writes n outbox rows and returns a provider to migrate on with.
func legacyDatabase(t *testing.T, n int) (*sqlx.DB, *goose.Provider) {
	t.Helper()
	db, _ := testkit.NewDatabase(t)
	provider, err := goose.NewProvider(goose.DialectPostgres, db.DB, migrations.Platform(),
		goose.WithDisableGlobalRegistry(true), goose.WithTableName("goose_platform"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provider.UpTo(context.Background(), 5); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		writeOutbox(t, db, newMessage(t, fmt.Sprintf("test.legacy.%d", i), i))
	}
	return db, provider
}

func TestUpgradeKeepsWhatTheTransactionIDCursorRelayed(t *testing.T) {
	ctx := context.Background()
	n := testkit.NewNATS(t)
	if err := messaging.EnsureStreams(ctx, n.JS, jetstream.StreamConfig{Name: "TEST", Subjects: []string{"test.>"}}); err != nil {
		t.Fatal(err)
	}

	t.Run("cursor in the middle", func(t *testing.T) {
		db, provider := legacyDatabase(t, 4)
		if _, err := db.Exec(`UPDATE outbox_relay_cursor c SET transaction_id = o.transaction_id, "offset" = o."offset"
			FROM watermill_outbox o WHERE o."offset" = 2`); err != nil {
			t.Fatal(err)
		}
		if _, err := provider.Up(ctx); err != nil {
			t.Fatal(err)
		}
		var positions []string
		if err := db.Select(&positions, `SELECT coalesce(position::text, 'null') FROM watermill_outbox ORDER BY "offset"`); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(positions) != "[1 2 null null]" {
			t.Fatalf("positions %v, want the two relayed rows first", positions)
		}
		if pending, err := messaging.Pending(ctx, db); err != nil || pending != 2 {
			t.Fatalf("pending %d (%v), want 2", pending, err)
		}
		// The way down puts the old cursor just before the first row not relayed.
		if _, err := provider.DownTo(ctx, 5); err != nil {
			t.Fatal(err)
		}
		var before bool
		if err := db.Get(&before, `SELECT (c.transaction_id, c."offset") < (o.transaction_id, o."offset")
			AND (c.transaction_id, c."offset") >= (p.transaction_id, p."offset")
			FROM outbox_relay_cursor c, watermill_outbox o, watermill_outbox p WHERE o."offset" = 3 AND p."offset" = 2`); err != nil || !before {
			t.Fatalf("down: cursor not between the relayed and the first pending row (%v)", err)
		}
		if _, err := provider.Up(ctx); err != nil {
			t.Fatal(err)
		}
		relayUntil(t, messaging.NewRelay(db, n.JS, messaging.RelayConfig{Registerer: prometheus.NewRegistry()}), 2)
		if got := streamSubjects(t, n.JS, "TEST"); fmt.Sprint(got) != "[test.legacy.3=3 test.legacy.4=4]" {
			t.Fatalf("TEST holds %v, want only the rows the old cursor had not passed", got)
		}
	})

	t.Run("cursor ahead of the transaction ids", func(t *testing.T) {
		db, provider := legacyDatabase(t, 3)
		// Restored from a dump before the upgrade: the old cursor passed rows of another
		// cluster, and which of these it passed cannot be told.
		if _, err := db.Exec(`UPDATE outbox_relay_cursor SET transaction_id = (pg_current_xact_id()::text::numeric + 1000000)::text::xid8, "offset" = 1`); err != nil {
			t.Fatal(err)
		}
		if _, err := provider.Up(ctx); err != nil {
			t.Fatal(err)
		}
		if pending, err := messaging.Pending(ctx, db); err != nil || pending != 3 {
			t.Fatalf("pending %d (%v), want every retained row", pending, err)
		}
		reg := prometheus.NewRegistry()
		relay := messaging.NewRelay(db, n.JS, messaging.RelayConfig{Registerer: reg})
		relayUntil(t, relay, 3)
		if got := metric(t, reg, "casework_outbox_relay_xid_rewinds_total"); got != 1 {
			t.Fatalf("rewinds metric %v, want the restore reported", got)
		}
	})
}

// histogramCount is how many observations one histogram series in reg holds.
func histogramCount(t *testing.T, reg *prometheus.Registry, name string, labels ...string) uint64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue next
				}
			}
			return m.GetHistogram().GetSampleCount()
		}
	}
	return 0
}

func TestRelayKeepsItsLockWhileCommitsKeepComingAndLetsGoEachPollInterval(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	reg := prometheus.NewRegistry()
	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{PollInterval: time.Second, Registerer: reg})
	runRelay(t, relay)

	// A writer commits without pause, and a wake-up is pending at the end of every round.
	stop := make(chan struct{})
	var written int
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Microsecond):
				relay.Notify()
			}
		}
	})
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			writeOutbox(t, f.db, newMessage(t, fmt.Sprintf("test.busy.%d", written), written))
			written++
			relay.Notify()
		}
	})
	testkit.Eventually(t, 10*time.Second, "the relay busy", func() (bool, string) {
		n := histogramCount(t, reg, "casework_outbox_relay_round_seconds")
		return n >= 20, fmt.Sprintf("%d rounds", n)
	})
	// Replay waits for the relay's lock: it gets it within a poll interval or so even
	// though the relay never runs out of work.
	replayCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	err := messaging.Replay(replayCtx, f.db)
	cancel()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("replay while the relay is busy: %v", err)
	}

	// One take of the lock served several rounds: it is taken once per burst, not per round.
	rounds := histogramCount(t, reg, "casework_outbox_relay_round_seconds")
	locks := histogramCount(t, reg, "casework_outbox_relay_step_seconds", "step", "lock")
	if locks == 0 || rounds < 2*locks {
		t.Fatalf("%d rounds under %d takes of the lock; want at least two rounds a take", rounds, locks)
	}
	if wakes := histogramCount(t, reg, "casework_outbox_relay_wake_wait_seconds"); wakes == 0 {
		t.Fatal("no wait from a commit's notification to its round observed")
	}
	testkit.Eventually(t, 20*time.Second, "every row relayed once", func() (bool, string) {
		n, err := messaging.Pending(ctx, f.db)
		stored := streamCount(t, f.nats.JS, "TEST")
		return err == nil && n == 0 && stored == uint64(written), fmt.Sprintf("%d pending (%v), %d of %d stored", n, err, stored, written)
	})
}

func TestRelayBatchAfterAnUnacknowledgedOneWaitsForIt(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	// Nothing acknowledges held.>: its row fails only after the batch behind it was read.
	sub, err := f.nats.Conn.Subscribe("held.>", func(*nats.Msg) {})
	if err != nil {
		t.Fatal(err)
	}
	writeOutbox(t, f.db, newMessage(t, "test.first", 1))
	writeOutbox(t, f.db, newMessage(t, "held.second", 2))
	writeOutbox(t, f.db, newMessage(t, "test.third", 3))
	reg := prometheus.NewRegistry()
	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{BatchSize: 1, PublishTimeout: time.Second,
		PollInterval: 100 * time.Millisecond, Registerer: reg})
	runRelay(t, relay)

	// The third row is read while the second's ack is awaited, but sent only once the
	// second is settled (a batch sent again after a refusal must stay ahead of it): while
	// the second fails, round after round, the third is not stored and the cursor stays
	// before the second.
	testkit.Eventually(t, 10*time.Second, "the first row stored", func() (bool, string) {
		n := streamCount(t, f.nats.JS, "TEST")
		return n == 1, fmt.Sprintf("%d stored", n)
	})
	rounds := histogramCount(t, reg, "casework_outbox_relay_round_seconds")
	testkit.Eventually(t, 10*time.Second, "two more rounds against the held row", func() (bool, string) {
		n := histogramCount(t, reg, "casework_outbox_relay_round_seconds")
		return n >= rounds+2, fmt.Sprintf("%d rounds", n)
	})
	if pending, err := messaging.Pending(ctx, f.db); err != nil || pending != 2 {
		t.Fatalf("pending while the second row is unacknowledged: %d (%v), want 2", pending, err)
	}
	if n := streamCount(t, f.nats.JS, "TEST"); n != 1 {
		t.Fatalf("TEST holds %d messages while the row before the third is unacknowledged, want 1", n)
	}
	if err := sub.Unsubscribe(); err != nil {
		t.Fatal(err)
	}
	if err := messaging.EnsureStreams(ctx, f.nats.JS, jetstream.StreamConfig{Name: "HELD", Subjects: []string{"held.>"},
		Duplicates: 10 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	relay.Notify()
	testkit.Eventually(t, 10*time.Second, "every row relayed", func() (bool, string) {
		n, err := messaging.Pending(ctx, f.db)
		return err == nil && n == 0, fmt.Sprintf("%d pending (%v)", n, err)
	})
	if got := streamSubjects(t, f.nats.JS, "TEST"); fmt.Sprint(got) != "[test.first=1 test.third=3]" {
		t.Fatalf("TEST holds %v: the third row must be stored once", got)
	}
	if got := streamSubjects(t, f.nats.JS, "HELD"); fmt.Sprint(got) != "[held.second=2]" {
		t.Fatalf("HELD holds %v", got)
	}
}
