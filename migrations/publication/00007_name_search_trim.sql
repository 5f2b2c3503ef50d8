-- +goose Up
-- A name's normalised form (casework.dev/pkg/rightsdata NameSQL) now folds runs of white
-- space into one space before it trims: it trimmed first, and only spaces, so a name kept
-- as sent with a tab or a newline at an end read "ada lovelace " and missed its own subject
-- access search. The index is rebuilt on the new expression.
DROP INDEX publication_personal_name;
CREATE INDEX publication_personal_name ON publication_personal_data ((lower(btrim(regexp_replace(name, '\s+', ' ', 'g')))));

-- +goose Down
DROP INDEX publication_personal_name;
CREATE INDEX publication_personal_name ON publication_personal_data ((lower(regexp_replace(btrim(name), '\s+', ' ', 'g'))));
