-- +goose Up
-- The relay keeps a cursor instead of marking each row: one small update per batch rather
-- than one per message. Rows are read in (transaction_id, offset) order and only from
-- transactions older than every transaction still running, which watermill-sql's xid8
-- column exists for, so no row committed late behind the cursor is ever skipped.
DROP INDEX watermill_outbox_pending;
DROP INDEX watermill_outbox_relayed;
ALTER TABLE watermill_outbox DROP COLUMN relayed_at;
ALTER TABLE watermill_outbox DROP CONSTRAINT watermill_outbox_pkey;
ALTER TABLE watermill_outbox ADD PRIMARY KEY (transaction_id, "offset");

CREATE TABLE outbox_relay_cursor (
    name           TEXT PRIMARY KEY,
    transaction_id XID8 NOT NULL,
    "offset"       BIGINT NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO outbox_relay_cursor (name, transaction_id, "offset") VALUES ('relay', '0', 0);

-- +goose Down
DROP TABLE outbox_relay_cursor;
ALTER TABLE watermill_outbox DROP CONSTRAINT watermill_outbox_pkey;
ALTER TABLE watermill_outbox ADD PRIMARY KEY ("offset");
ALTER TABLE watermill_outbox ADD COLUMN relayed_at TIMESTAMPTZ;
CREATE INDEX watermill_outbox_pending ON watermill_outbox ("offset") WHERE relayed_at IS NULL;
CREATE INDEX watermill_outbox_relayed ON watermill_outbox (relayed_at) WHERE relayed_at IS NOT NULL;
