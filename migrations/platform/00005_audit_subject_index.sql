-- +goose Up
-- Lookups go by chain (one per case), which UNIQUE (chain, seq) already indexes.
DROP INDEX audit_log_subject;

-- +goose Down
CREATE INDEX audit_log_subject ON audit_log (subject, seq);
