-- +goose Up
-- A consent or explicit consent may be withdrawn at any time (UK GDPR Art 7(3)). The row
-- stays, as what the disclosures made before rested on, with when the withdrawal was
-- recorded and by which officer; both NULL while it stands, as on every row written before.
ALTER TABLE investigation_conditions
    ADD COLUMN withdrawn_at TIMESTAMPTZ,
    ADD COLUMN withdrawn_by TEXT;

-- +goose Down
ALTER TABLE investigation_conditions
    DROP COLUMN withdrawn_by,
    DROP COLUMN withdrawn_at;
