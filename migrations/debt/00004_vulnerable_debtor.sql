-- +goose Up
-- A vulnerability concerns one debtor, and a case may name up to four jointly liable ones:
-- each vulnerability names whose it is (a position in debtor_names, from 1), so a debtor's
-- subject access answer and a referral to the welfare team carry that debtor's only. Whose
-- health is at issue is personal data, so it is kept with the personal data and erased
-- with it. NULL: not known, for a vulnerability recorded on a joint case before it had to
-- name its debtor (no one debtor is told of it then).
ALTER TABLE debt_personal_data
    ADD COLUMN vulnerable_debtor SMALLINT CHECK (vulnerable_debtor BETWEEN 1 AND 4),         -- the flag's (and its nature's)
    ADD COLUMN reported_vulnerable_debtor SMALLINT CHECK (reported_vulnerable_debtor BETWEEN 1 AND 4); -- the client's report's
ALTER TABLE debt_necessity_findings
    ADD COLUMN debtor SMALLINT CHECK (debtor BETWEEN 1 AND 4); -- whose data the welfare team was found to need

-- A case of one debtor: every vulnerability already recorded is theirs.
UPDATE debt_personal_data p SET vulnerable_debtor = 1
    FROM debt_cases c WHERE c.id = p.case_id AND c.vulnerability IS NOT NULL AND cardinality(p.debtor_names) = 1;
UPDATE debt_personal_data SET reported_vulnerable_debtor = 1
    WHERE reported_vulnerability <> '' AND cardinality(debtor_names) = 1;
UPDATE debt_necessity_findings n SET debtor = 1
    FROM debt_personal_data p WHERE p.case_id = n.case_id AND cardinality(p.debtor_names) = 1;

-- +goose Down
ALTER TABLE debt_necessity_findings DROP COLUMN debtor;
ALTER TABLE debt_personal_data DROP COLUMN reported_vulnerable_debtor, DROP COLUMN vulnerable_debtor;
