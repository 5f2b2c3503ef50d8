package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
)

// measureCeiling counts one-row insert commits per second at the given concurrency on the
// same database: the most any transactional write path could reach here.
func measureCeiling(ctx context.Context, cfg postgres.Config, clients int, length time.Duration) (float64, error) {
	db, err := postgres.Open(ctx, cfg)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_ceiling (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("ceiling table: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, length)
	defer cancel()
	var commits atomic.Int64
	var firstErr atomic.Value
	started := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, err := db.ExecContext(ctx, `INSERT INTO bench_ceiling (payload) VALUES ($1)`, "ceiling")
				if err != nil {
					if ctx.Err() == nil {
						firstErr.CompareAndSwap(nil, err)
					}
					return
				}
				commits.Add(1)
			}
		}()
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		return 0, fmt.Errorf("ceiling insert: %w", err)
	}
	return float64(commits.Load()) / time.Since(started).Seconds(), nil
}

// measureBrokerCeiling counts asynchronous JetStream publishes acknowledged per second on
// the stack's broker (so with its fsync setting), by publishers that each keep a batch of
// messages of the outbox's mean size in flight, as the relay does. With sync_interval
// always a single-replica stream writes each message with its own fsync, so streams are
// as fast as the disk and each other's; the publishes go to as many streams of the
// services' configuration as ours fills, in the same shares, created for the ceiling and
// deleted afterwards.
func measureBrokerCeiling(ctx context.Context, st *rig, publishers int, length time.Duration, size int, shares []float64) (float64, error) {
	nc, err := nats.Connect(st.natsURL(), nats.UserInfo("bench", st.acc.passwords["bench"]))
	if err != nil {
		return 0, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(publishers*brokerBatch))
	if err != nil {
		return 0, err
	}
	if len(shares) == 0 {
		shares = []float64{1}
	}
	for i := range shares {
		cfg := messaging.ServiceStreams("bench", 1, 0)[0] // a domain-event stream's settings
		cfg.Name, cfg.Subjects = fmt.Sprintf("BENCH_CEILING_%d", i), []string{fmt.Sprintf("bench.ceiling.%d.>", i)}
		if _, err := js.CreateStream(ctx, cfg); err != nil {
			return 0, fmt.Errorf("ceiling stream: %w", err)
		}
		defer js.DeleteStream(context.WithoutCancel(ctx), cfg.Name) //nolint:errcheck // best effort, the store is removed too
	}
	payload := make([]byte, max(size, 1))
	for i := range payload {
		payload[i] = 'x'
	}
	ctx, cancel := context.WithTimeout(ctx, length)
	defer cancel()
	var acked atomic.Int64
	var firstErr atomic.Value
	started := time.Now()
	var wg sync.WaitGroup
	for p := 0; p < publishers; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := weightedRoundRobin(shares)
			futures := make([]jetstream.PubAckFuture, 0, brokerBatch)
			for n := 0; ctx.Err() == nil; {
				futures = futures[:0]
				for range brokerBatch {
					n++
					subject := fmt.Sprintf("bench.ceiling.%d.%d", next(), p)
					f, err := js.PublishAsync(subject, payload, jetstream.WithMsgID(fmt.Sprintf("%d-%d", p, n)))
					if err != nil {
						firstErr.CompareAndSwap(nil, err)
						return
					}
					futures = append(futures, f)
				}
				for _, f := range futures {
					select {
					case <-f.Ok():
						acked.Add(1)
					case err := <-f.Err():
						firstErr.CompareAndSwap(nil, err)
						return
					case <-ctx.Done():
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		return 0, fmt.Errorf("ceiling publish: %w", err)
	}
	return float64(acked.Load()) / time.Since(started).Seconds(), nil
}

// brokerBatch is how many publishes each ceiling publisher keeps in flight.
const brokerBatch = 64

// weightedRoundRobin returns a function giving indexes of shares in proportion to them,
// evenly interleaved (smooth weighted round robin).
func weightedRoundRobin(shares []float64) func() int {
	current := make([]float64, len(shares))
	var total float64
	for _, s := range shares {
		total += s
	}
	return func() int {
		best := 0
		for i, s := range shares {
			current[i] += s
			if current[i] > current[best] {
				best = i
			}
		}
		current[best] -= total
		return best
	}
}
