-- +goose Up
-- A decision erased while still undecided is lapsed: nothing is left to decide, and the
-- managers' board counts it finished (contracts/services.yaml).
UPDATE publication_decisions SET status = 'lapsed'
WHERE erased_at IS NOT NULL AND status IN ('to_decide', 'awaiting_approval');

-- +goose Down
-- Which of the two it was is not kept; to_decide is the earlier.
UPDATE publication_decisions SET status = 'to_decide' WHERE status = 'lapsed';
