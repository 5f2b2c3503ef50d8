-- +goose Up
-- Idempotency keys move to the platform's idempotency_keys table (with the request's
-- digest); keys already given keep replaying the complaint they created.
INSERT INTO idempotency_keys (key, request_digest, case_id, created_at)
SELECT idempotency_key, '', id::text, created_at FROM complaints WHERE idempotency_key IS NOT NULL;
ALTER TABLE complaints DROP COLUMN idempotency_key;

-- +goose Down
ALTER TABLE complaints ADD COLUMN idempotency_key TEXT;
UPDATE complaints c SET idempotency_key = k.key FROM idempotency_keys k WHERE k.case_id = c.id::text;
CREATE UNIQUE INDEX complaints_idempotency_key ON complaints (idempotency_key) WHERE idempotency_key IS NOT NULL;
