-- +goose Up
-- A manual retry claims its dead letter before posting, so two managers pressing retry at
-- once cannot both send the disclosure (the loser's attempt would then fail to be logged).
-- A claim older than the lease is abandoned (its process died) and may be taken again.
ALTER TABLE dead_letters ADD COLUMN retry_claimed_at TIMESTAMPTZ, ADD COLUMN retry_claimed_by TEXT;

-- +goose Down
ALTER TABLE dead_letters DROP COLUMN retry_claimed_by, DROP COLUMN retry_claimed_at;
