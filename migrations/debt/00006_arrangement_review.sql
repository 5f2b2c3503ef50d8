-- +goose Up
-- A breached instalment arrangement is no longer ended by the sweep: it is flagged for an
-- officer's review (arrangement->'breached_at') and stays in force until an officer decides
-- to end it or keep it. Each decision is kept on the case, across later arrangements:
-- arrangement_reviews holds its anonymous facts (when, who, on which arrangement and breach,
-- which decision); the officer's reason speaks of the debtor's circumstances, so it is
-- personal data, kept with the debtor's other data in the order of the reviews and erased
-- with it. Arrangements the sweep already ended stay as they are (arrangement->'defaulted_at').
ALTER TABLE debt_cases
    ADD COLUMN arrangement_reviews JSONB NOT NULL DEFAULT '[]';
ALTER TABLE debt_personal_data
    ADD COLUMN arrangement_review_reasons TEXT[] NOT NULL DEFAULT '{}';

-- Open cases whose breached arrangement awaits an officer's review, for the case list.
CREATE INDEX debt_cases_arrangement_review ON debt_cases (reference)
    WHERE closed_at IS NULL AND arrangement->>'breached_at' IS NOT NULL;

-- +goose Down
DROP INDEX debt_cases_arrangement_review;
ALTER TABLE debt_personal_data DROP COLUMN arrangement_review_reasons;
ALTER TABLE debt_cases DROP COLUMN arrangement_reviews;
