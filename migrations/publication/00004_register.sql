-- +goose Up
-- What the public register shows is decided by the notice (recipient public-register,
-- purpose publication) when a decision to publish is approved, and logged as a disclosure
-- to the public in the same commit. register_disclosure_id is that disclosure;
-- register_fields the conviction's fields it let go, which the register shows and nothing
-- else (NULL: never published to the register). sentence_to_amend holds an entry off the
-- register after its sentence (or date of conviction) was corrected, until an officer
-- drafts the sentence again for the rehabilitation rules and its takedown is re-planned.
ALTER TABLE publication_decisions ADD COLUMN register_disclosure_id UUID;
ALTER TABLE publication_decisions ADD COLUMN register_fields TEXT[];
ALTER TABLE publication_decisions ADD COLUMN sentence_to_amend BOOLEAN NOT NULL DEFAULT false;

-- Entries published before this migration were shown on the register, with the six fields,
-- and nothing logged it. Log each such disclosure as it happened (approved by whom, when,
-- under the notice version then in force), so access answers and Article 19 notices name
-- the register among the recipients.
UPDATE publication_decisions
SET register_disclosure_id = gen_random_uuid(), register_fields = ARRAY['court', 'date', 'name', 'offence', 'sentence', 'town']
WHERE published_on IS NOT NULL;

INSERT INTO disclosure_log (id, case_id, data_subject, recipient, purpose, condition, categories, notice_version, subject,
    event_id, disclosed_by, disclosed_at)
SELECT register_disclosure_id, id::text, 'offender:' || id::text, 'public-register', 'publication', 'public_task',
    ARRAY['conviction_outcome', 'name', 'town'], '2026.11.1', '/public/prosecutions', register_disclosure_id::text,
    approved_by, coalesce(approved_at, published_on::timestamptz)
FROM publication_decisions
WHERE register_disclosure_id IS NOT NULL
ON CONFLICT (id) DO NOTHING;

-- +goose Down
DELETE FROM disclosure_log l USING publication_decisions d
WHERE l.id = d.register_disclosure_id AND l.notice_version = '2026.11.1' AND l.recipient = 'public-register';
ALTER TABLE publication_decisions DROP COLUMN sentence_to_amend;
ALTER TABLE publication_decisions DROP COLUMN register_fields;
ALTER TABLE publication_decisions DROP COLUMN register_disclosure_id;
