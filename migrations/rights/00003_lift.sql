-- +goose Up
-- A restriction lifted (UK GDPR Article 18(3)): when and how the person was told
-- beforehand, and who lifted it. No personal data.
ALTER TABLE rights_requests ADD COLUMN lift JSONB;

-- +goose Down
ALTER TABLE rights_requests DROP COLUMN lift;
