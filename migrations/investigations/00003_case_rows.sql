-- +goose Up
-- The case in rows, as complaints keeps its cases: the case's facts (which identify no one,
-- and stay for statistics) in investigations and in one table per kind of item; the
-- personal data in rows of its own, so erasure deletes those rows: the case file (the
-- matter, the outcome's details, closing reason, action notes, condition reasons) and each
-- person's details on the case's clock, each item's content on the item's own clock.
ALTER TABLE investigations
    ADD COLUMN hate_crime BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN channel TEXT NOT NULL DEFAULT '',
    ADD COLUMN created_by TEXT NOT NULL DEFAULT '',
    ADD COLUMN retention_due DATE,
    ADD COLUMN retention_rule TEXT NOT NULL DEFAULT '',
    ADD COLUMN retention_computation TEXT NOT NULL DEFAULT '',
    ADD COLUMN legal_hold_reason TEXT,
    ADD COLUMN legal_hold_set_at TIMESTAMPTZ,
    ADD COLUMN legal_hold_set_by TEXT,
    ADD COLUMN outcome_kind TEXT,
    ADD COLUMN outcome_sentence_length TEXT,
    ADD COLUMN outcome_recorded_at TIMESTAMPTZ,
    ADD COLUMN outcome_recorded_by TEXT,
    ADD COLUMN asb_review_triggered_at TIMESTAMPTZ,
    ADD COLUMN asb_review_count INTEGER,
    ADD COLUMN asb_review_threshold INTEGER,
    ADD COLUMN asb_review_within TEXT,
    ADD COLUMN asb_review_matched_on TEXT;

CREATE TABLE investigation_case_file (
    investigation_id  UUID PRIMARY KEY REFERENCES investigations (id),
    matter_summary    TEXT NOT NULL,
    matter_locations  TEXT[] NOT NULL,
    matter_dates      TEXT[] NOT NULL,
    matter_times      TEXT[] NOT NULL,
    closed_reason     TEXT NOT NULL DEFAULT '',
    action_notes      TEXT[] NOT NULL DEFAULT '{}', -- by the action's position
    condition_reasons TEXT[] NOT NULL DEFAULT '{}', -- by the condition's position
    outcome_person_id TEXT NOT NULL DEFAULT '',
    outcome_offence   TEXT NOT NULL DEFAULT '',
    outcome_court     TEXT NOT NULL DEFAULT '',
    outcome_date      TEXT NOT NULL DEFAULT '',
    outcome_sentence  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE investigation_people (
    investigation_id UUID NOT NULL REFERENCES investigations (id),
    position         INTEGER NOT NULL,
    id               TEXT NOT NULL,
    role             TEXT NOT NULL,
    PRIMARY KEY (investigation_id, position)
);

CREATE TABLE investigation_person_data (
    investigation_id     UUID NOT NULL REFERENCES investigations (id),
    position             INTEGER NOT NULL,
    name                 TEXT NOT NULL,
    address              TEXT NOT NULL,
    town                 TEXT NOT NULL,
    phone                TEXT NOT NULL,
    email                TEXT NOT NULL,
    proof_of_identity    TEXT NOT NULL,
    vehicle_registration TEXT NOT NULL,
    date_of_birth        TEXT NOT NULL,
    PRIMARY KEY (investigation_id, position)
);

-- Evidence, special category items and e-mails: what they are and their clocks.
CREATE TABLE investigation_items (
    investigation_id      UUID NOT NULL REFERENCES investigations (id),
    id                    TEXT NOT NULL,
    class                 TEXT NOT NULL CHECK (class IN ('evidence', 'special', 'email')),
    position              INTEGER NOT NULL,          -- within its class
    kind                  TEXT NOT NULL DEFAULT '',  -- evidence kind, or special category
    person_id             TEXT NOT NULL DEFAULT '',
    occurred_at           TIMESTAMPTZ NOT NULL,      -- captured, recorded or received
    added_at              TIMESTAMPTZ,
    used_as_evidence      BOOLEAN NOT NULL DEFAULT false,
    retention_due         DATE,
    retention_rule        TEXT NOT NULL DEFAULT '',
    retention_computation TEXT NOT NULL DEFAULT '',
    erased_at             TIMESTAMPTZ,
    PRIMARY KEY (investigation_id, id)
);

-- An item's personal content, deleted when the item is erased.
CREATE TABLE investigation_item_content (
    investigation_id UUID NOT NULL REFERENCES investigations (id),
    id               TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '', -- evidence
    storage_ref      TEXT NOT NULL DEFAULT '', -- evidence
    details          TEXT NOT NULL DEFAULT '', -- special category
    sender           TEXT NOT NULL DEFAULT '', -- e-mail
    subject          TEXT NOT NULL DEFAULT '', -- e-mail
    body             TEXT NOT NULL DEFAULT '', -- e-mail
    PRIMARY KEY (investigation_id, id)
);

CREATE TABLE investigation_actions (
    investigation_id UUID NOT NULL REFERENCES investigations (id),
    position         INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    at               TIMESTAMPTZ NOT NULL,
    by_officer       TEXT NOT NULL,
    PRIMARY KEY (investigation_id, position)
);

CREATE TABLE investigation_conditions (
    investigation_id UUID NOT NULL REFERENCES investigations (id),
    position         INTEGER NOT NULL,
    recipient        TEXT NOT NULL,
    condition        TEXT NOT NULL,
    at               TIMESTAMPTZ NOT NULL,
    by_officer       TEXT NOT NULL,
    PRIMARY KEY (investigation_id, position)
);

-- Cases written before: their document, in rows.
UPDATE investigations SET hate_crime = coalesce((doc->>'hate_crime')::boolean, false),
    channel = coalesce(doc->>'channel', ''), created_by = coalesce(doc->>'created_by', ''),
    retention_due = NULLIF(doc->'retention'->>'due', '')::date,
    retention_rule = coalesce(doc->'retention'->>'rule', ''),
    retention_computation = coalesce(doc->'retention'->>'computation', ''),
    legal_hold_reason = doc->'legal_hold'->>'reason', legal_hold_set_at = (doc->'legal_hold'->>'set_at')::timestamptz,
    legal_hold_set_by = doc->'legal_hold'->>'set_by',
    outcome_kind = doc->'outcome'->>'kind', outcome_sentence_length = doc->'outcome'->>'sentence_length',
    outcome_recorded_at = (doc->'outcome'->>'recorded_at')::timestamptz, outcome_recorded_by = doc->'outcome'->>'recorded_by',
    asb_review_triggered_at = (doc->'asb_review'->>'triggered_at')::timestamptz,
    asb_review_count = (doc->'asb_review'->>'count')::integer, asb_review_threshold = (doc->'asb_review'->>'threshold')::integer,
    asb_review_within = doc->'asb_review'->>'within', asb_review_matched_on = doc->'asb_review'->>'matched_on';

INSERT INTO investigation_case_file
SELECT i.id, coalesce(i.doc->'matter'->>'summary', ''),
    ARRAY(SELECT jsonb_array_elements_text(coalesce(i.doc->'matter'->'locations', '[]'))),
    ARRAY(SELECT jsonb_array_elements_text(coalesce(i.doc->'matter'->'dates', '[]'))),
    ARRAY(SELECT jsonb_array_elements_text(coalesce(i.doc->'matter'->'times', '[]'))),
    coalesce(i.doc->>'closed_reason', ''),
    ARRAY(SELECT coalesce(a->>'notes', '') FROM jsonb_array_elements(coalesce(i.doc->'actions', '[]')) a),
    ARRAY(SELECT coalesce(k->>'reason', '') FROM jsonb_array_elements(coalesce(i.doc->'conditions', '[]')) k),
    coalesce(i.doc->'outcome'->>'person_id', ''), coalesce(i.doc->'outcome'->>'offence', ''),
    coalesce(i.doc->'outcome'->>'court', ''), coalesce(i.doc->'outcome'->>'date', ''), coalesce(i.doc->'outcome'->>'sentence', '')
FROM investigations i WHERE i.erased_at IS NULL;

INSERT INTO investigation_people
SELECT i.id, p.n - 1, p.v->>'id', p.v->>'role'
FROM investigations i, jsonb_array_elements(coalesce(i.doc->'people', '[]')) WITH ORDINALITY p(v, n);

INSERT INTO investigation_person_data
SELECT i.id, p.n - 1, coalesce(p.v->>'name', ''), coalesce(p.v->>'address', ''), coalesce(p.v->>'town', ''),
    coalesce(p.v->>'phone', ''), coalesce(p.v->>'email', ''), coalesce(p.v->>'proof_of_identity', ''),
    coalesce(p.v->>'vehicle_registration', ''), coalesce(p.v->>'date_of_birth', '')
FROM investigations i, jsonb_array_elements(coalesce(i.doc->'people', '[]')) WITH ORDINALITY p(v, n)
WHERE i.erased_at IS NULL;

INSERT INTO investigation_items
SELECT i.id, e.v->>'id', 'evidence', e.n - 1, e.v->>'kind', coalesce(e.v->>'person_id', ''),
    (e.v->>'captured_at')::timestamptz, (e.v->>'added_at')::timestamptz, coalesce((e.v->>'used_as_evidence')::boolean, false),
    NULLIF(e.v->'retention'->>'due', '')::date, coalesce(e.v->'retention'->>'rule', ''),
    coalesce(e.v->'retention'->>'computation', ''), (e.v->>'erased_at')::timestamptz
FROM investigations i, jsonb_array_elements(coalesce(i.doc->'evidence', '[]')) WITH ORDINALITY e(v, n)
UNION ALL
SELECT i.id, s.v->>'id', 'special', s.n - 1, s.v->>'category', coalesce(s.v->>'person_id', ''),
    (s.v->>'recorded_at')::timestamptz, NULL, false, NULL, '', '', (s.v->>'erased_at')::timestamptz
FROM investigations i, jsonb_array_elements(coalesce(i.doc->'special', '[]')) WITH ORDINALITY s(v, n)
UNION ALL
SELECT i.id, m.v->>'id', 'email', m.n - 1, '', '', (m.v->>'received_at')::timestamptz, NULL, false,
    NULLIF(m.v->'retention'->>'due', '')::date, coalesce(m.v->'retention'->>'rule', ''),
    coalesce(m.v->'retention'->>'computation', ''), (m.v->>'erased_at')::timestamptz
FROM investigations i, jsonb_array_elements(coalesce(i.doc->'emails', '[]')) WITH ORDINALITY m(v, n);

INSERT INTO investigation_item_content (investigation_id, id, description, storage_ref, details, sender, subject, body)
SELECT i.id, v->>'id', coalesce(v->>'description', ''), coalesce(v->>'storage_ref', ''), coalesce(v->>'details', ''),
    coalesce(v->>'from', ''), coalesce(v->>'subject', ''), coalesce(v->>'body', '')
FROM investigations i, jsonb_array_elements(coalesce(i.doc->'evidence', '[]') || coalesce(i.doc->'special', '[]') ||
    coalesce(i.doc->'emails', '[]')) v
WHERE v->>'erased_at' IS NULL;

INSERT INTO investigation_actions
SELECT i.id, a.n - 1, a.v->>'kind', (a.v->>'at')::timestamptz, coalesce(a.v->>'by', '')
FROM investigations i, jsonb_array_elements(coalesce(i.doc->'actions', '[]')) WITH ORDINALITY a(v, n);

INSERT INTO investigation_conditions
SELECT i.id, k.n - 1, k.v->>'recipient', k.v->>'condition', (k.v->>'at')::timestamptz, coalesce(k.v->>'by', '')
FROM investigations i, jsonb_array_elements(coalesce(i.doc->'conditions', '[]')) WITH ORDINALITY k(v, n);

ALTER TABLE investigations DROP COLUMN doc;

-- +goose Down
-- +goose StatementBegin
DO $$ BEGIN RAISE EXCEPTION 'the case rows are not folded back into one document'; END $$;
-- +goose StatementEnd
