-- +goose Up
-- A name or an address now compares in one Unicode form (casework.dev/pkg/rightsdata Name
-- and Compact): a person whose name was sent as "Zoe" with a combining diaeresis was
-- not found by a subject access search typed with the one-character "ë", nor the other way
-- round, and an address lost its accented letters in one form and kept them in the other.
-- The two indexes are rebuilt on the new expressions.
DROP INDEX investigation_person_data_name_search;
CREATE INDEX investigation_person_data_name_search
    ON investigation_person_data ((lower(btrim(regexp_replace(normalize(name, NFKC), '\s+', ' ', 'g')))));
DROP INDEX investigation_person_data_address_search;
CREATE INDEX investigation_person_data_address_search
    ON investigation_person_data ((regexp_replace(lower(normalize(address, NFKD)), '[^a-z0-9]', '', 'g')));

-- +goose Down
DROP INDEX investigation_person_data_address_search;
CREATE INDEX investigation_person_data_address_search
    ON investigation_person_data ((regexp_replace(lower(address), '[^a-z0-9]', '', 'g')));
DROP INDEX investigation_person_data_name_search;
CREATE INDEX investigation_person_data_name_search
    ON investigation_person_data ((lower(btrim(regexp_replace(name, '\s+', ' ', 'g')))));
