-- +goose Up
-- The relay no longer reads rows below the server-wide snapshot horizon, which let any
-- transaction left open anywhere on the server (another database's too) hold back every
-- event, and which a restore into another cluster (transaction ids restarting lower) made
-- relay nothing at all. Instead the relay, holding an advisory lock, gives each committed
-- row a position (a row is visible to it only once its transaction has committed) and
-- publishes by position. Positions are this database's own data: no other transaction
-- and no restore can move them. Inserts leave position NULL, so the hot path is unchanged
-- but for the small index of rows still to sequence.
ALTER TABLE watermill_outbox ADD COLUMN position BIGINT;
CREATE UNIQUE INDEX watermill_outbox_position ON watermill_outbox (position) WHERE position IS NOT NULL;
CREATE INDEX watermill_outbox_unsequenced ON watermill_outbox ("offset") WHERE position IS NULL;

-- The cursor is the last position published (or dead-lettered). transaction_id becomes the
-- watermark: the transaction id of the relay's latest write, so a database whose ids are
-- below it was restored into another cluster, and the relay says so.
ALTER TABLE outbox_relay_cursor ADD COLUMN position BIGINT NOT NULL DEFAULT 0;

-- Rows the old cursor had passed keep their order as positions 1..n and the cursor stands
-- after them; the rest are sequenced by the relay. An old cursor ahead of this cluster's
-- transaction ids (restored from a logical dump before this upgrade) cannot tell which
-- rows it passed: then every retained row goes again, and consumers, which record each
-- event id they applied, drop what they already have.
WITH old AS (
    SELECT transaction_id, "offset" FROM outbox_relay_cursor
    WHERE name = 'relay' AND transaction_id < pg_snapshot_xmax(pg_current_snapshot())),
passed AS (
    SELECT o.transaction_id, o."offset", row_number() OVER (ORDER BY o.transaction_id, o."offset") AS n
    FROM watermill_outbox o, old WHERE (o.transaction_id, o."offset") <= (old.transaction_id, old."offset"))
UPDATE watermill_outbox o SET position = passed.n
FROM passed WHERE o.transaction_id = passed.transaction_id AND o."offset" = passed."offset";
UPDATE outbox_relay_cursor SET position = coalesce((SELECT max(position) FROM watermill_outbox), 0)
WHERE name = 'relay';
ALTER TABLE outbox_relay_cursor DROP COLUMN "offset";

-- A row that can never be published (malformed, or on a subject no stream captures) is set
-- aside here with its reason and the relay moves on; messaging.Redrive sends it again once
-- mended. No payload is copied: it stays in the outbox row for the replay window.
CREATE TABLE outbox_dead_letters (
    position BIGINT PRIMARY KEY,
    event_id TEXT NOT NULL,
    subject  TEXT NOT NULL, -- empty when the row had none
    reason   TEXT NOT NULL,
    dead_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX outbox_dead_letters_event ON outbox_dead_letters (event_id);

-- +goose Down
DROP TABLE outbox_dead_letters;
-- The old cursor stands just before the first row not yet relayed (in its order), so
-- nothing is skipped; rows relayed after it go again and the duplicate window or the
-- consumers drop them.
ALTER TABLE outbox_relay_cursor ADD COLUMN "offset" BIGINT NOT NULL DEFAULT 0;
UPDATE outbox_relay_cursor SET transaction_id = '0', "offset" = 0 WHERE name = 'relay';
UPDATE outbox_relay_cursor c SET transaction_id = last.transaction_id, "offset" = last."offset"
FROM (SELECT transaction_id, "offset" FROM watermill_outbox ORDER BY transaction_id DESC, "offset" DESC LIMIT 1) last
WHERE c.name = 'relay'
  AND NOT EXISTS (SELECT 1 FROM watermill_outbox o WHERE o.position IS NULL OR o.position > c.position);
UPDATE outbox_relay_cursor c SET transaction_id = first.transaction_id, "offset" = first."offset" - 1
FROM (SELECT o.transaction_id, o."offset" FROM watermill_outbox o, outbox_relay_cursor k
      WHERE k.name = 'relay' AND (o.position IS NULL OR o.position > k.position)
      ORDER BY o.transaction_id, o."offset" LIMIT 1) first
WHERE c.name = 'relay';
ALTER TABLE outbox_relay_cursor DROP COLUMN position;
DROP INDEX watermill_outbox_unsequenced;
DROP INDEX watermill_outbox_position;
ALTER TABLE watermill_outbox DROP COLUMN position;
