-- +goose Up
-- Every HTTP attempt to deliver one disclosure to one webhook partner, success or not. A
-- 2xx row means delivered: the worker never posts that disclosure to that partner again.
-- The body is not kept here: the log records that and when, not what.
CREATE TABLE delivery_attempts (
    id             BIGSERIAL PRIMARY KEY,
    disclosure_id  TEXT NOT NULL,
    partner        TEXT NOT NULL,
    attempt        INT NOT NULL CHECK (attempt > 0),
    subject        TEXT NOT NULL,
    url            TEXT NOT NULL,
    status_code    INT,            -- NULL when no response came back
    error          TEXT,           -- why it failed, NULL on success
    duration_ms    INT NOT NULL,
    triggered_by   TEXT NOT NULL,  -- 'stream', or 'retry:<user>' for a manual retry
    attempted_at   TIMESTAMPTZ NOT NULL,
    CONSTRAINT delivery_attempts_number UNIQUE (partner, disclosure_id, attempt)
);
-- At most one success per disclosure and partner, whatever races a redelivery makes.
CREATE UNIQUE INDEX delivery_attempts_delivered ON delivery_attempts (partner, disclosure_id)
    WHERE status_code BETWEEN 200 AND 299;
CREATE INDEX delivery_attempts_time ON delivery_attempts (attempted_at);

-- Disclosures whose attempts ran out. They keep the body so a manager can retry once the
-- partner is fixed; the body is cleared when a retry succeeds.
CREATE TABLE dead_letters (
    id               UUID PRIMARY KEY,
    disclosure_id    TEXT NOT NULL,
    partner          TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             BYTEA,
    reason           TEXT NOT NULL,
    attempts         INT NOT NULL,
    dead_lettered_at TIMESTAMPTZ NOT NULL,
    resolved_at      TIMESTAMPTZ,
    resolved_by      TEXT,
    CONSTRAINT dead_letters_once UNIQUE (partner, disclosure_id)
);
CREATE INDEX dead_letters_open ON dead_letters (dead_lettered_at) WHERE resolved_at IS NULL;

-- +goose Down
DROP TABLE dead_letters;
DROP TABLE delivery_attempts;
