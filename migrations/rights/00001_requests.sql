-- +goose Up
-- One row per request to exercise a data protection right. This table holds no personal
-- data: ids, kinds, statuses, the deadline and how it was computed, each service's state in
-- the fan-out, and the Article 19 notices sent (recipient ids and disclosure ids).
CREATE SEQUENCE rights_request_reference_seq;

CREATE TABLE rights_requests (
    id                UUID PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL,
    status            TEXT NOT NULL,
    phase             TEXT NOT NULL,
    awaiting          TEXT NOT NULL DEFAULT '',
    on_behalf         BOOLEAN NOT NULL,
    identity_verified BOOLEAN NOT NULL,
    received_at       TIMESTAMPTZ NOT NULL,
    deadline          JSONB NOT NULL,
    due_at            TIMESTAMPTZ NOT NULL,
    due_date          DATE NOT NULL,
    extension_months  INTEGER NOT NULL DEFAULT 0,
    extension         JSONB,
    overdue_at        TIMESTAMPTZ,
    search            JSONB,
    action            JSONB,
    -- The earliest time a service that has not answered is asked again (NULL: none waits).
    retry_at          TIMESTAMPTZ,
    confirmed_by      TEXT NOT NULL DEFAULT '',
    confirmed_at      TIMESTAMPTZ,
    notices           JSONB NOT NULL DEFAULT '[]',
    closure           JSONB,
    retention_due     DATE,
    erased_at         TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ NOT NULL,
    version           INTEGER NOT NULL
);
-- The overdue sweep's work list: open requests whose clock runs, not yet reported.
CREATE INDEX rights_requests_running ON rights_requests (due_at) WHERE status = 'open' AND overdue_at IS NULL;
-- The fan-out sweep's work list.
CREATE INDEX rights_requests_retry ON rights_requests (retry_at) WHERE retry_at IS NOT NULL;
CREATE INDEX rights_requests_retention ON rights_requests (retention_due) WHERE erased_at IS NULL AND retention_due IS NOT NULL;
CREATE INDEX rights_requests_status ON rights_requests (status, reference);

-- The request's personal data: who asked, for whom, how identity was checked, what they
-- asked, and what the services found and answered. Erasure at the end of retention deletes
-- the row.
CREATE TABLE rights_request_personal_data (
    request_id     UUID PRIMARY KEY REFERENCES rights_requests (id),
    requester      JSONB NOT NULL,
    subject        JSONB NOT NULL,
    representative JSONB,
    identity       JSONB NOT NULL,
    details        TEXT NOT NULL DEFAULT '',
    rectification  JSONB,
    extension_reason TEXT NOT NULL DEFAULT '',
    candidates     JSONB NOT NULL DEFAULT '[]',
    matches        JSONB NOT NULL DEFAULT '[]',
    exports        JSONB NOT NULL DEFAULT '[]',
    outcomes       JSONB NOT NULL DEFAULT '[]'
);

-- +goose Down
DROP TABLE rights_request_personal_data;
DROP TABLE rights_requests;
DROP SEQUENCE rights_request_reference_seq;
