-- +goose Up
-- Finding an offender for a rights request (services/publication answers
-- rights.publication.find) compares names and references in the forms of
-- casework.dev/pkg/rightsdata; these indexes serve them.
CREATE INDEX publication_personal_name ON publication_personal_data ((lower(regexp_replace(btrim(name), '\s+', ' ', 'g'))));
CREATE INDEX publication_decisions_case_reference ON publication_decisions ((upper(source_case_reference)));

-- +goose Down
DROP INDEX publication_decisions_case_reference;
DROP INDEX publication_personal_name;
