-- +goose Up
-- A dead letter's body also goes when the partner is told, by an Article 19 notice, that the
-- data in it was erased, corrected or restricted at the person's request: the copy delivery
-- gave up on must not be sent again (UK GDPR Art 17, 16, 18 and 19).
ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_body_erasure_check,
    ADD CONSTRAINT dead_letters_body_erasure_check CHECK (body_erasure IN ('delivered', 'discarded', 'retention', 'article19'));

-- +goose Down
UPDATE dead_letters SET body_erasure = 'discarded' WHERE body_erasure = 'article19';
ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_body_erasure_check,
    ADD CONSTRAINT dead_letters_body_erasure_check CHECK (body_erasure IN ('delivered', 'discarded', 'retention'));
