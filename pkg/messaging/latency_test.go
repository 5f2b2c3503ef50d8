package messaging_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
)

// BenchmarkRelayCommitToConsumer is one commit at a time, as a quiet hour sends them: from
// the start of a transaction writing one outbox row to a JetStream consumer receiving its
// message, through the relay's wake-up. ns/op is that whole time; p50-ms and p99-ms are of
// it too.
//
//	go test -run '^$' -bench RelayCommitToConsumer -count 5 ./messaging/
func BenchmarkRelayCommitToConsumer(b *testing.B) {
	f := setup(b)
	ctx := context.Background()
	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{Registerer: prometheus.NewRegistry()})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- relay.Run(runCtx) }()
	b.Cleanup(func() { stop(); <-done })
	received := make(chan struct{}, 1)
	cons, err := f.nats.JS.OrderedConsumer(ctx, "TEST", jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverNewPolicy})
	if err != nil {
		b.Fatal(err)
	}
	cc, err := cons.Consume(func(jetstream.Msg) { received <- struct{}{} })
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(cc.Stop)
	one := func() time.Duration {
		started := time.Now()
		m, err := messaging.NewMessage("test.latency", map[string]int{"n": 1})
		if err != nil {
			b.Fatal(err)
		}
		if err := postgres.InTx(ctx, f.db, func(tx *sqlx.Tx) error { return messaging.AddToOutbox(ctx, tx, m) }); err != nil {
			b.Fatal(err)
		}
		relay.Notify()
		select {
		case <-received:
		case <-time.After(10 * time.Second):
			b.Fatal("not relayed within 10s")
		}
		return time.Since(started)
	}
	one() // the relay's session and statements
	var took []time.Duration
	for b.Loop() {
		took = append(took, one())
	}
	slices.Sort(took)
	at := func(q float64) float64 {
		return float64(took[min(len(took)-1, int(q*float64(len(took))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}
