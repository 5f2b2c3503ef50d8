package messaging

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	fastjson "github.com/goccy/go-json"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/trace"

	"casework.dev/pkg/telemetry"
)

// RelayConfig tunes the relay. Zero values take the defaults noted.
type RelayConfig struct {
	BatchSize       int           // rows per round; default 256
	PollInterval    time.Duration // safety-net poll when no wake-up arrives; default 500ms
	RetainRelayed   time.Duration // keep relayed rows this long for replay after a broker loss; default 72h
	CleanupInterval time.Duration // default 10m
	PublishTimeout  time.Duration // wait for JetStream acks of one batch; default 10s
	// AtomicBatchMin is the fewest messages of one round bound for one stream that go as
	// JetStream atomic batches (at most maxAtomicBatch messages each) rather than one by
	// one; default 32, negative for never. With sync_interval always a message on its own
	// is one fsync and an atomic batch one for all of it, but staging a batch costs the
	// broker about 2.5 ms of CPU, so below a few dozen messages one by one is cheaper.
	AtomicBatchMin int
	Logger         *slog.Logger
	// Registerer receives the relay's metrics; default prometheus.DefaultRegisterer. A
	// second relay in one process shares the collectors already registered.
	Registerer prometheus.Registerer
}

func (c *RelayConfig) defaults() {
	if c.BatchSize <= 0 {
		c.BatchSize = 256
	}
	if c.PollInterval <= 0 {
		c.PollInterval = 500 * time.Millisecond
	}
	if c.RetainRelayed <= 0 {
		c.RetainRelayed = 72 * time.Hour
	}
	if c.CleanupInterval <= 0 {
		c.CleanupInterval = 10 * time.Minute
	}
	if c.PublishTimeout <= 0 {
		c.PublishTimeout = 10 * time.Second
	}
	if c.AtomicBatchMin == 0 {
		c.AtomicBatchMin = 32
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Registerer == nil {
		c.Registerer = prometheus.DefaultRegisterer
	}
}

// Relay moves committed outbox rows to JetStream, in commit order, exactly once.
//
// Rounds run under a PostgreSQL advisory lock, taken on the relay's own connection for a
// burst of rounds (advisory locks belong to one database, so relays of other databases on
// the server never wait for it). Each round:
//  1. sequences: gives every visible outbox row without a position the next positions, in
//     insert order. A row is visible only once its transaction has committed, so a row of
//     a transaction still running is not skipped but sequenced when it commits, and no
//     transaction anywhere else on the server (another database's, or a report's on
//     another table) holds anything back;
//  2. publishes the rows after the cursor, by position (each row's message, then its
//     companions), asynchronously, with each message's event id as Nats-Msg-Id, and waits
//     for the acknowledgements with no transaction open. A stream's share of a large round
//     goes as atomic batches (one fsync each); a batch the broker refuses as a whole (one of
//     its messages was stored before, as after a crash) goes again one message at a time,
//     before the next round is sent, so order holds;
//  3. moves the cursor over the unbroken run of rows that were acknowledged or
//     dead-lettered (a row that can never be published: malformed, or on a subject no
//     stream captures), recording each dead letter with its reason in the same statement
//     (the next round's read, or one of its own when none follows).
//
// A crash between acknowledgement and cursor update republishes the batch, and the
// streams' duplicate window drops it. Positions and the cursor are ordinary data of the
// service's database, so a restore from a backup, logical or physical, restores them
// consistently; the relay still notices a logical restore (see Check) and says so.
type Relay struct {
	db      *sqlx.DB
	js      jetstream.JetStream
	cfg     RelayConfig
	wake    chan struct{}
	streams *streamRouter
	metrics relayMetrics
	flow    flowMetrics
	// notified is when the oldest wake-up not yet answered by a round arrived (unix ns, 0
	// when none waits): the wait between a commit and the round that reads its rows.
	notified atomic.Int64

	mu         sync.Mutex
	recovering string // why the relay is recovering, empty when it is not
}

// NewRelay builds a relay; call Run to start it.
func NewRelay(db *sqlx.DB, js jetstream.JetStream, cfg RelayConfig) *Relay {
	cfg.defaults()
	if opts := js.Conn().Opts; opts.AllowReconnect && opts.ReconnectBufSize >= 0 {
		cfg.Logger.Warn("outbox relay: its broker connection buffers while reconnecting, so after a broker outage a stream " +
			"may store rows out of order; connect with messaging.ConnectOptions")
	}
	telemetry.Register(cfg.Registerer, newOutboxCollector()).db.Store(db)
	return &Relay{db: db, js: js, cfg: cfg, wake: make(chan struct{}, 1), streams: newStreamRouter(js),
		metrics: newRelayMetrics(cfg.Registerer), flow: newFlowMetrics(cfg.Registerer)}
}

// Notify wakes the relay right after a commit; it never blocks.
func (r *Relay) Notify() {
	r.notified.CompareAndSwap(0, time.Now().UnixNano())
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Check reports, for readiness, what keeps the relay from being caught up that an
// operator must know: after it found the database's transaction ids restarted below its
// own (the database was restored from a logical dump into another cluster), it answers
// why until it has relayed the backlog it found. Nil otherwise; a broker outage is not
// reported here, as writes still commit and the outbox keeps them.
func (r *Relay) Check() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.recovering != "" {
		return errors.New(r.recovering)
	}
	return nil
}

// Run relays until ctx ends. Failures are logged and retried on the next wake-up or poll.
func (r *Relay) Run(ctx context.Context) error {
	poll := time.NewTicker(r.cfg.PollInterval)
	defer poll.Stop()
	cleanup := time.NewTicker(r.cfg.CleanupInterval)
	defer cleanup.Stop()
	var s *session // kept between bursts, with its prepared statements
	defer func() { s.close() }()
	for {
		// While the broker is away a round could only fail, at once: the relay waits for
		// the connection to come back, checking at each wake-up and poll.
		if r.js.Conn().IsConnected() {
			s = r.burst(ctx, s)
		} else {
			r.metrics.brokerAway.Inc()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-r.wake:
		case <-poll.C:
		case <-cleanup.C:
			if err := r.Cleanup(ctx); err != nil && ctx.Err() == nil {
				r.cfg.Logger.Error("outbox cleanup", "err", err)
			}
		}
	}
}

// burst runs rounds under one take of the lock while work keeps coming (a full batch, or
// commits notified during the round) and, once caught up, holds it for the commits that
// come before the release time (awaitWake). Taking and releasing the lock are two round
// trips to PostgreSQL, which under load cost as much as a round's own work; the lock is
// still let go at least every poll interval, so Replay, Redrive and other replicas' relays
// wait no longer than that. Rounds overlap by one, and each is one statement: it writes
// the cursor's move over the batches settled since the last one and reads the next batch
// while the acknowledgements of the one before it are awaited (with sync_interval always
// each message is an fsync); the next batch is sent once the one before is settled, so a
// batch sent again after a refusal stays ahead of it. The cursor only ever moves over
// settled rows. It returns the session to keep for the next burst, or nil when the
// session's connection failed.
func (r *Relay) burst(ctx context.Context, s *session) *session {
	fail := func(err error) *session {
		r.logFailure(ctx, err)
		s.close()
		return nil
	}
	if s == nil {
		var err error
		if s, err = r.open(ctx); err != nil {
			return fail(err)
		}
	}
	if locked, err := r.lock(ctx, s); err != nil {
		return fail(err)
	} else if !locked {
		return s
	}
	release := time.Now().Add(r.cfg.PollInterval)
	var inflight *batch  // sent, acknowledgements awaited in the background
	var moves []*settled // settled, the cursor's move not yet written
	// sentThrough is the last position this burst sent. The read sees the cursor as it was
	// before the moves it writes, so it must be told where sending got to.
	var sentThrough int64
	for {
		next, err := r.read(ctx, s, sentThrough, moves...)
		if err != nil {
			r.logFailure(ctx, err)
			break
		}
		r.record(moves...)
		moves = nil
		if inflight != nil {
			st := <-inflight.done
			inflight = nil
			moves = append(moves, &st)
			if st.failure != nil {
				r.logFailure(ctx, st.failure) // next is not sent: its rows go again from the cursor
				break
			}
		}
		r.send(ctx, next)
		sentThrough = max(sentThrough, next.lastPosition())
		inflight = next
		if !time.Now().Before(release) {
			break
		}
		if !next.full() && !r.woken() {
			var woken bool
			inflight, moves, woken = r.awaitWake(ctx, s, release, inflight, moves)
			if !woken {
				break
			}
		}
	}
	if inflight != nil {
		st := <-inflight.done
		if st.failure != nil {
			r.logFailure(ctx, st.failure)
		}
		moves = append(moves, &st)
	}
	if err := r.advance(ctx, s, moves...); err != nil {
		r.logFailure(ctx, err)
	} else {
		r.record(moves...)
	}
	if !r.unlock(ctx, s) {
		s.close()
		return nil
	}
	return s
}

// logFailure logs what stopped a burst, unless the relay is shutting down (ctx ended),
// when a failure is expected and says nothing.
func (r *Relay) logFailure(ctx context.Context, err error) {
	if ctx.Err() == nil {
		r.cfg.Logger.Error("outbox relay", "err", err)
	}
}

// awaitWake holds the lock while the relay is caught up, until a commit's wake-up (true),
// the release time, a failure or the end of ctx (false), so the next commit's round starts
// with its read instead of taking the lock again. Meanwhile the batch in flight settles
// and, the relay being idle, the cursor moves over it on its own; a wake-up that comes
// first leaves both to the next round. It returns what is still in flight and the moves
// not yet written.
func (r *Relay) awaitWake(ctx context.Context, s *session, until time.Time, inflight *batch, moves []*settled) (*batch, []*settled, bool) {
	t := time.NewTimer(time.Until(until))
	defer t.Stop()
	for {
		var done <-chan settled
		if inflight != nil {
			done = inflight.done
		}
		select {
		case <-r.wake:
			return inflight, moves, true
		case st := <-done:
			inflight = nil
			moves = append(moves, &st)
			if st.failure != nil {
				r.logFailure(ctx, st.failure)
				return nil, moves, false
			}
			if err := r.advance(ctx, s, moves...); err != nil {
				r.logFailure(ctx, err)
				return nil, moves, false
			}
			r.record(moves...)
			moves = nil
		case <-t.C:
			return inflight, moves, false
		case <-ctx.Done():
			return inflight, moves, false
		}
	}
}

// woken takes a pending wake-up, if any.
func (r *Relay) woken() bool {
	select {
	case <-r.wake:
		return true
	default:
		return false
	}
}

// relayLockKey is the advisory lock of the relay's cursor: "casework" in ASCII.
const relayLockKey int64 = 0x6361_7365_776f_726b

const rebaseWatermarkSQL = `UPDATE outbox_relay_cursor SET transaction_id = pg_current_xact_id(), updated_at = now()
		WHERE name = 'relay'`

// moveCursorCTEs writes a settled batch's move: the cursor to $p (none when 0) and its dead
// letters from the arrays $p+1..$p+4. The watermark is the transaction id of the relay's
// latest write: a later one of the same cluster is always higher, so a lower one means a
// restore into another cluster.
func moveCursorCTEs(p int) string {
	return fmt.Sprintf(`moved AS (
			UPDATE outbox_relay_cursor SET position = $%[1]d, transaction_id = pg_current_xact_id(), updated_at = now()
			WHERE name = 'relay' AND $%[1]d::bigint > 0 RETURNING position),
		dead AS (
			INSERT INTO outbox_dead_letters (position, event_id, subject, reason)
			SELECT * FROM unnest($%[2]d::bigint[], $%[3]d::text[], $%[4]d::text[], $%[5]d::text[])
			ON CONFLICT (position) DO NOTHING)`, p, p+1, p+2, p+3, p+4)
}

var (
	advanceCursorSQL = `WITH ` + moveCursorCTEs(1) + ` SELECT count(*) FROM moved`
	// readSQL is one round's database work, in one round trip: it writes the move of the
	// batch settled before it ($3..$7), and reads the cursor (as it was before that move:
	// the rows after $2 are asked for anyway); sequences every visible outbox row without a
	// position (the next positions, in insert order; they continue after the cursor and
	// after every position given, so none is given twice or behind the cursor, whatever
	// was restored or deleted); and returns the rows after the cursor, by position (and
	// after $2, the last row of a batch sent but not yet settled): those sequenced earlier
	// (the statement's snapshot holds them) and those it sequenced itself (from RETURNING,
	// since the snapshot does not). It always returns the cursor, with no row when nothing
	// is pending. The scan's lower bound is a scalar expression so that it is an index
	// condition, not a filter over every retained row.
	readSQL = `WITH ` + moveCursorCTEs(3) + `,
		cursor AS (
			SELECT position, transaction_id::text AS watermark,
				pg_snapshot_xmax(pg_current_snapshot())::text AS next_xid,
				transaction_id >= pg_snapshot_xmax(pg_current_snapshot()) AS ahead
			FROM outbox_relay_cursor WHERE name = 'relay'),
		next AS (
			SELECT transaction_id, "offset", row_number() OVER (ORDER BY "offset") AS n
			FROM (SELECT transaction_id, "offset" FROM watermill_outbox WHERE position IS NULL
				ORDER BY "offset" LIMIT $1) unsequenced),
		base AS (
			SELECT greatest(c.position, coalesce((SELECT max(position) FROM watermill_outbox), 0)) AS last
			FROM cursor c),
		sequenced AS (
			UPDATE watermill_outbox o SET position = base.last + next.n
			FROM next, base WHERE o.transaction_id = next.transaction_id AND o."offset" = next."offset"
			RETURNING o.position, o.uuid, o.payload, o.metadata),
		pending AS (
			(SELECT position, uuid, payload, metadata FROM watermill_outbox
				WHERE position > greatest((SELECT position FROM cursor), $2) ORDER BY position LIMIT $1)
			UNION ALL SELECT * FROM sequenced
			ORDER BY position LIMIT $1)
		SELECT c.position AS cursor_position, c.watermark, c.next_xid, c.ahead,
			p.position, p.uuid, p.payload, p.metadata
		FROM cursor c LEFT JOIN pending p ON true ORDER BY p.position`
)

type relayCursor struct {
	Position  int64  `db:"cursor_position"`
	Watermark string `db:"watermark"`
	NextXID   string `db:"next_xid"`
	Ahead     bool   `db:"ahead"`
}

// readRow is one row of readSQL: the cursor, and an outbox row or none.
type readRow struct {
	relayCursor
	Position *int64  `db:"position"`
	UUID     *string `db:"uuid"`
	Payload  []byte  `db:"payload"`
	Metadata []byte  `db:"metadata"`
}

type outboxRow struct {
	Position int64  `db:"position"`
	UUID     string `db:"uuid"`
	Payload  []byte `db:"payload"`
	Metadata []byte `db:"metadata"`
}

// round is what one relay round did.
type round struct {
	relayed int
	dead    []deadLetter
}

func (r round) settled() int { return r.relayed + len(r.dead) }

// RelayBatch runs one round and returns how many messages it published. Zero means
// nothing was pending, or another relay holds the cursor. Dead-lettered rows are not
// counted: they are in outbox_dead_letters and the casework_outbox_dead_letters_total metric.
func (r *Relay) RelayBatch(ctx context.Context) (int, error) {
	s, err := r.open(ctx)
	if err != nil {
		return 0, err
	}
	defer s.close()
	if locked, err := r.lock(ctx, s); err != nil {
		s.close()
		return 0, err
	} else if !locked {
		return 0, nil
	}
	defer func() {
		if !r.unlock(ctx, s) {
			s.close()
		}
	}()
	b, err := r.read(ctx, s, 0)
	if err != nil {
		return 0, err
	}
	r.send(ctx, b)
	st := <-b.done
	if err := r.advance(ctx, s, &st); err != nil {
		return 0, err
	}
	r.record(&st)
	return st.relayed, st.failure
}

// read writes moves, if any, then reads the rows after the cursor and after position after
// (the last sent by this burst), sequencing new ones.
func (r *Relay) read(ctx context.Context, s *session, after int64, moves ...*settled) (*batch, error) {
	b := &batch{size: r.cfg.BatchSize, started: time.Now()}
	if at := r.notified.Swap(0); at != 0 {
		r.metrics.wakeWait.Observe(b.started.Sub(time.Unix(0, at)).Seconds())
	}
	var read []readRow
	if err := s.read.SelectContext(ctx, &read, append([]any{r.cfg.BatchSize, after}, moveArgs(moves...)...)...); err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	if len(read) == 0 {
		return nil, errors.New("no relay cursor row: the platform migrations have not been applied")
	}
	cursor := read[0].relayCursor
	if cursor.Ahead {
		if err := r.restoreDetected(ctx, s.conn, cursor); err != nil {
			return nil, err
		}
	}
	b.rows = make([]outboxRow, 0, len(read))
	for _, row := range read {
		if row.Position != nil {
			b.rows = append(b.rows, outboxRow{Position: *row.Position, UUID: *row.UUID, Payload: row.Payload, Metadata: row.Metadata})
		}
	}
	r.metrics.step("read", b.started)
	return b, nil
}

// settled is a batch whose acknowledgements are in: the cursor moves over its unbroken
// run of settled rows, to last, once that is written (by the next read, or on its own).
type settled struct {
	round
	last    int64
	failure error
	took    time.Duration // from the round's read to its acknowledgements
	full    bool          // the round did not reach the end of what was pending
}

// moveArgs are readSQL's and advanceCursorSQL's arguments for the moves: the cursor to the
// last position any of them settled, and all their dead letters.
func moveArgs(moves ...*settled) []any {
	var position int64
	var positions []int64
	var ids, subjects, reasons []string
	for _, m := range moves {
		if m == nil || m.settled() == 0 {
			continue
		}
		position = m.last
		for _, d := range m.dead {
			positions, ids = append(positions, d.position), append(ids, d.eventID)
			subjects, reasons = append(subjects, d.subject), append(reasons, d.reason)
		}
	}
	return []any{position, pq.Array(positions), pq.Array(ids), pq.Array(subjects), pq.Array(reasons)}
}

// record counts what batches settled, once their moves are written.
func (r *Relay) record(moves ...*settled) {
	for _, m := range moves {
		r.metrics.round.Observe(m.took.Seconds())
		r.metrics.relayed.Add(float64(m.relayed))
		for _, d := range m.dead {
			r.metrics.deadLetters.WithLabelValues(d.kind).Inc()
			r.cfg.Logger.Error("outbox row dead-lettered: it can never be published",
				"event_id", d.eventID, "position", d.position, "kind", d.kind)
		}
		if m.failure == nil && !m.full {
			r.caughtUp()
		}
	}
}

// session is the relay's connection, with its hot statements prepared on it: planning
// the read costs about as much as running it, and lib/pq runs a statement with
// parameters that is not prepared as two round trips (parse, then bind and execute),
// which for taking and releasing the lock doubled the round trips around every burst.
//
// Its transactions commit without waiting for their WAL flush (synchronous_commit off):
// they write only the relay's own bookkeeping (positions, the cursor, dead letters), and
// a read that sequences new rows would otherwise wait for an fsync before returning the
// rows a commit is waiting to have published. A database crash loses at most the last
// few of them, a suffix in WAL order: the rows they covered are sequenced and published
// again, and the streams' duplicate window and the consumers' processed ids drop them, as
// after a relay crash between acknowledgement and cursor update. The outbox rows
// themselves are the services' commits, flushed as ever. The connection never goes back
// to the pool, so the setting never reaches a service's transaction.
type session struct {
	conn    *sqlx.Conn
	read    *sqlx.Stmt
	advance *sqlx.Stmt
	lock    *sqlx.Stmt
	unlock  *sqlx.Stmt
}

func (r *Relay) open(ctx context.Context) (*session, error) {
	conn, err := r.db.Connx(ctx)
	if err != nil {
		return nil, fmt.Errorf("relay connection: %w", err)
	}
	s := &session{conn: conn}
	if _, err := conn.ExecContext(ctx, `SET synchronous_commit = off`); err != nil {
		s.close()
		return nil, fmt.Errorf("relay session: %w", err)
	}
	for _, p := range []struct {
		stmt  **sqlx.Stmt
		query string
	}{{&s.read, readSQL}, {&s.advance, advanceCursorSQL}, {&s.lock, `SELECT pg_try_advisory_lock($1)`}, {&s.unlock, `SELECT pg_advisory_unlock($1)`}} {
		if *p.stmt, err = conn.PreparexContext(ctx, p.query); err != nil {
			s.close()
			return nil, fmt.Errorf("prepare relay statements: %w", err)
		}
	}
	return s, nil
}

// close ends the session: its connection is closed, not returned to the pool (it carries
// the session's settings), which also releases any lock it holds.
func (s *session) close() {
	if s == nil || s.conn == nil {
		return
	}
	for _, st := range []*sqlx.Stmt{s.read, s.advance, s.lock, s.unlock} {
		if st != nil {
			_ = st.Close()
		}
	}
	_ = s.conn.Raw(func(any) error { return driver.ErrBadConn }) // the pool drops it
	_ = s.conn.Close()
	s.conn = nil
}

// lock takes the relay's advisory lock in s; false when another relay holds it.
func (r *Relay) lock(ctx context.Context, s *session) (bool, error) {
	defer r.metrics.step("lock", time.Now())
	var locked bool
	if err := s.lock.GetContext(ctx, &locked, relayLockKey); err != nil {
		return false, fmt.Errorf("take relay lock: %w", err)
	}
	return locked, nil
}

// unlock releases the lock; false when the release cannot be confirmed, and the session
// must then be discarded, which releases the lock with its connection.
func (r *Relay) unlock(ctx context.Context, s *session) bool {
	defer r.metrics.step("unlock", time.Now())
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	var released bool
	err := s.unlock.GetContext(ctx, &released, relayLockKey)
	return err == nil && released
}

// restoreDetected handles a cursor whose watermark is ahead of every transaction id the
// database has given: the database was restored from a logical dump into another
// cluster (or the cursor was edited). Positions do not depend on transaction ids, so
// nothing is skipped; the relay says so loudly, rebases the watermark and reports itself
// recovering until it has relayed the backlog.
func (r *Relay) restoreDetected(ctx context.Context, conn *sqlx.Conn, cursor relayCursor) error {
	if _, err := conn.ExecContext(ctx, rebaseWatermarkSQL); err != nil {
		return fmt.Errorf("rebase relay watermark: %w", err)
	}
	r.metrics.xidRewinds.Inc()
	r.metrics.recovering.Set(1)
	reason := fmt.Sprintf("outbox relay recovering: the database's transaction ids (next %s) restarted below the relay's (%s), "+
		"so this database was restored from a logical dump into another cluster; relaying every row after position %d "+
		"(see docs/operations.md, after a restore)", cursor.NextXID, cursor.Watermark, cursor.Position)
	r.mu.Lock()
	r.recovering = reason
	r.mu.Unlock()
	r.cfg.Logger.Error("outbox relay: cursor ahead of the database's transaction ids", "reason", reason)
	return nil
}

func (r *Relay) caughtUp() {
	r.mu.Lock()
	was := r.recovering
	r.recovering = ""
	r.mu.Unlock()
	if was != "" {
		r.metrics.recovering.Set(0)
		r.cfg.Logger.Info("outbox relay caught up after the restore")
	}
}

// advance writes the moves on their own, when no read follows to carry them.
func (r *Relay) advance(ctx context.Context, s *session, moves ...*settled) error {
	args := moveArgs(moves...)
	if args[0].(int64) == 0 {
		return nil
	}
	defer r.metrics.step("advance", time.Now())
	if _, err := s.advance.ExecContext(ctx, args...); err != nil {
		return fmt.Errorf("advance relay cursor: %w", err)
	}
	return nil
}

// batch is one round's rows, sent to JetStream; its acknowledgements are awaited in the
// background, and done delivers what they settled.
type batch struct {
	size    int // the rows a round reads
	started time.Time
	sentAt  time.Time
	rows    []outboxRow
	sent    []sent
	stop    error // a row that could not be sent: nothing after it was
	// cut says the round was cut short of what it read: the rest is read again next round.
	cut bool
	// alone is why the batch must go again one message at a time: a message of an atomic
	// batch could not be sent. Nil when it went as it should.
	alone error
	done  chan settled
}

// sent is one message of a row on its way to JetStream (a row with companions has
// several, in order), or the dead letter of a row none of whose messages was sent.
type sent struct {
	row     int                    // the row's index in the batch
	future  jetstream.PubAckFuture // a message sent on its own
	atomic  *atomicBatch           // or in an atomic batch
	subject string                 // the atomic batch's message's subject
	dead    *deadLetter
	span    trace.Span
	// answered says the future's answer was taken (a future delivers it once).
	answered bool
}

// full says whether more may be pending after the batch: it held as many rows as a round
// reads, or was cut short.
func (b *batch) full() bool { return b.cut || len(b.rows) >= b.size }

// lastPosition is the position of the batch's last row, or 0 for none.
func (b *batch) lastPosition() int64 {
	if b == nil || len(b.rows) == 0 {
		return 0
	}
	return b.rows[len(b.rows)-1].Position
}

// send publishes the rows' messages in order, asynchronously, each in a producer span
// that continues the trace its row carries, and awaits their acknowledgements in the
// background (done).
func (r *Relay) send(ctx context.Context, b *batch) {
	b.sentAt = time.Now()
	b.done = make(chan settled, 1)
	msgs := b.outgoing()
	var streams []string
	atomic := false
	if r.cfg.AtomicBatchMin >= 0 {
		msgs, streams, atomic = r.atomicStreams(ctx, b, msgs)
	}
	if atomic {
		r.sendAtomic(ctx, b, msgs, streams)
	} else {
		r.sendEach(ctx, b, msgs)
	}
	go func() { b.done <- r.await(ctx, b) }()
}

// outgoing is one message of a batch's row, or its dead letter, before it is sent.
type outgoing struct {
	row  int
	msg  *nats.Msg
	dead *deadLetter
}

// outgoing builds the messages of the batch's rows, in order.
func (b *batch) outgoing() []outgoing {
	msgs := make([]outgoing, 0, 2*len(b.rows))
	for i, row := range b.rows {
		m, dead := outboxMessages(row)
		if dead != nil {
			msgs = append(msgs, outgoing{row: i, dead: dead})
		}
		for _, msg := range m {
			msgs = append(msgs, outgoing{row: i, msg: msg})
		}
	}
	return msgs
}

// sendEach publishes each message on its own.
func (r *Relay) sendEach(ctx context.Context, b *batch, msgs []outgoing) {
	b.sent = make([]sent, 0, len(msgs))
	nc := r.js.Conn()
	connection := nc.Stats().Reconnects
	for k := 0; k < len(msgs); k++ {
		o := msgs[k]
		if o.dead != nil {
			b.sent = append(b.sent, sent{row: o.row, dead: o.dead})
			continue
		}
		var s sent
		err := nats.ErrDisconnected
		// What went on a connection that has since dropped may be lost, and what follows
		// on the next would be stored ahead of it: the round stops there.
		if nc.Stats().Reconnects == connection {
			s, err = r.publishAlone(ctx, o)
		}
		if errors.Is(err, nats.ErrMaxPayload) {
			b.sent = append(b.sent, sent{row: o.row, dead: b.rows[o.row].deadLetter(o.msg.Subject, kindTooLarge,
				fmt.Sprintf("message of %d bytes exceeds the broker's maximum payload", len(o.msg.Data)))})
			for k+1 < len(msgs) && msgs[k+1].row == o.row {
				k++
			}
			continue
		}
		if err != nil {
			// The row is sent again whole from the cursor; the duplicate window drops
			// the messages of it that were stored.
			first := len(b.sent)
			for first > 0 && b.sent[first-1].row == o.row {
				first--
			}
			abandonSpans(b.sent[first:])
			b.sent = b.sent[:first]
			b.stop = fmt.Errorf("publish outbox row at position %d: %w", b.rows[o.row].Position, err)
			return
		}
		b.sent = append(b.sent, s)
	}
}

// publishAlone publishes one message on its own, asynchronously, in a producer span that
// continues the trace its row carries.
func (r *Relay) publishAlone(ctx context.Context, o outgoing) (sent, error) {
	span := r.startPublishSpan(ctx, o.msg)
	f, err := r.js.PublishMsgAsync(o.msg, jetstream.WithMsgID(o.msg.Header.Get(HeaderEventID)))
	if err != nil {
		endSpan(span, err)
		return sent{}, err
	}
	return sent{row: o.row, future: f, span: span}, nil
}

// abandon ends the spans of the batch's rows left unacknowledged: they are sent again
// from the cursor by a later round.
func (b *batch) abandon() { abandonSpans(b.sent) }

func abandonSpans(sents []sent) {
	for _, s := range sents {
		if s.span != nil && s.span.IsRecording() {
			endSpan(s.span, errors.New("not acknowledged in this round"))
		}
	}
}

// await waits for the batch's acknowledgements. It returns what was settled
// (acknowledged or dead-lettered) as an unbroken run from the first row, the position of
// the last of them, and the failure that stopped the run, if any: nothing after a row
// that may yet be published is passed over. Order holds unless a row is refused while
// later ones were stored: the refused row lands after them when retried. An atomic batch
// refused as a whole sends the batch's rows again one message at a time, first.
func (r *Relay) await(ctx context.Context, b *batch) settled {
	defer r.metrics.step("publish", time.Now())
	rd, last, acked, err := r.acknowledged(ctx, b)
	b.abandon()
	if refused := (*atomicRefusal)(nil); errors.As(err, &refused) || b.alone != nil {
		r.flow.atomicFallbacks.Inc()
		r.cfg.Logger.Info("outbox relay: atomic batch not taken, sending its round one message at a time",
			"err", errors.Join(b.alone, err))
		r.quiesce(ctx, b)
		again := &batch{size: b.size, started: b.started, sentAt: time.Now(), rows: b.rows}
		r.sendEach(ctx, again, again.outgoing())
		rd, last, acked, err = r.acknowledged(ctx, again)
		again.abandon()
	}
	for _, subject := range acked {
		r.flow.published(subject)
	}
	if err != nil {
		r.flow.publishFailures.Inc()
	} else if len(b.rows) > 0 {
		r.flow.publishDuration.Observe(time.Since(b.sentAt).Seconds())
	}
	return settled{round: rd, last: last, failure: err, took: time.Since(b.started), full: b.full()}
}

// quiesce waits, within the publish timeout, until every message of the batch's first pass
// is answered, whatever the answer: on a replicated stream a message id proposed but not
// yet applied makes a copy sent meanwhile a conflict, not a duplicate.
func (r *Relay) quiesce(ctx context.Context, b *batch) {
	deadline := time.NewTimer(r.cfg.PublishTimeout)
	defer deadline.Stop()
	for _, s := range b.sent {
		switch {
		case s.atomic != nil:
			if s.atomic.commit == nil {
				continue // its commit was never sent: the broker drops it
			}
			if err := s.atomic.wait(ctx, deadline.C, r.cfg.PublishTimeout); err != nil && !s.atomic.waited {
				return
			}
		case s.future != nil && !s.answered: // an answer is delivered once
			select {
			case <-s.future.Ok():
			case <-s.future.Err():
			case <-deadline.C:
				return
			case <-ctx.Done():
				return
			}
		}
	}
}

// acknowledged settles the batch's rows in order; acked are the subjects of the messages
// acknowledged.
func (r *Relay) acknowledged(ctx context.Context, b *batch) (rd round, last int64, acked []string, err error) {
	if b.alone != nil {
		return rd, 0, nil, nil
	}
	deadline := time.NewTimer(r.cfg.PublishTimeout)
	defer deadline.Stop()
	for i := 0; i < len(b.sent); {
		end := i + 1
		for end < len(b.sent) && b.sent[end].row == b.sent[i].row {
			end++
		}
		row := b.rows[b.sent[i].row]
		dead, err := r.settle(ctx, row, b.sent[i:end], deadline.C, &acked)
		if err != nil {
			return rd, last, acked, err
		}
		if dead != nil {
			rd.dead = append(rd.dead, *dead)
		} else {
			rd.relayed++
		}
		last = row.Position
		i = end
	}
	return rd, last, acked, b.stop
}

// settle waits for the acknowledgements of one row's messages: nil when all are in, the
// row's dead letter when one can never be published, or the failure that leaves the row
// to be sent again.
func (r *Relay) settle(ctx context.Context, row outboxRow, msgs []sent, deadline <-chan time.Time, acked *[]string) (*deadLetter, error) {
	for i := range msgs {
		s := &msgs[i]
		if s.dead != nil {
			return s.dead, nil
		}
		if s.atomic != nil {
			if err := s.atomic.wait(ctx, deadline, r.cfg.PublishTimeout); err != nil {
				endSpan(s.span, err)
				return nil, err
			}
			endSpan(s.span, nil)
			*acked = append(*acked, s.subject)
			continue
		}
		select {
		case <-s.future.Ok():
			s.answered = true
			endSpan(s.span, nil)
			*acked = append(*acked, s.future.Msg().Subject)
		case err := <-s.future.Err():
			s.answered = true
			endSpan(s.span, err)
			if dead := r.permanentRefusal(ctx, row, s.future.Msg().Subject, err); dead != nil {
				return dead, nil
			}
			return nil, fmt.Errorf("jetstream refused outbox row at position %d (%s): %w",
				row.Position, s.future.Msg().Subject, err)
		case <-deadline:
			return nil, fmt.Errorf("no jetstream ack within %s", r.cfg.PublishTimeout)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, nil
}

// permanentRefusal says whether JetStream's refusal of a row is one no retry can mend,
// and if so returns its dead letter: no stream captures the subject (asked of JetStream
// itself, as "no responders" alone may be a stream between leaders), or the stream
// refuses messages that large.
func (r *Relay) permanentRefusal(ctx context.Context, row outboxRow, subject string, err error) *deadLetter {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamMessageExceedsMaximum {
		return row.deadLetter(subject, kindTooLarge, "the stream refuses it: "+apiErr.Description)
	}
	if !errors.Is(err, jetstream.ErrNoStreamResponse) {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.PublishTimeout)
	defer cancel()
	if _, err := r.js.StreamNameBySubject(ctx, subject); errors.Is(err, jetstream.ErrStreamNotFound) {
		return row.deadLetter(subject, kindNoStream, fmt.Sprintf("no stream captures subject %q", subject))
	}
	return nil
}

// Dead-letter kinds, the metric's label values.
const (
	kindMalformed = "malformed"
	kindNoStream  = "no_stream"
	kindTooLarge  = "too_large"
)

// deadLetter is an outbox row that can never be published, with why. The reason goes to
// the database only: logs and metrics carry the event id, the position and the kind.
type deadLetter struct {
	position int64
	eventID  string
	subject  string
	kind     string
	reason   string
}

func (row outboxRow) deadLetter(subject, kind, reason string) *deadLetter {
	return &deadLetter{position: row.Position, eventID: row.UUID, subject: subject, kind: kind, reason: reason}
}

// outboxMessages builds the NATS messages of a row (its own, then its companions'), or
// the dead letter of a row no broker could accept as it is.
func outboxMessages(row outboxRow) ([]*nats.Msg, *deadLetter) {
	malformed := func(subject, format string, args ...any) ([]*nats.Msg, *deadLetter) {
		return nil, row.deadLetter(subject, kindMalformed, fmt.Sprintf(format, args...))
	}
	if row.UUID == "" {
		return malformed("", "no event id")
	}
	var fields map[string]json.RawMessage
	if len(row.Metadata) > 0 {
		if err := decodeJSON(row.Metadata, &fields); err != nil {
			return malformed("", "metadata is not a JSON object: %v", err)
		}
	}
	meta := make(map[string]string, len(fields))
	for k, v := range fields {
		if k == CompanionsKey {
			continue
		}
		var text string
		if err := decodeJSON(v, &text); err != nil {
			return malformed("", "metadata %q is not a string: %v", k, err)
		}
		meta[k] = text
	}
	subject := meta[subjectKey]
	if subject == "" {
		return malformed("", "no subject in metadata (%s)", subjectKey)
	}
	var companions []companion
	if raw, ok := fields[CompanionsKey]; ok {
		if len(raw) > 0 && raw[0] == '"' { // written through watermill's publisher: the array as a string
			var text string
			if err := decodeJSON(raw, &text); err != nil {
				return malformed(subject, "companions are not a JSON array of messages: %v", err)
			}
			raw = json.RawMessage(text)
		}
		if err := decodeJSON(raw, &companions); err != nil {
			return malformed(subject, "companions are not a JSON array of messages: %v", err)
		}
	}
	msgs := make([]*nats.Msg, 0, 1+len(companions))
	headers := make(map[string]string, len(meta))
	for k, v := range meta {
		if k != subjectKey && k != CompanionsKey {
			headers[k] = v
		}
	}
	msg, err := natsMessage(row.UUID, subject, row.Payload, headers)
	if err != nil {
		return malformed(subject, "%v", err)
	}
	msgs = append(msgs, msg)
	for _, c := range companions {
		// A companion carries the trace of the request that committed its row.
		h := make(map[string]string, len(c.Headers)+2)
		for _, k := range telemetry.Propagation.Fields() {
			if v, ok := meta[k]; ok {
				h[k] = v
			}
		}
		for k, v := range c.Headers {
			h[k] = v
		}
		if c.ID == "" {
			return malformed(c.Subject, "a companion has no event id")
		}
		msg, err := natsMessage(c.ID, c.Subject, c.Payload, h)
		if err != nil {
			return malformed(c.Subject, "companion %s: %v", c.ID, err)
		}
		msgs = append(msgs, msg)
	}
	return msgs, nil
}

// decodeJSON decodes with go-json, whose speed matters here: a bulk referral's rows carry a
// dozen payloads each, and encoding/json's decoding was a third of the debt service's CPU
// while it relayed them. What is wrong with a row is said in encoding/json's words, which
// the dead letters have always carried.
func decodeJSON(data []byte, v any) error {
	if fastjson.Unmarshal(data, v) == nil {
		return nil
	}
	return json.Unmarshal(data, v)
}

// natsMessage is one message of a row: subject and headers checked, its event id in
// HeaderEventID.
func natsMessage(id, subject string, payload []byte, headers map[string]string) (*nats.Msg, error) {
	if err := publishable(subject); err != nil {
		return nil, fmt.Errorf("subject %q: %w", subject, err)
	}
	msg := nats.NewMsg(subject)
	msg.Data = payload
	for k, v := range headers {
		if err := validHeader(k, v); err != nil {
			return nil, fmt.Errorf("header %q: %w", k, err)
		}
		msg.Header.Set(k, v)
	}
	msg.Header.Set(HeaderEventID, id)
	return msg, nil
}

// publishable refuses what a NATS publish subject cannot be: empty tokens, wildcards,
// white space or control characters, and the reserved $ and _INBOX spaces (a row must
// never reach the JetStream API).
func publishable(subject string) error {
	if strings.HasPrefix(subject, "$") || strings.HasPrefix(subject, "_INBOX.") {
		return errors.New("reserved subject space")
	}
	for _, token := range strings.Split(subject, ".") {
		switch {
		case token == "":
			return errors.New("empty token")
		case token == "*" || token == ">":
			return errors.New("wildcard")
		case strings.IndexFunc(token, func(c rune) bool { return c <= ' ' || c == 0x7f }) >= 0:
			return errors.New("white space or control character")
		}
	}
	return nil
}

// validHeader refuses a header the NATS wire format cannot carry as it is.
func validHeader(key, value string) error {
	if key == "" || strings.IndexFunc(key, func(c rune) bool { return c <= ' ' || c >= 0x7f || c == ':' }) >= 0 {
		return errors.New("not a header name")
	}
	if strings.ContainsAny(value, "\r\n") {
		return errors.New("line break in value")
	}
	return nil
}

// Cleanup deletes relayed rows older than the replay window.
func (r *Relay) Cleanup(ctx context.Context) error {
	_, err := r.db.ExecContext(ctx, `DELETE FROM watermill_outbox o USING outbox_relay_cursor c
		WHERE c.name = 'relay' AND o.position <= c.position AND o.created_at < now() - $1::interval`,
		fmt.Sprintf("%d seconds", int(r.cfg.RetainRelayed.Seconds())))
	if err != nil {
		return fmt.Errorf("delete relayed outbox rows: %w", err)
	}
	return nil
}

// Pending counts committed rows not yet relayed or dead-lettered (for health and metrics).
func Pending(ctx context.Context, db sqlx.QueryerContext) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, db, &n, `SELECT count(*) FROM watermill_outbox o, outbox_relay_cursor c
		WHERE c.name = 'relay' AND (o.position IS NULL OR o.position > c.position)`)
	return n, err
}

// Replay moves the cursor back to the start of the retained rows, so they are published
// again: after the broker lost messages, or in tests of a crash before the cursor moved.
// The streams' duplicate window drops what they still hold. It waits for a relay round
// in progress (the relay's lock, for this statement's transaction).
func Replay(ctx context.Context, db sqlx.ExecerContext) error {
	_, err := db.ExecContext(ctx, `UPDATE outbox_relay_cursor SET position = 0, updated_at = now()
		FROM (SELECT pg_advisory_xact_lock($1)) AS relay_lock WHERE name = 'relay'`, relayLockKey)
	if err != nil {
		return fmt.Errorf("rewind relay cursor: %w", err)
	}
	return nil
}

// ErrNoDeadLetter: no dead letter with that event id whose row the outbox still holds.
var ErrNoDeadLetter = errors.New("no dead letter with that event id is still in the outbox")

// Redrive sends a dead-lettered row again once its cause is mended (the stream created,
// the row corrected): it gets the next position, after everything relayed since.
func Redrive(ctx context.Context, db sqlx.QueryerContext, eventID string) error {
	var n int
	err := sqlx.GetContext(ctx, db, &n, `WITH relay_lock AS (SELECT pg_advisory_xact_lock($2)),
		again AS (
			UPDATE watermill_outbox o SET position = NULL FROM outbox_dead_letters d, relay_lock
			WHERE d.event_id = $1 AND o.position = d.position RETURNING d.position AS was),
		gone AS (DELETE FROM outbox_dead_letters d USING again WHERE d.position = again.was)
		SELECT count(*) FROM again`, eventID, relayLockKey)
	if err != nil {
		return fmt.Errorf("redrive %s: %w", eventID, err)
	}
	if n == 0 {
		return fmt.Errorf("redrive %s: %w", eventID, ErrNoDeadLetter)
	}
	return nil
}

type relayMetrics struct {
	relayed     prometheus.Counter
	deadLetters *prometheus.CounterVec
	xidRewinds  prometheus.Counter
	recovering  prometheus.Gauge
	round       prometheus.Histogram
	steps       *prometheus.HistogramVec
	wakeWait    prometheus.Histogram
	brokerAway  prometheus.Counter
}

// relayBuckets run from a quarter of a millisecond to about two seconds: a round is a few
// round trips to PostgreSQL and one wait for JetStream's acknowledgements.
var relayBuckets = prometheus.ExponentialBuckets(0.00025, 2, 14)

// step records the time a step of a round took since start.
func (m relayMetrics) step(name string, start time.Time) {
	m.steps.WithLabelValues(name).Observe(time.Since(start).Seconds())
}

func newRelayMetrics(reg prometheus.Registerer) relayMetrics {
	return relayMetrics{
		relayed: telemetry.Register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "casework_outbox_relayed_total", Help: "Outbox rows published to JetStream and acknowledged."})),
		deadLetters: telemetry.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casework_outbox_dead_letters_total",
			Help: "Outbox rows that can never be published, set aside in outbox_dead_letters with their reason, by kind (malformed, no_stream, too_large)."},
			[]string{"kind"})),
		xidRewinds: telemetry.Register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "casework_outbox_relay_xid_rewinds_total",
			Help: "Times the relay found the database's transaction ids behind its cursor: a restore from a logical dump into another cluster."})),
		recovering: telemetry.Register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "casework_outbox_relay_recovering",
			Help: "1 while the relay relays the backlog it found after a restore, else 0."})),
		round: telemetry.Register(reg, prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "casework_outbox_relay_round_seconds", Help: "Duration of relay rounds (read, publish, advance), under the relay's lock.",
			Buckets: relayBuckets})),
		steps: telemetry.Register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "casework_outbox_relay_step_seconds",
			Help:    "Duration of each step of a relay round: lock, read (cursor, sequencing, rows), publish (until every acknowledgement), advance, unlock.",
			Buckets: relayBuckets}, []string{"step"})),
		wakeWait: telemetry.Register(reg, prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "casework_outbox_relay_wake_wait_seconds",
			Help:    "Time from the oldest unanswered commit notification to the start of the round that answers it.",
			Buckets: relayBuckets})),
		brokerAway: telemetry.Register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "casework_outbox_relay_broker_away_total",
			Help: "Commit wake-ups and polls at which the relay sent nothing because its broker connection was down; it carries on from its cursor once the connection is back."})),
	}
}
