-- +goose Up
-- Restrictions of processing (UK GDPR Art 18) a data subject asked for through the rights
-- service: a restricted record is never disclosed until the restriction is lifted. record_id
-- is the record the rights service named (a case, or one person in a case); case_id is the
-- case whose disclosures it stops.
CREATE TABLE rights_restrictions (
    record_id     TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL,
    request_id    TEXT NOT NULL,
    restricted_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX rights_restrictions_case ON rights_restrictions (case_id);

-- +goose Down
DROP TABLE rights_restrictions;
