package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/contracts/events"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/testkit"
	"casework.dev/services/complaints/internal/domain"
)

// outboxIDs are the event ids the outbox holds for subjects under prefix, sorted: its
// rows' and their companions'.
func (e *env) outboxIDs(t *testing.T, prefix string) []string {
	t.Helper()
	var ids []string
	err := e.DB.Select(&ids, `SELECT id FROM (
			SELECT uuid AS id, metadata->>'_casework_subject' AS subject FROM watermill_outbox
			UNION ALL
			SELECT c->>'id', c->>'subject' FROM watermill_outbox, json_array_elements((metadata->>$2)::json) c) m
		WHERE subject LIKE $1 ORDER BY id`, prefix+"%", messaging.CompanionsKey)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// streamIDs reads every message of a stream and returns each event id (Nats-Msg-Id,
// checked against the payload's) with how often it appears.
func (e *env) streamIDs(t *testing.T, stream, filter, payloadKey string, want int) map[string]int {
	t.Helper()
	s, err := e.NATS.JS.Stream(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if int(info.State.Msgs) != want {
		t.Fatalf("stream %s holds %d messages, want %d", stream, info.State.Msgs, want)
	}
	seen := map[string]int{}
	for _, m := range e.Collect(stream, filter).WaitFor(t, want) {
		id := m.Headers().Get(nats.MsgIdHdr)
		if got := testkit.Decode(t, m)[payloadKey]; got != id || m.Headers().Get(messaging.HeaderEventID) != id {
			t.Fatalf("%s: Nats-Msg-Id %q, payload %s %v, %s %q", m.Subject(), id, payloadKey, got,
				messaging.HeaderEventID, m.Headers().Get(messaging.HeaderEventID))
		}
		seen[id]++
	}
	return seen
}

func exactlyOnce(t *testing.T, what string, want []string, seen map[string]int) {
	t.Helper()
	if len(seen) != len(want) {
		t.Errorf("%s: %d distinct ids, want %d", what, len(seen), len(want))
	}
	for _, id := range want {
		if seen[id] != 1 {
			t.Errorf("%s: event %s seen %d times, want once", what, id, seen[id])
		}
	}
}

func TestNothingIsLostOrDoubledWhenTheServiceStopsMidRelay(t *testing.T) {
	ctx := context.Background()
	a := newEnv(t)
	alice := a.officer("alice")
	// 40 transitions in all, so that the relay's round after the rewind holds 40 messages
	// for each stream: enough for an atomic batch, which the broker refuses whole for the
	// messages it stored before, and the relay sends again one by one.
	for range 15 {
		id := a.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
		a.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice, nil)
	}
	// Stop at once: the relay may have sent some, all or none of those.
	a.Shutdown()

	// Committed while no relay runs: only the next start can send these.
	for range 5 {
		c, created, err := a.svc.App.LogComplaint(ctx, "alice", domain.NewComplaint{
			Complainant: domain.Complainant{Name: "Grace Hopper", Email: "grace@example.org"},
			Details:     "Street light out.", Service: "lighting", Channel: "email"}, casework.IdempotencyKey{})
		if err != nil || !created {
			t.Fatalf("log while the relay is down: %v (created %v)", err, created)
		}
		if _, err := a.svc.App.Acknowledge(ctx, "alice", c.ID); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := messaging.Pending(ctx, a.DB); err != nil || n < 10 {
		t.Fatalf("pending rows %d (err %v), want at least the 10 written while stopped (a row a transition)", n, err)
	}
	// A crash after JetStream acknowledged but before the relay's cursor moved: everything
	// already sent is sent again.
	if err := messaging.Replay(ctx, a.DB); err != nil {
		t.Fatal(err)
	}
	if n, err := messaging.Pending(ctx, a.DB); err != nil || n != 40 {
		t.Fatalf("pending rows after the rewind %d (err %v), want all 40 (a row a transition, its status event inside)", n, err)
	}

	b := newEnvOn(t, a.DB, a.NATS, a.Clock)
	b.WaitRelayed(t)
	domainIDs := b.outboxIDs(t, events.ComplaintsEventsPrefix)
	statusIDs := b.outboxIDs(t, events.ComplaintsStatusPrefix)
	if len(domainIDs) != 40 || len(statusIDs) != 40 { // 20 complaints, logged and acknowledged
		t.Fatalf("outbox: %d domain and %d status events, want 40 each", len(domainIDs), len(statusIDs))
	}
	exactlyOnce(t, "COMPLAINTS_EVENTS", domainIDs, b.streamIDs(t, "COMPLAINTS_EVENTS", "complaints.events.>", "event_id", 40))
	exactlyOnce(t, "COMPLAINTS_STATUS", statusIDs, b.streamIDs(t, "COMPLAINTS_STATUS", "status.complaints.>", "event_id", 40))
	if t.Failed() {
		t.FailNow()
	}

	// A consumer applies each event once: through a failed first attempt, a copy of an
	// event under a new broker id, and a replay of the whole stream to a new consumer.
	if _, err := b.DB.Exec(`CREATE TABLE applied_complaint_events (event_id TEXT NOT NULL, type TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	attempts := map[string]int{}
	failFirst := domainIDs[3]
	apply := func(ctx context.Context, tx *sqlx.Tx, msg *message.Message) error {
		var ev events.ComplaintEvent
		dec := json.NewDecoder(strings.NewReader(string(msg.Payload)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ev); err != nil || ev.EventID != msg.UUID {
			return fmt.Errorf("event %s (payload id %s): %v: %w", msg.UUID, ev.EventID, err, messaging.ErrPermanent)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO applied_complaint_events VALUES ($1, $2)`, ev.EventID, ev.Type); err != nil {
			return err
		}
		mu.Lock()
		attempts[msg.UUID]++
		first := attempts[msg.UUID] == 1
		mu.Unlock()
		if msg.UUID == failFirst && first {
			return errors.New("database went away after the insert") // rolled back, retried
		}
		return nil
	}
	const consumer = "nothing-lost-test"
	run := func() (stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		c, err := messaging.NewConsumer(ctx, b.NATS.JS, b.DB, messaging.ConsumerConfig{
			Name: consumer, Stream: "COMPLAINTS_EVENTS", FilterSubject: "complaints.events.>", NATSURL: b.NATS.URL,
			DeadLetterSubject: "deadletter.complaints." + consumer, RetryInterval: time.Millisecond,
		}, apply)
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- c.Run(ctx) }()
		<-c.Running()
		return func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("consumer: %v", err)
			}
		}
	}
	caughtUp := func(what string) {
		t.Helper()
		testkit.Eventually(t, 15*time.Second, what, func() (bool, string) {
			s, err := b.NATS.JS.Stream(ctx, "COMPLAINTS_EVENTS")
			if err != nil {
				return false, err.Error()
			}
			si, err := s.Info(ctx)
			if err != nil {
				return false, err.Error()
			}
			cons, err := b.NATS.JS.PushConsumer(ctx, "COMPLAINTS_EVENTS", consumer)
			if err != nil {
				return false, err.Error()
			}
			ci, err := cons.Info(ctx)
			if err != nil {
				return false, err.Error()
			}
			return ci.NumAckPending == 0 && ci.NumPending == 0 && ci.AckFloor.Stream == si.State.LastSeq,
				fmt.Sprintf("ack floor %d of %d, %d ack pending", ci.AckFloor.Stream, si.State.LastSeq, ci.NumAckPending)
		})
	}
	appliedOnce := func(when string) {
		t.Helper()
		var rows []struct {
			ID string `db:"event_id"`
			N  int    `db:"n"`
		}
		if err := b.DB.Select(&rows, `SELECT event_id, count(*) AS n FROM applied_complaint_events GROUP BY event_id`); err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, r := range rows {
			seen[r.ID] = r.N
		}
		exactlyOnce(t, "applied "+when, domainIDs, seen)
		if t.Failed() {
			t.FailNow()
		}
	}

	stop := run()
	caughtUp("the consumer caught up")
	appliedOnce("after the first delivery")

	// The same event again under a new broker id, as if published past the duplicate window.
	copyOf := nats.NewMsg(events.ComplaintReceived)
	first, err := b.NATS.JS.Stream(ctx, "COMPLAINTS_EVENTS")
	if err != nil {
		t.Fatal(err)
	}
	orig, err := first.GetMsg(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	copyOf.Data = orig.Data
	copyOf.Header.Set(messaging.HeaderEventID, orig.Header.Get(messaging.HeaderEventID))
	if _, err := b.NATS.JS.PublishMsg(ctx, copyOf, jetstream.WithMsgID("redelivery-"+orig.Header.Get(nats.MsgIdHdr))); err != nil {
		t.Fatal(err)
	}
	caughtUp("the copy acknowledged")
	appliedOnce("after a copy")
	stop()

	// The consumer's position is lost: the whole stream is delivered again.
	if err := b.NATS.JS.DeleteConsumer(ctx, "COMPLAINTS_EVENTS", consumer); err != nil {
		t.Fatal(err)
	}
	stop = run()
	caughtUp("the replay acknowledged")
	appliedOnce("after a replay")
	stop()

	mu.Lock()
	defer mu.Unlock()
	if attempts[failFirst] != 2 {
		t.Fatalf("the failing event was attempted %d times, want 2 (one failure, one success)", attempts[failFirst])
	}
	var processed []string
	if err := b.DB.Select(&processed, `SELECT event_id FROM processed_events WHERE consumer = $1 ORDER BY event_id`, consumer); err != nil {
		t.Fatal(err)
	}
	if !sort.StringsAreSorted(domainIDs) || fmt.Sprint(processed) != fmt.Sprint(domainIDs) {
		t.Fatalf("processed_events %d rows, want the %d domain event ids", len(processed), len(domainIDs))
	}
	if n := b.SubjectCount(t, "COMPLAINTS_DEADLETTER", "deadletter.complaints."+consumer); n != 0 {
		t.Fatalf("%d events dead-lettered", n)
	}
}
