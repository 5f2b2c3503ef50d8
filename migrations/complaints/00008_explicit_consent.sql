-- +goose Up
-- Consent recorded as explicit (UK GDPR Art 9(2)(a)): what special category data needs.
ALTER TABLE complaint_consents ADD COLUMN explicit BOOLEAN NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE complaint_consents DROP COLUMN explicit;
