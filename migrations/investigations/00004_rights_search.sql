-- +goose Up
-- A rights search (casework.dev/pkg/rightsdata PersonFilterSQL) compares each person's
-- name, e-mail, phone and address in normalised forms. Without an index on each form every
-- search read and normalised the details of every person in every case: measured with make
-- bench at 500,000 cases (docs/bench.md). Each expression is exactly the one the search spells,
-- so the planner answers each identifier from its index and ORs the results.
CREATE INDEX investigation_person_data_name_search
    ON investigation_person_data ((lower(regexp_replace(btrim(name), '\s+', ' ', 'g'))));
CREATE INDEX investigation_person_data_email_search ON investigation_person_data ((lower(btrim(email))));
CREATE INDEX investigation_person_data_phone_search
    ON investigation_person_data ((regexp_replace(regexp_replace(phone, '[^0-9]', '', 'g'), '^44', '0')));
CREATE INDEX investigation_person_data_address_search
    ON investigation_person_data ((regexp_replace(lower(address), '[^a-z0-9]', '', 'g')));

-- +goose Down
DROP INDEX investigation_person_data_address_search;
DROP INDEX investigation_person_data_phone_search;
DROP INDEX investigation_person_data_email_search;
DROP INDEX investigation_person_data_name_search;
