-- +goose Up
-- A name now compares in one Unicode form (casework.dev/pkg/rightsdata Name): an offender
-- whose name was sent as "Zoe" with a combining diaeresis was not found by a subject access
-- search typed with the one-character "ë", nor the other way round. The index is rebuilt
-- on the new expression.
DROP INDEX publication_personal_name;
CREATE INDEX publication_personal_name
    ON publication_personal_data ((lower(btrim(regexp_replace(normalize(name, NFKC), '\s+', ' ', 'g')))));

-- +goose Down
DROP INDEX publication_personal_name;
CREATE INDEX publication_personal_name ON publication_personal_data ((lower(btrim(regexp_replace(name, '\s+', ' ', 'g')))));
