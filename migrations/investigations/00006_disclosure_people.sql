-- +goose Up
-- Whose data each disclosure carried, by person: a referral on one person's consent carries
-- that person alone, and the rights service must tell (Art 15, 19) only the people whose
-- data went. Disclosures made before this table have no rows: the notice's rule on whom
-- each recipient hears about answers for them.
CREATE TABLE investigation_disclosure_people (
    disclosure_id    UUID NOT NULL,
    investigation_id UUID NOT NULL REFERENCES investigations (id),
    person_id        TEXT NOT NULL,
    PRIMARY KEY (disclosure_id, person_id)
);
CREATE INDEX investigation_disclosure_people_case ON investigation_disclosure_people (investigation_id);

-- +goose Down
DROP TABLE investigation_disclosure_people;
