-- +goose Up
-- Outbox rows live until the relay has published them and the replay window has passed, and
-- a bundled row's metadata is several kilobytes, so PostgreSQL compresses it on every write.
-- lz4 does that at a fraction of pglz's CPU (pglz was the costliest PostgreSQL function of a
-- bulk referral). A server built without lz4 keeps pglz.
-- +goose StatementBegin
DO $$
BEGIN
    ALTER TABLE watermill_outbox ALTER COLUMN payload SET COMPRESSION lz4, ALTER COLUMN metadata SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available: the outbox keeps pglz';
END $$;
-- +goose StatementEnd

-- +goose Down
ALTER TABLE watermill_outbox ALTER COLUMN payload SET COMPRESSION pglz, ALTER COLUMN metadata SET COMPRESSION pglz;
