-- +goose Up
-- A name or an address now compares in one Unicode form (casework.dev/pkg/rightsdata Name
-- and Compact): a debtor whose name was referred as "Zoe" with a combining diaeresis was not
-- found by a subject access search typed with the one-character "ë", nor the other way
-- round, and an address lost its accented letters in one form and kept them in the other.
-- The function's index and the address index are rebuilt on the new expressions.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION debt_compared_names(names TEXT[]) RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(lower(btrim(regexp_replace(normalize(n, NFKC), '\s+', ' ', 'g')))), '{}') FROM unnest(names) AS n
$$;
-- +goose StatementEnd
REINDEX INDEX debt_personal_names;
DROP INDEX debt_personal_address;
CREATE INDEX debt_personal_address ON debt_personal_data ((regexp_replace(lower(normalize(address, NFKD)), '[^a-z0-9]', '', 'g')));

-- +goose Down
DROP INDEX debt_personal_address;
CREATE INDEX debt_personal_address ON debt_personal_data ((regexp_replace(lower(address), '[^a-z0-9]', '', 'g')));
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION debt_compared_names(names TEXT[]) RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(lower(btrim(regexp_replace(n, '\s+', ' ', 'g')))), '{}') FROM unnest(names) AS n
$$;
-- +goose StatementEnd
REINDEX INDEX debt_personal_names;
