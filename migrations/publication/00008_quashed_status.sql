-- +goose Up
-- Before session 11 an appeal that quashed a published conviction took the entry down and
-- left the decision taken_down (its takedown's reason appeal); since then the decision says
-- conviction_quashed, whatever it was. Those decisions say so now too: only their status
-- changes (the entry is already off the register, its retention already set).
UPDATE publication_decisions SET status = 'conviction_quashed'
WHERE status = 'taken_down' AND taken_down_reason = 'appeal';

-- +goose Down
-- Nothing to undo: the old code read conviction_quashed as the service does now, and the
-- rows changed cannot be told from those quashed since.
SELECT 1;
