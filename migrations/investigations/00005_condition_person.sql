-- +goose Up
-- Consent is a person's own: a consent recorded for a recipient names who gave it, and
-- a referral on it carries data about that person only. Empty for a condition that holds
-- for the case (a police request, a recorded necessity).
ALTER TABLE investigation_conditions ADD COLUMN person_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE investigation_conditions DROP COLUMN person_id;
