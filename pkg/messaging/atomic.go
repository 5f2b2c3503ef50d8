package messaging

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
	"github.com/prometheus/client_golang/prometheus"
)

// JetStream's atomic batch publishing (nats-server 2.12 and later, on a stream with
// AllowAtomicPublish): messages carry a batch id and their sequence in it, the last one
// commits, and the broker stores all of them or none, answering once. Under
// sync_interval always it writes a committed batch with one fsync, where each message
// published on its own is one.
const (
	batchIDHeader       = "Nats-Batch-Id"
	batchSequenceHeader = "Nats-Batch-Sequence"
	batchCommitHeader   = "Nats-Batch-Commit"
	// maxAtomicBatch is the broker's default limit of messages in one atomic batch.
	maxAtomicBatch = 1000
)

// JetStream's error codes for an atomic batch a stream will not take at all.
const (
	errCodeAtomicPublishDisabled = 10174
	errCodeAtomicBatchTooLarge   = 10199
)

// atomicStreams says, for each of the batch's messages, the stream it goes to when that
// stream takes atomic batches and gets at least AtomicBatchMin of them this round; false
// when none does, or the broker cannot say now (the round goes one by one). A stream takes
// at most one atomic batch a round, of at most maxAtomicBatch messages: with two, the second
// could commit while the first is refused, and the first, sent again, would land after it.
// A round with more for one stream is cut before the row that would pass the limit (the
// batch is marked cut, and the rest read again next round); it returns the messages kept.
func (r *Relay) atomicStreams(ctx context.Context, b *batch, msgs []outgoing) ([]outgoing, []string, bool) {
	streams := make([]string, len(msgs))
	for i, o := range msgs {
		if o.msg == nil {
			continue
		}
		name, takes, err := r.streams.atomicStream(ctx, o.msg.Subject)
		if err != nil {
			return msgs, nil, false // asked again next round
		}
		if takes {
			streams[i] = name
		}
	}
	kept := len(msgs)
	count := map[string]int{}
	for i, name := range streams {
		if name == "" {
			continue
		}
		if count[name] == maxAtomicBatch {
			for kept = i; kept > 0 && msgs[kept-1].row == msgs[i].row; kept-- {
			}
			break
		}
		count[name]++
	}
	if kept < len(msgs) {
		clear(count)
		for _, name := range streams[:kept] {
			if name != "" {
				count[name]++
			}
		}
	}
	for name, n := range count {
		if n < r.cfg.AtomicBatchMin {
			delete(count, name)
		}
	}
	if len(count) == 0 {
		return msgs, nil, false
	}
	for i := range streams[:kept] {
		if _, ok := count[streams[i]]; !ok {
			streams[i] = "" // too few for a batch: on its own
		}
	}
	if kept < len(msgs) {
		b.rows, b.cut = b.rows[:msgs[kept].row], true
	}
	return msgs[:kept], streams[:kept], true
}

// sendAtomic sends the messages bound for streams[i] as one atomic batch per stream, in
// order, and the rest on their own.
func (r *Relay) sendAtomic(ctx context.Context, b *batch, msgs []outgoing, streams []string) {
	left := map[string]int{}
	for _, name := range streams {
		left[name]++
	}
	open := map[string]*atomicBatch{}
	b.sent = make([]sent, 0, len(msgs))
	for i, o := range msgs {
		if o.dead != nil {
			b.sent = append(b.sent, sent{row: o.row, dead: o.dead})
			continue
		}
		name := streams[i]
		if name == "" {
			s, err := r.publishAlone(ctx, o)
			if err != nil {
				b.alone = fmt.Errorf("publish outbox row at position %d: %w", b.rows[o.row].Position, err)
				return
			}
			b.sent = append(b.sent, s)
			continue
		}
		id := o.msg.Header.Get(HeaderEventID)
		a := open[name]
		if a == nil {
			a = &atomicBatch{id: nuid.Next(), stream: name, router: r.streams, committed: r.flow.atomicBatches}
			open[name] = a
		}
		a.size++
		left[name]--
		o.msg.Header.Set(jetstream.MsgIDHeader, id)
		o.msg.Header.Set(batchIDHeader, a.id)
		o.msg.Header.Set(batchSequenceHeader, strconv.Itoa(a.size))
		span := r.startPublishSpan(ctx, o.msg)
		var err error
		if left[name] == 0 {
			o.msg.Header.Set(batchCommitHeader, "1")
			a.commit, err = r.js.PublishMsgAsync(o.msg)
		} else {
			err = r.js.Conn().PublishMsg(o.msg) // staged: the commit's answer speaks for it
		}
		if err != nil {
			endSpan(span, err)
			b.alone = fmt.Errorf("publish outbox row at position %d in an atomic batch: %w", b.rows[o.row].Position, err)
			return
		}
		b.sent = append(b.sent, sent{row: o.row, atomic: a, subject: o.msg.Subject, span: span})
	}
}

// atomicBatch is one atomic batch on its way to a stream.
type atomicBatch struct {
	id     string
	stream string
	size   int
	commit jetstream.PubAckFuture
	router *streamRouter
	// committed counts the batches the broker took.
	committed prometheus.Counter
	waited    bool
	err       error
}

// wait waits for the commit's answer, once for all the batch's messages.
func (a *atomicBatch) wait(ctx context.Context, deadline <-chan time.Time, timeout time.Duration) error {
	if a.waited {
		return a.err
	}
	select {
	case ack := <-a.commit.Ok():
		a.committed.Inc()
		if ack.Stream != a.stream { // the subjects moved to another stream: learn them again
			a.router.forget()
		}
	case err := <-a.commit.Err():
		a.err = &atomicRefusal{stream: a.stream, err: err}
		a.router.refused(a.stream, err)
	case <-deadline:
		return fmt.Errorf("no jetstream ack within %s", timeout)
	case <-ctx.Done():
		return ctx.Err()
	}
	a.waited = true
	return a.err
}

// atomicRefusal is an atomic batch the broker refused as a whole: one of its messages was
// stored before (the duplicate window refuses the batch, where it drops a message on its
// own), or refused on its own, or the stream takes no atomic batch.
type atomicRefusal struct {
	stream string
	err    error
}

func (e *atomicRefusal) Error() string {
	return fmt.Sprintf("stream %s refused an atomic batch: %v", e.stream, e.err)
}

func (e *atomicRefusal) Unwrap() error { return e.err }

// streamRouter knows, for a subject, the stream that captures it and whether that stream
// takes atomic batches (its configuration says so: a broker too old to know of them
// reports no such setting, and would store a batch's messages one by one, unanswered).
// What it learnt is forgotten every routerMemory, so that a stream reconfigured since is
// seen as it is now.
type streamRouter struct {
	js        jetstream.JetStream
	mu        sync.Mutex
	bySubject map[string]string
	atomic    map[string]bool
	learnt    time.Time // when the oldest of it was learnt
}

const routerMemory = time.Minute

func newStreamRouter(js jetstream.JetStream) *streamRouter {
	return &streamRouter{js: js, bySubject: map[string]string{}, atomic: map[string]bool{}}
}

// forget drops all that was learnt.
func (s *streamRouter) forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forgetLocked()
}

func (s *streamRouter) forgetLocked() {
	clear(s.bySubject)
	clear(s.atomic)
}

// atomicStream is the stream capturing subject, and whether it takes atomic batches; an
// error when the broker cannot say now (nothing is remembered of it).
func (s *streamRouter) atomicStream(ctx context.Context, subject string) (string, bool, error) {
	s.mu.Lock()
	if time.Since(s.learnt) > routerMemory {
		s.forgetLocked()
		s.learnt = time.Now()
	}
	name, known := s.bySubject[subject]
	takes, knownStream := s.atomic[name]
	s.mu.Unlock()
	if known && knownStream {
		return name, takes, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if !known {
		var err error
		if name, err = s.js.StreamNameBySubject(ctx, subject); err != nil {
			return "", false, fmt.Errorf("stream of %s: %w", subject, err)
		}
	}
	if !knownStream {
		stream, err := s.js.Stream(ctx, name)
		if err != nil {
			return "", false, fmt.Errorf("stream %s: %w", name, err)
		}
		takes = stream.CachedInfo().Config.AllowAtomicPublish
	}
	s.mu.Lock()
	s.bySubject[subject] = name
	if _, ok := s.atomic[name]; !ok {
		s.atomic[name] = takes
	}
	s.mu.Unlock()
	return name, takes, nil
}

// refused forgets what was learnt after a stream refused an atomic batch, so that a
// stream reconfigured since is asked again; a stream that takes none, or none this large,
// gets messages on their own until it is asked again.
func (s *streamRouter) refused(stream string, err error) {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) && (apiErr.ErrorCode == errCodeAtomicPublishDisabled || apiErr.ErrorCode == errCodeAtomicBatchTooLarge) {
		s.mu.Lock()
		s.atomic[stream] = false
		s.mu.Unlock()
		return
	}
	s.forget()
}
