package messaging_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"casework.dev/pkg/messaging"
	"casework.dev/pkg/testkit"
)

// atomicSetup adds a stream that takes atomic batches, ATOMIC on atomic.>, to the fixture
// (whose TEST stream takes none).
func atomicSetup(t *testing.T) fixture {
	t.Helper()
	f := setup(t)
	if err := messaging.EnsureStreams(context.Background(), f.nats.JS, jetstream.StreamConfig{Name: "ATOMIC",
		Subjects: []string{"atomic.>"}, Storage: jetstream.FileStorage, Duplicates: 10 * time.Minute, AllowAtomicPublish: true}); err != nil {
		t.Fatal(err)
	}
	return f
}

// storeBefore publishes m as a relay that crashed before moving its cursor would have.
func storeBefore(t *testing.T, f fixture, m messaging.Message) {
	t.Helper()
	if _, err := f.nats.JS.PublishMsg(context.Background(), &nats.Msg{Subject: m.Subject, Data: m.Payload},
		jetstream.WithMsgID(m.ID)); err != nil {
		t.Fatal(err)
	}
}

// wantAtomic checks the atomic batches committed and the rounds sent again one by one.
func wantAtomic(t *testing.T, reg *prometheus.Registry, batches, fallbacks float64) {
	t.Helper()
	if n := metric(t, reg, "casework_outbox_atomic_batches_total"); n != batches {
		t.Errorf("%v atomic batches committed, want %v", n, batches)
	}
	if n := metric(t, reg, "casework_outbox_atomic_fallbacks_total"); n != fallbacks {
		t.Errorf("%v rounds sent again one by one, want %v", n, fallbacks)
	}
}

// atomicMessages are messages on atomic.case numbered from to to, without companions.
func atomicMessages(t *testing.T, from, to int) []messaging.Message {
	t.Helper()
	var msgs []messaging.Message
	for i := from; i <= to; i++ {
		msgs = append(msgs, newMessage(t, "atomic.case", i))
	}
	return msgs
}

func numbered(subject string, from, to int) []string {
	var want []string
	for i := from; i <= to; i++ {
		want = append(want, fmt.Sprintf("%s=%d", subject, i))
	}
	return want
}

func TestRelaySendsAStreamsShareOfALargeRoundAsOneAtomicBatch(t *testing.T) {
	f := atomicSetup(t)
	// One round: 40 rows for ATOMIC, each with a companion for TEST (which takes no atomic
	// batch), and 5 rows with a companion for ATOMIC.
	var msgs []messaging.Message
	for i := 1; i <= 40; i++ {
		m := newMessage(t, "atomic.case", i)
		m.Companions = []messaging.Message{newMessage(t, "test.status", i)}
		msgs = append(msgs, m)
	}
	for i := 41; i <= 45; i++ {
		m := newMessage(t, "test.case", i)
		m.Companions = []messaging.Message{newMessage(t, "atomic.case", i)}
		msgs = append(msgs, m)
	}
	writeOutbox(t, f.db, msgs...)
	reg := prometheus.NewRegistry()
	relayUntil(t, messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{Registerer: reg}), 45)

	if got, want := streamSubjects(t, f.nats.JS, "ATOMIC"), numbered("atomic.case", 1, 45); !slices.Equal(got, want) {
		t.Fatalf("ATOMIC holds %v, want %v", got, want)
	}
	want := append(numbered("test.status", 1, 40), numbered("test.case", 41, 45)...)
	if got := streamSubjects(t, f.nats.JS, "TEST"); !slices.Equal(got, want) {
		t.Fatalf("TEST holds %v, want %v", got, want)
	}
	wantAtomic(t, reg, 1, 0) // ATOMIC's 45 messages
	// Consumers see what a message sent on its own carries, its event id (and, from the
	// broker, the batch's id and the message's place in it).
	stream, err := f.nats.JS.Stream(context.Background(), "ATOMIC")
	if err != nil {
		t.Fatal(err)
	}
	first, err := stream.GetMsg(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if first.Header.Get(messaging.HeaderEventID) != msgs[0].ID || first.Header.Get(jetstream.MsgIDHeader) != msgs[0].ID {
		t.Fatalf("first message's headers %v, want its event id %s", first.Header, msgs[0].ID)
	}

	// A round too small to be worth a batch goes one message at a time.
	writeOutbox(t, f.db, newMessage(t, "atomic.case", 46), newMessage(t, "atomic.case", 47))
	relayUntil(t, messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{Registerer: reg}), 2)
	if got, want := streamSubjects(t, f.nats.JS, "ATOMIC"), numbered("atomic.case", 1, 47); !slices.Equal(got, want) {
		t.Fatalf("ATOMIC holds %v, want %v", got, want)
	}
	wantAtomic(t, reg, 1, 0)
}

func TestRelayRoundWithAMessageStoredBeforeGoesAgainOneByOneInOrder(t *testing.T) {
	f := atomicSetup(t)
	msgs := atomicMessages(t, 1, 40)
	writeOutbox(t, f.db, msgs...)
	// The 20th was stored before, as by a relay that crashed before moving its cursor: the
	// broker refuses a batch holding it, where it drops it on its own.
	stored := msgs[19]
	storeBefore(t, f, stored)
	reg := prometheus.NewRegistry()
	relayUntil(t, messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{Registerer: reg}), 40)

	want := append(append([]string{"atomic.case=20"}, numbered("atomic.case", 1, 19)...), numbered("atomic.case", 21, 40)...)
	if got := streamSubjects(t, f.nats.JS, "ATOMIC"); !slices.Equal(got, want) {
		t.Fatalf("ATOMIC holds %v, want %v: every message once, in order", got, want)
	}
	wantAtomic(t, reg, 0, 1)
}

func TestRelayStreamThatStopsTakingAtomicBatchesGetsMessagesOneByOne(t *testing.T) {
	f := atomicSetup(t)
	reg := prometheus.NewRegistry()
	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{Registerer: reg})
	round := func(from int) {
		t.Helper()
		writeOutbox(t, f.db, atomicMessages(t, from, from+39)...)
		relayUntil(t, relay, 40)
	}
	round(1)
	// The operator turns atomic publishing off after the relay learnt the stream took it.
	if err := messaging.EnsureStreams(context.Background(), f.nats.JS, jetstream.StreamConfig{Name: "ATOMIC",
		Subjects: []string{"atomic.>"}, Storage: jetstream.FileStorage, Duplicates: 10 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	round(41)
	round(81)
	if got, want := streamSubjects(t, f.nats.JS, "ATOMIC"), numbered("atomic.case", 1, 120); !slices.Equal(got, want) {
		t.Fatalf("ATOMIC holds %v, want %v", got, want)
	}
	wantAtomic(t, reg, 1, 1)
}

func TestRelayRoundWithMoreThanABatchForAStreamIsCutAndTheRestFollowsInOrder(t *testing.T) {
	f := atomicSetup(t)
	// 256 rows (a round) of five messages each for ATOMIC: 1,280, over the 1,000 of one
	// atomic batch.
	var msgs []messaging.Message
	var want []string
	for i := 1; i <= 256; i++ {
		m := newMessage(t, "atomic.case", i)
		want = append(want, fmt.Sprintf("atomic.case=%d", i))
		for c := 1; c <= 4; c++ {
			m.Companions = append(m.Companions, newMessage(t, "atomic.companion", i*10+c))
			want = append(want, fmt.Sprintf("atomic.companion=%d", i*10+c))
		}
		msgs = append(msgs, m)
	}
	writeOutbox(t, f.db, msgs...)
	// The fifth row's message was stored before: the round's batch holding it is refused
	// and sent again one by one. Had the rows after the 1,000th gone in a second batch of
	// the same round, that one would have committed first, ahead of the refused one's.
	stored := msgs[4]
	storeBefore(t, f, stored)
	want = append([]string{"atomic.case=5"}, slices.DeleteFunc(want, func(s string) bool { return s == "atomic.case=5" })...)
	reg := prometheus.NewRegistry()
	// No wake-up and a poll interval longer than the wait below: the rest of the cut round
	// must follow in the same burst, not wait for the next poll.
	runRelay(t, messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{PollInterval: time.Minute, Registerer: reg}))
	testkit.Eventually(t, 10*time.Second, "every row relayed", func() (bool, string) {
		n := streamCount(t, f.nats.JS, "ATOMIC")
		return n == uint64(len(want)), fmt.Sprintf("%d of %d stored", n, len(want))
	})
	if got := streamSubjects(t, f.nats.JS, "ATOMIC"); !slices.Equal(got, want) {
		t.Fatalf("ATOMIC holds %d messages not in row order (first %v)", len(got), got[:min(10, len(got))])
	}
	// One batch a round: rows 1-200 (1,000 messages, refused, then one by one), then rows
	// 201-256.
	wantAtomic(t, reg, 1, 1)
}
