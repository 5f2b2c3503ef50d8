-- +goose Up
-- A dead letter keeps the disclosure's body only for a limited time: the retention sweep
-- erases it a set period after the delivery gave up, a manager may discard it at once, and
-- a successful retry clears it. The metadata (id, partner, subject, disclosure id,
-- attempts, reason, dates) stays; these columns record when, by whom and why the body went.
ALTER TABLE dead_letters
    ADD COLUMN body_erased_at TIMESTAMPTZ,
    ADD COLUMN body_erased_by TEXT,
    ADD COLUMN body_erasure   TEXT CHECK (body_erasure IN ('delivered', 'discarded', 'retention'));

-- Bodies cleared before this migration were cleared by a successful retry.
UPDATE dead_letters SET body_erased_at = resolved_at, body_erased_by = resolved_by, body_erasure = 'delivered'
    WHERE body IS NULL AND resolved_at IS NOT NULL;

-- A body is either held or recorded as erased, never both.
ALTER TABLE dead_letters ADD CONSTRAINT dead_letters_body_erased
    CHECK (body_erased_at IS NULL OR body IS NULL),
    ADD CONSTRAINT dead_letters_body_erasure_recorded
    CHECK ((body_erased_at IS NULL) = (body_erasure IS NULL) AND (body_erased_at IS NULL) = (body_erased_by IS NULL));

-- What the retention sweep looks for: bodies still held, oldest first.
CREATE INDEX dead_letters_body_held ON dead_letters (dead_lettered_at) WHERE body IS NOT NULL;

-- +goose Down
DROP INDEX dead_letters_body_held;
ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_body_erasure_recorded, DROP CONSTRAINT dead_letters_body_erased,
    DROP COLUMN body_erasure, DROP COLUMN body_erased_by, DROP COLUMN body_erased_at;
