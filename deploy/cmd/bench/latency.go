package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// latencyProbe is a JetStream consumer of a stream's events; for each it records the time
// from the event's occurred_at (taken inside the committing transaction) to its arrival,
// and that time in two parts at the stream's own timestamp of the message (taken as the
// broker began to store it, before its fsync): occurred to stream (the transaction, the
// relay) and stream to consumer (the broker's write and fsync, delivery, the bench).
type latencyProbe struct {
	mu                   sync.Mutex
	samples              []time.Duration
	toStream, fromStream []time.Duration
	arrivals             []time.Time
	ids                  []string // each sample's event id (its Nats-Msg-Id)
	consumer             jetstream.ConsumeContext
}

func newLatencyProbe(ctx context.Context, nc *nats.Conn, stream, subjects string) (*latencyProbe, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subjects}, DeliverPolicy: jetstream.DeliverNewPolicy})
	if err != nil {
		return nil, fmt.Errorf("probe consumer: %w", err)
	}
	p := &latencyProbe{}
	p.consumer, err = cons.Consume(func(m jetstream.Msg) {
		arrived := time.Now()
		var e struct {
			OccurredAt time.Time `json:"occurred_at"`
		}
		if json.Unmarshal(m.Data(), &e) != nil {
			return
		}
		p.mu.Lock()
		p.samples = append(p.samples, arrived.Sub(e.OccurredAt))
		p.arrivals = append(p.arrivals, arrived)
		p.ids = append(p.ids, m.Headers().Get(jetstream.MsgIDHeader))
		if md, err := m.Metadata(); err == nil {
			p.toStream = append(p.toStream, md.Timestamp.Sub(e.OccurredAt))
			p.fromStream = append(p.fromStream, arrived.Sub(md.Timestamp))
		}
		p.mu.Unlock()
	}, jetstream.PullMaxMessages(1000))
	return p, err
}

func (p *latencyProbe) stop() { p.consumer.Stop() }

func (p *latencyProbe) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.samples)
}

func (p *latencyProbe) reset() {
	p.mu.Lock()
	p.samples, p.toStream, p.fromStream = p.samples[:0], p.toStream[:0], p.fromStream[:0]
	p.arrivals, p.ids = p.arrivals[:0], p.ids[:0]
	p.mu.Unlock()
}

// split is the percentiles of the two parts of the time recorded since the last reset.
func (p *latencyProbe) split() (toStream, fromStream percentiles) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return percentilesOf(slices.Clone(p.toStream)), percentilesOf(slices.Clone(p.fromStream))
}

// slowest says how the slowest 1% of the samples since the last reset are spread in time:
// how many there are, the distinct 100 ms windows of arrival they fall in (a few windows
// mean stalls of the machine, a collector or a disk; many, a steady tail), and the median
// of their time before and after the stream's timestamp (where the stall held them).
func (p *latencyProbe) slowest() (n int, windows map[int64]bool, toStream, fromStream time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	windows = map[int64]bool{}
	if len(p.samples) == 0 {
		return 0, windows, 0, 0
	}
	order := make([]int, len(p.samples))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(p.samples[b], p.samples[a]) })
	n = max(1, len(order)/100)
	var to, from []time.Duration
	for _, i := range order[:n] {
		windows[window(p.arrivals[i])] = true
		if len(p.toStream) == len(p.samples) {
			to, from = append(to, p.toStream[i]), append(from, p.fromStream[i])
		}
	}
	return n, windows, median(to), median(from)
}

// window is the 100 ms window a time falls in.
func window(t time.Time) int64 { return t.UnixMilli() / 100 }

func median(s []time.Duration) time.Duration {
	if len(s) == 0 {
		return 0
	}
	slices.Sort(s)
	return s[len(s)/2]
}

type percentiles struct {
	p50, p99 float64
	n        int
}

// settle waits (up to 30s) until the events of the phase's transitions have arrived, then
// computes the percentiles.
func (p *latencyProbe) settle(ctx context.Context, want int64) percentiles {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		p.mu.Lock()
		n := len(p.samples)
		p.mu.Unlock()
		if int64(n) >= want {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	p.mu.Lock()
	s := slices.Clone(p.samples)
	p.mu.Unlock()
	return percentilesOf(s)
}

func percentilesOf(s []time.Duration) percentiles {
	if len(s) == 0 {
		return percentiles{}
	}
	slices.Sort(s)
	at := func(q float64) float64 {
		return float64(s[min(len(s)-1, int(q*float64(len(s))))].Microseconds()) / 1000
	}
	return percentiles{p50: at(0.50), p99: at(0.99), n: len(s)}
}

// fromCommit is the percentiles, since the last reset, of the time from each event's
// commit to its arrival. The commit's time is PostgreSQL's own record of it
// (pg_xact_commit_timestamp of the transaction that wrote the event's outbox row, on the
// same machine's clock), which the server keeps only with track_commit_timestamp on
// (deploy/local/postgres.sh sets it). occurred_at is taken before the transaction's
// statements run, so the time from it also holds the transaction itself.
func (p *latencyProbe) fromCommit(ctx context.Context, db *sqlx.DB) (percentiles, error) {
	var tracked string
	if err := db.GetContext(ctx, &tracked, `SHOW track_commit_timestamp`); err != nil {
		return percentiles{}, err
	}
	if tracked != "on" {
		return percentiles{}, errors.New("track_commit_timestamp is off on the server")
	}
	p.mu.Lock()
	ids, arrivals := slices.Clone(p.ids), slices.Clone(p.arrivals)
	p.mu.Unlock()
	var rows []struct {
		ID        string     `db:"uuid"`
		Committed *time.Time `db:"committed"` // nil for a transaction committed before tracking began
	}
	// The outbox keeps relayed rows for the replay window. An xid is the low 32 bits of an
	// xid8, unambiguous for transactions seconds old.
	if err := db.SelectContext(ctx, &rows, `SELECT uuid, pg_xact_commit_timestamp(transaction_id::xid) AS committed
		FROM watermill_outbox WHERE uuid = ANY($1)`, pq.Array(ids)); err != nil {
		return percentiles{}, fmt.Errorf("commit timestamps: %w", err)
	}
	committed := make(map[string]*time.Time, len(rows))
	for _, r := range rows {
		committed[r.ID] = r.Committed
	}
	s := make([]time.Duration, 0, len(ids))
	missing, untracked := 0, 0
	for i, id := range ids {
		switch at, ok := committed[id]; {
		case !ok:
			missing++
		case at == nil:
			untracked++
		default:
			s = append(s, arrivals[i].Sub(*at))
		}
	}
	if missing+untracked > 0 {
		return percentiles{}, fmt.Errorf("commit timestamps for %d of %d events (%d not in the outbox, %d committed untracked)",
			len(s), len(ids), missing, untracked)
	}
	return percentilesOf(s), nil
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
