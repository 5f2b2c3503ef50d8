-- +goose Up
-- Finding a person for a rights request (services/debt answers rights.debt.find) compares
-- identifiers in the normalised forms of casework.dev/pkg/rightsdata; these indexes serve
-- each. A case may name up to four joint debtors, so their names are compared as an array.
-- +goose StatementBegin
CREATE FUNCTION debt_compared_names(names TEXT[]) RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(lower(regexp_replace(btrim(n), '\s+', ' ', 'g'))), '{}') FROM unnest(names) AS n
$$;
-- +goose StatementEnd
CREATE INDEX debt_personal_names ON debt_personal_data USING gin (debt_compared_names(debtor_names));
CREATE INDEX debt_personal_email ON debt_personal_data ((lower(btrim(email))));
CREATE INDEX debt_personal_phone ON debt_personal_data ((regexp_replace(regexp_replace(phone, '[^0-9]', '', 'g'), '^44', '0')));
CREATE INDEX debt_personal_address ON debt_personal_data ((regexp_replace(lower(address), '[^a-z0-9]', '', 'g')));
CREATE INDEX debt_cases_client_reference ON debt_cases ((upper(client_reference)));
CREATE INDEX debt_cases_order_reference ON debt_cases ((upper(order_reference)));

-- +goose Down
DROP INDEX debt_cases_order_reference;
DROP INDEX debt_cases_client_reference;
DROP INDEX debt_personal_address;
DROP INDEX debt_personal_phone;
DROP INDEX debt_personal_email;
DROP INDEX debt_personal_names;
DROP FUNCTION debt_compared_names(TEXT[]);
