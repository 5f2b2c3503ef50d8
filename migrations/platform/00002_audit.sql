-- +goose Up
-- Append-only audit trail, hash-chained per chain (one chain per case), so writers on
-- different cases never wait for each other while any edit or removal breaks a link.
CREATE TABLE audit_heads (
    chain TEXT PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  BYTEA NOT NULL
);

CREATE TABLE audit_log (
    id             BIGSERIAL PRIMARY KEY,
    chain          TEXT NOT NULL,
    seq            BIGINT NOT NULL,
    at             TIMESTAMPTZ NOT NULL,
    actor          TEXT NOT NULL,
    action         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    detail         JSONB NOT NULL DEFAULT '{}',
    content_digest BYTEA NOT NULL,
    hash           BYTEA NOT NULL,
    UNIQUE (chain, seq)
);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);

-- +goose StatementBegin
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

-- +goose Down
DROP TABLE audit_log;
DROP TABLE audit_heads;
DROP FUNCTION audit_log_refuse_change();
