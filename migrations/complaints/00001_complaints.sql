-- +goose Up
-- The case: status, stage, dates and outcomes. Nothing here identifies the complainant, so
-- these rows stay after retention erasure and feed the anonymous statistics.
CREATE SEQUENCE complaint_reference_seq;

CREATE TABLE complaints (
    id                  UUID PRIMARY KEY,
    reference           TEXT NOT NULL UNIQUE,
    idempotency_key     TEXT UNIQUE,
    stage               SMALLINT NOT NULL CHECK (stage IN (1, 2)),
    status              TEXT NOT NULL,
    service             TEXT NOT NULL,
    channel             TEXT NOT NULL,
    received_at         TIMESTAMPTZ NOT NULL,
    anonymity_requested BOOLEAN NOT NULL DEFAULT false,
    stage1_handler      TEXT NOT NULL,
    stage2_handler      TEXT,
    stage1_outcome      TEXT,
    stage1_responded_at TIMESTAMPTZ,
    stage1_on_time      BOOLEAN,
    stage1_responded_by TEXT,
    stage2_outcome      TEXT,
    stage2_responded_at TIMESTAMPTZ,
    stage2_on_time      BOOLEAN,
    stage2_responded_by TEXT,
    closed_at           TIMESTAMPTZ,
    retention_due       DATE,
    legal_hold_reason   TEXT,
    legal_hold_set_at   TIMESTAMPTZ,
    legal_hold_set_by   TEXT,
    erased_at           TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    version             INTEGER NOT NULL
);
CREATE INDEX complaints_status ON complaints (status, stage);
CREATE INDEX complaints_received ON complaints (received_at);
CREATE INDEX complaints_retention ON complaints (retention_due) WHERE erased_at IS NULL AND retention_due IS NOT NULL;

-- Personal data lives apart from the case so that erasure is a delete.
CREATE TABLE complaint_personal_data (
    complaint_id      UUID PRIMARY KEY REFERENCES complaints (id),
    name              TEXT NOT NULL,
    address           TEXT NOT NULL,
    phone             TEXT NOT NULL,
    email             TEXT NOT NULL,
    details           TEXT NOT NULL,
    special_details   TEXT NOT NULL DEFAULT '',
    stage2_details    TEXT NOT NULL DEFAULT '',
    stage1_summary    TEXT NOT NULL DEFAULT '',
    stage1_remedies   TEXT[] NOT NULL DEFAULT '{}',
    stage2_summary    TEXT NOT NULL DEFAULT '',
    stage2_remedies   TEXT[] NOT NULL DEFAULT '{}',
    closure_reason    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE complaint_consents (
    complaint_id UUID NOT NULL REFERENCES complaints (id),
    recipient    TEXT NOT NULL,
    given_at     TIMESTAMPTZ NOT NULL,
    recorded_by  TEXT NOT NULL,
    withdrawn_at TIMESTAMPTZ,
    PRIMARY KEY (complaint_id, recipient)
);

-- Each deadline with how it was computed (calendar.Deadline as JSON).
CREATE TABLE complaint_deadlines (
    complaint_id UUID NOT NULL REFERENCES complaints (id),
    stage        SMALLINT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('acknowledge', 'respond')),
    due_at       TIMESTAMPTZ NOT NULL,
    computation  JSONB NOT NULL,
    met_at       TIMESTAMPTZ,
    overdue_at   TIMESTAMPTZ,
    PRIMARY KEY (complaint_id, stage, kind)
);
-- The overdue sweep's work list: running deadlines not yet reported.
CREATE INDEX complaint_deadlines_running ON complaint_deadlines (due_at) WHERE met_at IS NULL AND overdue_at IS NULL;

-- +goose Down
DROP TABLE complaint_deadlines;
DROP TABLE complaint_consents;
DROP TABLE complaint_personal_data;
DROP TABLE complaints;
DROP SEQUENCE complaint_reference_seq;
