package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmnats "github.com/ThreeDotsLabs/watermill-nats/v2/pkg/nats"
	wsql "github.com/ThreeDotsLabs/watermill-sql/v4/pkg/sql"
	"github.com/ThreeDotsLabs/watermill/components/forwarder"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/time/rate"

	"casework.dev/pkg/postgres"
)

// The peer is the pipeline a Go team would build with the usual libraries instead of
// ours: producers commit a row and a watermill-sql outbox row in one sqlx + lib/pq
// transaction, and watermill's forwarder polls the outbox every 10 ms and publishes each
// message to JetStream with watermill-nats. No HTTP: its producers write directly. It
// runs on the same database and broker as ours, at the same concurrency.
const (
	peerForwarderTopic = "bench_peer_forwarder" // watermill-sql's table: watermill_bench_peer_forwarder
	peerStream         = "BENCH_PEER"
	peerSubject        = "bench.peer.events"
	peerPoll           = 10 * time.Millisecond
)

type peerResult struct {
	sat, half            result // committed: transactions; phases' elapsed
	satDelivered         int64  // messages that reached the stream during the saturated phase
	satLat, halfLat      percentiles
	halfRate, halfTarget float64
}

// satRate is what the pipeline delivered to the stream per second while saturated: its
// throughput is the slower of its producers and its forwarder.
func (p peerResult) satRate() float64 {
	return float64(min(p.sat.committed, p.satDelivered)) / p.sat.elapsed.Seconds()
}

func measurePeer(ctx context.Context, o options, st *rig) (peerResult, error) {
	var r peerResult
	cfg := st.db
	cfg.MaxOpenConns = o.workers + 4
	db, err := postgres.Open(ctx, cfg)
	if err != nil {
		return r, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE bench_peer_cases (id BIGSERIAL PRIMARY KEY, details TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return r, fmt.Errorf("peer table: %w", err)
	}

	nc, err := nats.Connect(st.natsURL(), nats.UserInfo("bench", st.acc.passwords["bench"]))
	if err != nil {
		return r, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return r, err
	}
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: peerStream, Subjects: []string{"bench.peer.>"},
		Storage: jetstream.FileStorage}); err != nil {
		return r, fmt.Errorf("peer stream: %w", err)
	}
	defer js.DeleteStream(context.WithoutCancel(ctx), peerStream) //nolint:errcheck // best effort, the store is removed too
	probe, err := newLatencyProbe(ctx, nc, peerStream, peerSubject)
	if err != nil {
		return r, err
	}
	defer probe.stop()

	logger := watermill.NopLogger{}
	schema := wsql.DefaultPostgreSQLSchema{}
	sub, err := wsql.NewSubscriber(wsql.BeginnerFromStdSQL(db.DB), wsql.SubscriberConfig{
		SchemaAdapter: schema, OffsetsAdapter: wsql.DefaultPostgreSQLOffsetsAdapter{},
		PollInterval: peerPoll, InitializeSchema: true}, logger)
	if err != nil {
		return r, err
	}
	if err := sub.SubscribeInitialize(peerForwarderTopic); err != nil {
		return r, fmt.Errorf("peer outbox: %w", err)
	}
	pub, err := wmnats.NewPublisher(wmnats.PublisherConfig{URL: st.natsURL(),
		NatsOptions: []nats.Option{nats.UserInfo("bench", st.acc.passwords["bench"])},
		Marshaler:   &wmnats.NATSMarshaler{},
		JetStream:   wmnats.JetStreamConfig{TrackMsgID: true}}, logger)
	if err != nil {
		return r, err
	}
	fwd, err := forwarder.NewForwarder(sub, pub, logger, forwarder.Config{ForwarderTopic: peerForwarderTopic})
	if err != nil {
		return r, err
	}
	fwdCtx, stopFwd := context.WithCancel(ctx)
	fwdDone := make(chan error, 1)
	go func() { fwdDone <- fwd.Run(fwdCtx) }()
	defer func() {
		stopFwd()
		_ = fwd.Close()
		<-fwdDone
		_ = pub.Close()
	}()
	select {
	case <-fwd.Running():
	case err := <-fwdDone:
		return r, fmt.Errorf("forwarder: %w", err)
	}

	produce := func(length time.Duration, perSecond float64) result {
		return peerProducers(ctx, db, schema, o.workers, length, perSecond)
	}
	warm := produce(o.warmup, 0)
	probe.settle(ctx, warm.committed)
	probe.reset()
	r.sat = produce(o.duration, 0)
	r.satDelivered = int64(probe.count())
	r.satLat = probe.settle(ctx, r.sat.committed)
	if r.sat.committed == 0 {
		return r, fmt.Errorf("no peer transaction committed (first error: %s)", r.sat.firstErr)
	}

	probe.reset()
	r.halfTarget = r.satRate() / 2
	r.half = produce(o.duration, r.halfTarget)
	r.halfLat = probe.settle(ctx, r.half.committed)
	r.halfRate = float64(r.half.committed) / r.half.elapsed.Seconds()
	return r, nil
}

// peerProducers commit, from each of workers goroutines, transactions of one row and one
// forwarder-enveloped outbox message carrying occurred_at. Like the officers (driver.load),
// they start nothing new once the phase ends, and finish what is in flight.
func peerProducers(ctx context.Context, db *sqlx.DB, schema wsql.SchemaAdapter, workers int, length time.Duration, perSecond float64) result {
	phase, cancel := context.WithTimeout(ctx, length)
	defer cancel()
	var limiter *rate.Limiter
	if perSecond > 0 {
		limiter = rate.NewLimiter(rate.Limit(perSecond), 1)
	}
	var committed, failed atomic.Int64
	var once sync.Once
	var why string
	started := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for phase.Err() == nil {
				if limiter != nil && limiter.Wait(phase) != nil {
					return
				}
				if err := peerTransaction(ctx, db, schema); err != nil {
					if ctx.Err() == nil {
						failed.Add(1)
						once.Do(func() { why = err.Error() })
					}
					continue
				}
				committed.Add(1)
			}
		}()
	}
	wg.Wait()
	return result{committed: committed.Load(), failed: failed.Load(), firstErr: why, elapsed: time.Since(started)}
}

func peerTransaction(ctx context.Context, db *sqlx.DB, schema wsql.SchemaAdapter) error {
	return postgres.InTx(ctx, db, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO bench_peer_cases (details, updated_at) VALUES ($1, now())`,
			"Benchmark complaint about missed collections."); err != nil {
			return err
		}
		outbox, err := wsql.NewPublisher(wsql.TxFromStdSQL(tx.Tx), wsql.PublisherConfig{SchemaAdapter: schema}, watermill.NopLogger{})
		if err != nil {
			return err
		}
		payload, err := json.Marshal(map[string]any{"type": "case.updated", "occurred_at": time.Now()})
		if err != nil {
			return err
		}
		msg := message.NewMessage(watermill.NewUUID(), payload)
		msg.SetContext(ctx)
		return forwarder.NewPublisher(outbox, forwarder.PublisherConfig{ForwarderTopic: peerForwarderTopic}).Publish(peerSubject, msg)
	})
}

func (p peerResult) print(st *rig) {
	fmt.Printf("bench: peer        saturated committed=%d errors=%d delivered=%d per_s=%.0f occurred_to_stream p50_ms=%.1f p99_ms=%.1f (n=%d, watermill-sql outbox + forwarder %s poll + watermill-nats, %s)%s\n",
		p.sat.committed, p.sat.failed, p.satDelivered, p.satRate(), p.satLat.p50, p.satLat.p99, p.satLat.n, peerPoll, st.fsyncName(), firstError(p.sat))
	fmt.Printf("bench: peer        half-rate committed=%d per_s=%.0f occurred_to_stream p50_ms=%.1f p99_ms=%.1f (n=%d)%s\n",
		p.half.committed, p.halfRate, p.halfLat.p50, p.halfLat.p99, p.halfLat.n, firstError(p.half))
}
