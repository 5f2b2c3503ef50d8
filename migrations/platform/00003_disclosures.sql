-- +goose Up
-- One row per disclosure: personal data sent to one recipient for one purpose. Written in
-- the same transaction as the outbox message that carries it. Holds the category names,
-- never the values, so the log itself is not a second copy of the data.
CREATE TABLE disclosure_log (
    id             UUID PRIMARY KEY,
    case_id        TEXT NOT NULL,
    data_subject   TEXT,
    recipient      TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    condition      TEXT NOT NULL,
    categories     TEXT[] NOT NULL,
    notice_version TEXT NOT NULL,
    subject        TEXT NOT NULL,
    event_id       TEXT NOT NULL,
    disclosed_by   TEXT NOT NULL,
    disclosed_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX disclosure_log_case ON disclosure_log (case_id, disclosed_at);
CREATE INDEX disclosure_log_data_subject ON disclosure_log (data_subject, disclosed_at);

-- +goose Down
DROP TABLE disclosure_log;
