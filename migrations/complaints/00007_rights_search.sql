-- +goose Up
-- A rights search (casework.dev/pkg/rightsdata PersonFilterSQL) compares the complainant's
-- name, e-mail, phone and address in normalised forms. Without an index on each form every
-- search read and normalised every complainant's details: measured with make bench at
-- 500,000 complaints (docs/bench.md). Each expression is exactly the one the search spells,
-- so the planner answers each identifier from its index and ORs the results.
CREATE INDEX complaint_personal_data_name_search
    ON complaint_personal_data ((lower(regexp_replace(btrim(name), '\s+', ' ', 'g'))));
CREATE INDEX complaint_personal_data_email_search ON complaint_personal_data ((lower(btrim(email))));
CREATE INDEX complaint_personal_data_phone_search
    ON complaint_personal_data ((regexp_replace(regexp_replace(phone, '[^0-9]', '', 'g'), '^44', '0')));
CREATE INDEX complaint_personal_data_address_search
    ON complaint_personal_data ((regexp_replace(lower(address), '[^a-z0-9]', '', 'g')));

-- +goose Down
DROP INDEX complaint_personal_data_address_search;
DROP INDEX complaint_personal_data_phone_search;
DROP INDEX complaint_personal_data_email_search;
DROP INDEX complaint_personal_data_name_search;
