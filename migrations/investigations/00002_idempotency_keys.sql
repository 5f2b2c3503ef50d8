-- +goose Up
-- Idempotency keys move to the platform's idempotency_keys table (with the request's
-- digest), scoped to the officer who opened the case; keys already given keep replaying
-- the investigation they created for that officer.
INSERT INTO idempotency_keys (key, request_digest, case_id, created_at)
SELECT (doc->>'created_by') || '|' || idempotency_key, '', id::text, created_at
FROM investigations WHERE idempotency_key IS NOT NULL;
ALTER TABLE investigations DROP COLUMN idempotency_key;

-- +goose Down
ALTER TABLE investigations ADD COLUMN idempotency_key TEXT UNIQUE;
UPDATE investigations i SET idempotency_key = split_part(k.key, '|', 2) FROM idempotency_keys k WHERE k.case_id = i.id::text;
