package messaging

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// RelayConfig tunes the relay. Zero values take the defaults noted.
type RelayConfig struct {
	BatchSize       int           // rows per transaction; default 256
	PollInterval    time.Duration // safety-net poll when no wake-up arrives; default 500ms
	RetainRelayed   time.Duration // keep relayed rows this long for replay after a broker loss; default 72h
	CleanupInterval time.Duration // default 10m
	PublishTimeout  time.Duration // wait for JetStream acks of one batch; default 10s
	Logger          *slog.Logger
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
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Relay moves committed outbox rows to JetStream. Rows are claimed with FOR UPDATE SKIP
// LOCKED, so several relays may run against one database; each batch is published
// asynchronously and marked relayed only once JetStream has acknowledged it. The event id
// is the Nats-Msg-Id, so a row published twice (a crash between ack and mark) is dropped
// by the stream's duplicate window.
type Relay struct {
	db   *sqlx.DB
	js   jetstream.JetStream
	cfg  RelayConfig
	wake chan struct{}
}

// NewRelay builds a relay; call Run to start it.
func NewRelay(db *sqlx.DB, js jetstream.JetStream, cfg RelayConfig) *Relay {
	cfg.defaults()
	return &Relay{db: db, js: js, cfg: cfg, wake: make(chan struct{}, 1)}
}

// Notify wakes the relay right after a commit; it never blocks.
func (r *Relay) Notify() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run relays until ctx ends. Failures are logged and retried on the next wake-up or poll.
func (r *Relay) Run(ctx context.Context) error {
	poll := time.NewTicker(r.cfg.PollInterval)
	defer poll.Stop()
	cleanup := time.NewTicker(r.cfg.CleanupInterval)
	defer cleanup.Stop()
	for {
		for {
			n, err := r.RelayBatch(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				r.cfg.Logger.Error("outbox relay", "err", err)
				break
			}
			if n < r.cfg.BatchSize {
				break
			}
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

type outboxRow struct {
	Offset   int64  `db:"offset"`
	UUID     string `db:"uuid"`
	Payload  []byte `db:"payload"`
	Metadata []byte `db:"metadata"`
}

// RelayBatch publishes one batch of pending rows and returns how many it relayed.
func (r *Relay) RelayBatch(ctx context.Context) (int, error) {
	tx, err := r.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin relay batch: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after commit this is a no-op

	var rows []outboxRow
	err = tx.SelectContext(ctx, &rows, `SELECT "offset", uuid, payload, metadata FROM watermill_outbox
		WHERE relayed_at IS NULL ORDER BY "offset" LIMIT $1 FOR UPDATE SKIP LOCKED`, r.cfg.BatchSize)
	if err != nil {
		return 0, fmt.Errorf("claim outbox rows: %w", err)
	}
	if len(rows) == 0 {
		return 0, nil
	}

	futures := make([]jetstream.PubAckFuture, len(rows))
	for i, row := range rows {
		msg, err := natsMessage(row)
		if err != nil {
			return 0, err
		}
		futures[i], err = r.js.PublishMsgAsync(msg, jetstream.WithMsgID(row.UUID))
		if err != nil {
			return 0, fmt.Errorf("publish outbox row %d: %w", row.Offset, err)
		}
	}

	// Acks arrive in publish order; after the deadline, take only those already in.
	deadline := time.NewTimer(r.cfg.PublishTimeout)
	defer deadline.Stop()
	acked := make([]int64, 0, len(rows))
	var firstErr error
	timedOut := false
	for i, f := range futures {
		if timedOut {
			select {
			case <-f.Ok():
				acked = append(acked, rows[i].Offset)
			default:
			}
			continue
		}
		select {
		case <-f.Ok():
			acked = append(acked, rows[i].Offset)
		case err := <-f.Err():
			if firstErr == nil {
				firstErr = fmt.Errorf("jetstream refused outbox row %d (%s): %w", rows[i].Offset, f.Msg().Subject, err)
			}
		case <-deadline.C:
			timedOut = true
			if firstErr == nil {
				firstErr = fmt.Errorf("no jetstream ack within %s", r.cfg.PublishTimeout)
			}
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}

	if len(acked) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE watermill_outbox SET relayed_at = now() WHERE "offset" = ANY($1)`, pq.Array(acked)); err != nil {
			return 0, fmt.Errorf("mark outbox rows relayed: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return 0, fmt.Errorf("commit relay batch: %w", err)
		}
	}
	return len(acked), firstErr
}

func natsMessage(row outboxRow) (*nats.Msg, error) {
	var meta map[string]string
	if len(row.Metadata) > 0 {
		if err := json.Unmarshal(row.Metadata, &meta); err != nil {
			return nil, fmt.Errorf("outbox row %d metadata: %w", row.Offset, err)
		}
	}
	subject := meta[subjectKey]
	if subject == "" {
		return nil, fmt.Errorf("outbox row %d has no subject", row.Offset)
	}
	msg := nats.NewMsg(subject)
	msg.Data = row.Payload
	for k, v := range meta {
		if k != subjectKey {
			msg.Header.Set(k, v)
		}
	}
	msg.Header.Set(HeaderEventID, row.UUID)
	return msg, nil
}

// Cleanup deletes relayed rows older than the replay window.
func (r *Relay) Cleanup(ctx context.Context) error {
	_, err := r.db.ExecContext(ctx, `DELETE FROM watermill_outbox WHERE relayed_at < now() - $1::interval`,
		fmt.Sprintf("%d seconds", int(r.cfg.RetainRelayed.Seconds())))
	if err != nil {
		return fmt.Errorf("delete relayed outbox rows: %w", err)
	}
	return nil
}

// Pending counts rows not yet relayed (for health and metrics).
func Pending(ctx context.Context, db sqlx.QueryerContext) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, db, &n, `SELECT count(*) FROM watermill_outbox WHERE relayed_at IS NULL`)
	return n, err
}
