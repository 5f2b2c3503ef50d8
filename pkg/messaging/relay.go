package messaging

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"
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

// Relay moves committed outbox rows to JetStream, in commit order. It reads rows in
// (transaction_id, offset) order from transactions older than every transaction still
// running (watermill-sql's xid8 column), so a row committed late can never fall behind
// its cursor; publishes each batch asynchronously; and advances one cursor row once
// JetStream has acknowledged the batch. The cursor row is taken with FOR UPDATE SKIP
// LOCKED, so several relays may run against one database and one works at a time. The
// event id is the Nats-Msg-Id, so a batch published twice (a crash between ack and cursor
// update) is dropped by the stream's duplicate window.
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
	TransactionID string `db:"tx"` // xid8 as text; never sort by it as text
	Offset        int64  `db:"offset"`
	UUID          string `db:"uuid"`
	Payload       []byte `db:"payload"`
	Metadata      []byte `db:"metadata"`
}

const (
	claimCursorSQL = `SELECT transaction_id::text AS tx, "offset" FROM outbox_relay_cursor
		WHERE name = 'relay' FOR UPDATE SKIP LOCKED`
	nextRowsSQL = `SELECT transaction_id::text AS tx, "offset", uuid, payload, metadata FROM watermill_outbox
		WHERE (transaction_id, "offset") > ($1::xid8, $2)
		  AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
		ORDER BY transaction_id, "offset" LIMIT $3`
	advanceCursorSQL = `UPDATE outbox_relay_cursor SET transaction_id = $1::xid8, "offset" = $2, updated_at = now()
		WHERE name = 'relay'`
)

// RelayBatch publishes the next batch and returns how many messages it relayed. Zero
// means nothing was pending, or another relay holds the cursor.
func (r *Relay) RelayBatch(ctx context.Context) (int, error) {
	tx, err := r.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin relay batch: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after commit this is a no-op

	var cursor outboxRow
	if err := tx.GetContext(ctx, &cursor, claimCursorSQL); errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("claim relay cursor: %w", err)
	}
	var rows []outboxRow
	if err := tx.SelectContext(ctx, &rows, nextRowsSQL, cursor.TransactionID, cursor.Offset, r.cfg.BatchSize); err != nil {
		return 0, fmt.Errorf("read outbox: %w", err)
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
	// The cursor advances only over an unbroken run of acknowledged rows, so nothing after
	// a refusal is skipped. Order holds unless a row is refused while later ones of its
	// batch were stored: the refused row then lands after them when retried.
	deadline := time.NewTimer(r.cfg.PublishTimeout)
	defer deadline.Stop()
	acked := 0
	var failure error
	for i, f := range futures {
		select {
		case <-f.Ok():
			acked = i + 1
			continue
		case err := <-f.Err():
			failure = fmt.Errorf("jetstream refused outbox row %d (%s): %w", rows[i].Offset, f.Msg().Subject, err)
		case <-deadline.C:
			failure = fmt.Errorf("no jetstream ack within %s", r.cfg.PublishTimeout)
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		break
	}
	if acked > 0 {
		last := rows[acked-1]
		if _, err := tx.ExecContext(ctx, advanceCursorSQL, last.TransactionID, last.Offset); err != nil {
			return 0, fmt.Errorf("advance relay cursor: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return 0, fmt.Errorf("commit relay cursor: %w", err)
		}
	}
	return acked, failure
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
	_, err := r.db.ExecContext(ctx, `DELETE FROM watermill_outbox o USING outbox_relay_cursor c
		WHERE c.name = 'relay' AND (o.transaction_id, o."offset") <= (c.transaction_id, c."offset")
		  AND o.created_at < now() - $1::interval`,
		fmt.Sprintf("%d seconds", int(r.cfg.RetainRelayed.Seconds())))
	if err != nil {
		return fmt.Errorf("delete relayed outbox rows: %w", err)
	}
	return nil
}

// Pending counts rows not yet relayed (for health and metrics).
func Pending(ctx context.Context, db sqlx.QueryerContext) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, db, &n, `SELECT count(*) FROM watermill_outbox o, outbox_relay_cursor c
		WHERE c.name = 'relay' AND (o.transaction_id, o."offset") > (c.transaction_id, c."offset")`)
	return n, err
}

// Replay moves the cursor back to the start of the retained rows, so they are published
// again: after the broker lost messages, or in tests of a crash before the cursor moved.
// The streams' duplicate window drops what they still hold.
func Replay(ctx context.Context, db sqlx.ExecerContext) error {
	_, err := db.ExecContext(ctx, `UPDATE outbox_relay_cursor SET transaction_id = '0', "offset" = 0, updated_at = now() WHERE name = 'relay'`)
	if err != nil {
		return fmt.Errorf("rewind relay cursor: %w", err)
	}
	return nil
}
