-- +goose Up
-- A dead letter's body also goes when the partner is told, by an Article 19 notice, that the
-- data in it was erased, corrected or restricted at the person's request: the copy delivery
-- gave up on must not be sent again (UK GDPR Art 17, 16, 18 and 19).
ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_body_erasure_check,
    ADD CONSTRAINT dead_letters_body_erasure_check CHECK (body_erasure IN ('delivered', 'discarded', 'retention', 'article19'));

-- The disclosures such a notice made stale, by partner: one still being retried when the
-- notice passes is never posted after it, whichever of their streams delivery reads first.
CREATE TABLE stale_disclosures (
    partner       TEXT NOT NULL,
    disclosure_id TEXT NOT NULL,
    notice_id     TEXT NOT NULL,
    noticed_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (partner, disclosure_id)
);

-- +goose Down
DROP TABLE stale_disclosures;
UPDATE dead_letters SET body_erasure = 'discarded' WHERE body_erasure = 'article19';
ALTER TABLE dead_letters DROP CONSTRAINT dead_letters_body_erasure_check,
    ADD CONSTRAINT dead_letters_body_erasure_check CHECK (body_erasure IN ('delivered', 'discarded', 'retention'));
