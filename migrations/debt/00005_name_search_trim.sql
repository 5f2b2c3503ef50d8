-- +goose Up
-- A name's normalised form (casework.dev/pkg/rightsdata NameSQL) now folds runs of white
-- space into one space before it trims: it trimmed first, and only spaces, so a name kept
-- as sent with a tab or a newline at an end read "ada lovelace " and missed its own subject
-- access search. The function's index is rebuilt on its new body.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION debt_compared_names(names TEXT[]) RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(lower(btrim(regexp_replace(n, '\s+', ' ', 'g')))), '{}') FROM unnest(names) AS n
$$;
-- +goose StatementEnd
REINDEX INDEX debt_personal_names;

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION debt_compared_names(names TEXT[]) RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(lower(regexp_replace(btrim(n), '\s+', ' ', 'g'))), '{}') FROM unnest(names) AS n
$$;
-- +goose StatementEnd
REINDEX INDEX debt_personal_names;
