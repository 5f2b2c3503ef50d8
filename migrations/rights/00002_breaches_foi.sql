-- +goose Up
-- The personal data breach register. This table holds no personal data: dates, counts, the
-- kinds of data affected, the decisions as yes or no, the ICO deadline and how it was
-- computed, and the review dates.
CREATE SEQUENCE rights_breach_reference_seq;

CREATE TABLE rights_breaches (
    id                  UUID PRIMARY KEY,
    reference           TEXT NOT NULL UNIQUE,
    status              TEXT NOT NULL,
    confirmed           BOOLEAN NOT NULL,
    discovered_at       TIMESTAMPTZ NOT NULL,
    aware_at            TIMESTAMPTZ NOT NULL,
    categories_affected TEXT[] NOT NULL,
    people_affected     INTEGER NOT NULL,
    records_affected    INTEGER NOT NULL,
    deadline            JSONB NOT NULL,
    due_at              TIMESTAMPTZ NOT NULL,
    assessment          JSONB,
    report              JSONB,
    people_told         JSONB,
    overdue_at          TIMESTAMPTZ,
    closed_at           TIMESTAMPTZ,
    closed_by           TEXT NOT NULL DEFAULT '',
    review_due          DATE,
    review_at           TIMESTAMPTZ,
    reviews             JSONB NOT NULL DEFAULT '[]',
    erased_at           TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ NOT NULL,
    version             INTEGER NOT NULL
);
CREATE INDEX rights_breaches_report_due ON rights_breaches (due_at) WHERE status = 'open' AND report IS NULL AND overdue_at IS NULL;
CREATE INDEX rights_breaches_review ON rights_breaches (review_due) WHERE status = 'closed' AND erased_at IS NULL;

-- What was released, to whom, who reported it, the people affected and the officers' words
-- about them. The DPO's review may erase the row; nothing else does.
CREATE TABLE rights_breach_personal_data (
    breach_id         UUID PRIMARY KEY REFERENCES rights_breaches (id),
    nature            TEXT NOT NULL,
    released          TEXT NOT NULL DEFAULT '',
    released_to       TEXT NOT NULL DEFAULT '',
    reported_by       JSONB NOT NULL,
    affected_contacts JSONB NOT NULL DEFAULT '[]',
    words             JSONB NOT NULL DEFAULT '{}'
);

-- Requests under the Freedom of Information Act and the Environmental Information
-- Regulations, with their internal reviews. This table holds no personal data: the
-- summary, the parts and the review are what the public disclosure log shows.
CREATE SEQUENCE rights_foi_reference_seq;

CREATE TABLE rights_foi_requests (
    id               UUID PRIMARY KEY,
    reference        TEXT NOT NULL UNIQUE,
    regime           TEXT NOT NULL,
    regime_reason    TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL,
    summary          TEXT NOT NULL,
    deadline         JSONB NOT NULL,
    due_at           TIMESTAMPTZ NOT NULL,
    extension_reason TEXT NOT NULL DEFAULT '',
    overdue_at       TIMESTAMPTZ,
    parts            JSONB NOT NULL DEFAULT '[]',
    responded_at     TIMESTAMPTZ,
    responded_by     TEXT NOT NULL DEFAULT '',
    on_time          BOOLEAN NOT NULL DEFAULT false,
    publish          BOOLEAN NOT NULL DEFAULT false,
    review           JSONB,
    review_due_at    TIMESTAMPTZ,
    retention_due    DATE,
    erased_at        TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL,
    version          INTEGER NOT NULL
);
CREATE INDEX rights_foi_running ON rights_foi_requests (due_at) WHERE status = 'open' AND overdue_at IS NULL;
CREATE INDEX rights_foi_review_running ON rights_foi_requests (review_due_at) WHERE review_due_at IS NOT NULL;
CREATE INDEX rights_foi_retention ON rights_foi_requests (retention_due) WHERE erased_at IS NULL AND retention_due IS NOT NULL;
CREATE INDEX rights_foi_disclosure_log ON rights_foi_requests (responded_at DESC) WHERE publish;

-- The requester's name, addresses and the request in their own words.
CREATE TABLE rights_foi_personal_data (
    request_id UUID PRIMARY KEY REFERENCES rights_foi_requests (id),
    requester  JSONB NOT NULL,
    details    TEXT NOT NULL
);

-- +goose Down
DROP TABLE rights_foi_personal_data;
DROP TABLE rights_foi_requests;
DROP SEQUENCE rights_foi_reference_seq;
DROP TABLE rights_breach_personal_data;
DROP TABLE rights_breaches;
DROP SEQUENCE rights_breach_reference_seq;
