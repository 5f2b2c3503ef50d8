-- +goose Up
-- The shared case store (pkg/casestore) writes created_at beside updated_at, and claims
-- idempotency keys in the platform's idempotency_keys table: a manual entry's key (the
-- officer's) and a conviction disclosure's id (its key for the investigations actor).
-- Keys already in source_ref move there, undigested, so they keep replaying as before.
ALTER TABLE publication_decisions ADD COLUMN created_at TIMESTAMPTZ;
UPDATE publication_decisions SET created_at = received_at;
ALTER TABLE publication_decisions ALTER COLUMN created_at SET NOT NULL;

INSERT INTO idempotency_keys (key, request_digest, case_id, created_at)
SELECT CASE source WHEN 'investigations' THEN 'system:investigations-disclosure|' || source_ref ELSE source_ref END,
       '', id::text, received_at
FROM publication_decisions
WHERE source = 'investigations' OR source_ref <> id::text
ON CONFLICT (key) DO NOTHING;

-- +goose Down
ALTER TABLE publication_decisions DROP COLUMN created_at;
