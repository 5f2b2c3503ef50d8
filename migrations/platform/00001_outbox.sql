-- +goose Up
-- The transactional outbox. Columns are watermill-sql's PostgreSQL schema (its publisher
-- inserts rows inside the business transaction); relayed_at is ours: the relay marks rows it
-- has published to JetStream, and a cleanup removes them after the replay window.
CREATE TABLE watermill_outbox (
    "offset"         BIGSERIAL PRIMARY KEY,
    "uuid"           VARCHAR(36) NOT NULL,
    "created_at"     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload"        JSON DEFAULT NULL,
    "metadata"       JSON DEFAULT NULL,
    "transaction_id" XID8 NOT NULL,
    relayed_at       TIMESTAMPTZ
);
CREATE INDEX watermill_outbox_pending ON watermill_outbox ("offset") WHERE relayed_at IS NULL;
CREATE INDEX watermill_outbox_relayed ON watermill_outbox (relayed_at) WHERE relayed_at IS NOT NULL;

-- Consumers record each applied event id in the same transaction as its effect.
CREATE TABLE processed_events (
    consumer     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- +goose Down
DROP TABLE processed_events;
DROP TABLE watermill_outbox;
