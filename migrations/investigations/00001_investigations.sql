-- +goose Up
-- One row per community protection investigation. The columns hold what lists, sweeps
-- and need-to-know checks query and identify no one; the personal data (people, the
-- matter, evidence, special category items, e-mails, the outcome's details) is in doc,
-- where retention blanks each item on its own clock.
CREATE SEQUENCE investigation_reference_seq;

CREATE TABLE investigations (
    id               UUID PRIMARY KEY,
    reference        TEXT NOT NULL UNIQUE,
    idempotency_key  TEXT UNIQUE,
    area             TEXT NOT NULL,
    scope            TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    need_to_know     BOOLEAN NOT NULL,
    assigned         TEXT[] NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL,
    closed_at        TIMESTAMPTZ,
    next_erasure_due DATE,
    legal_hold       BOOLEAN NOT NULL DEFAULT false,
    erased_at        TIMESTAMPTZ,
    -- Keys for counting anti-social behaviour reports about one place or person: a
    -- normalised location and a SHA-256 of the normalised subject name.
    asb_location_key TEXT,
    asb_subject_key  TEXT,
    doc              JSONB NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          INTEGER NOT NULL
);
CREATE INDEX investigations_status ON investigations (status, area);
CREATE INDEX investigations_erasure ON investigations (next_erasure_due) WHERE next_erasure_due IS NOT NULL AND NOT legal_hold;
CREATE INDEX investigations_asb_location ON investigations (asb_location_key, received_at) WHERE asb_location_key IS NOT NULL;
CREATE INDEX investigations_asb_subject ON investigations (asb_subject_key, received_at) WHERE asb_subject_key IS NOT NULL;

-- +goose Down
DROP TABLE investigations;
DROP SEQUENCE investigation_reference_seq;
