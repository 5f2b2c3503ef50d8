-- +goose Up
-- The notice keeps a conviction not yet decided for 1 year from receipt (retention rule
-- undecided_conviction): a decision to make gets its erasure date when it is received.
-- Those received before this migration get theirs now, reckoned as the service does (the
-- London date of receipt, plus 1 year, 29 February giving 28 February).
UPDATE publication_decisions
SET retention_due = ((received_at AT TIME ZONE 'Europe/London')::date + interval '1 year')::date
WHERE status IN ('to_decide', 'awaiting_approval') AND retention_due IS NULL AND erased_at IS NULL;

-- +goose Down
-- The dates stay: without them the decisions are kept without end, which the notice does
-- not allow.
SELECT 1;
