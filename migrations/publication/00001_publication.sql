-- +goose Up
-- One decision case per successful prosecution: received from the investigations service's
-- conviction disclosure or entered by an officer for another team. This table holds no
-- personal data: ids, dates, statuses and how the takedown date was computed.
CREATE SEQUENCE publication_reference_seq;

CREATE TABLE publication_decisions (
    id                    UUID PRIMARY KEY,
    reference             TEXT NOT NULL UNIQUE,
    -- Where the conviction came from: 'investigations' (source_ref is the disclosure id) or
    -- 'manual' (source_ref is the officer-scoped idempotency key, or the decision id).
    source                TEXT NOT NULL,
    source_ref            TEXT NOT NULL,
    source_team           TEXT NOT NULL,
    source_case_reference TEXT NOT NULL DEFAULT '',
    conviction_date       DATE NOT NULL,
    status                TEXT NOT NULL,
    outcome               TEXT NOT NULL DEFAULT '',
    drafted_by            TEXT NOT NULL DEFAULT '',
    drafted_at            TIMESTAMPTZ,
    approved_by           TEXT NOT NULL DEFAULT '',
    approved_at           TIMESTAMPTZ,
    published_on          DATE,
    takedown_on           DATE,
    takedown              JSONB,
    taken_down_at         TIMESTAMPTZ,
    taken_down_by         TEXT NOT NULL DEFAULT '',
    taken_down_reason     TEXT NOT NULL DEFAULT '',
    press_release_id      UUID,
    retention_due         DATE,
    erased_at             TIMESTAMPTZ,
    received_at           TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL,
    version               INTEGER NOT NULL,
    -- Exactly one decision per conviction, whatever the broker redelivers.
    UNIQUE (source, source_ref)
);
CREATE INDEX publication_decisions_takedown ON publication_decisions (takedown_on) WHERE status = 'published';
CREATE INDEX publication_decisions_retention ON publication_decisions (retention_due) WHERE erased_at IS NULL;
CREATE INDEX publication_decisions_status ON publication_decisions (status, reference);

-- The offender's personal data and the decision record that discusses them. Erasure at the
-- end of retention deletes the row.
CREATE TABLE publication_personal_data (
    decision_id UUID PRIMARY KEY REFERENCES publication_decisions (id),
    name        TEXT NOT NULL,
    town        TEXT NOT NULL,
    offence     TEXT NOT NULL,
    court       TEXT NOT NULL,
    sentence    TEXT NOT NULL,
    -- The factors, the offender's side, the sentence as the rehabilitation rules need it,
    -- the proportionality conclusion and the outcome with reasons.
    draft       JSONB,
    -- Why it was sent back, taken down by hand or what the appeal decided: officers' words
    -- that may name the offender.
    notes       JSONB NOT NULL DEFAULT '{}'
);

-- +goose Down
DROP TABLE publication_personal_data;
DROP TABLE publication_decisions;
DROP SEQUENCE publication_reference_seq;
