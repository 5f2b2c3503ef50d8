-- +goose Up
-- A consent covers only the person who gave it (UK GDPR Art 6(1)(a) and 7): on a case of
-- joint debtors each consent names the debtor who gave it (a position in debtor_names, from
-- 1), and a disclosure resting on consent carries the data of the debtors who consented
-- alone. A debtor may give and withdraw consent to one recipient apart from the others, so
-- a case keeps one consent a debtor and recipient. Erased with the debtor's other rows.
--
-- Consents recorded before named no debtor. On a case of one debtor they are that debtor's.
-- On a joint case nothing says whose it was: taken as debtor 1's, or as every debtor's, it
-- could share a debtor's data on a consent they never gave. It is kept as recorded (the
-- evidence for the disclosures made on it, Art 7(1)) with debtor NULL, not known: nothing
-- is shared on it, staff see it without a debtor, and the officer records it again for the
-- debtor who gave it. Any debtor of the case withdrawing, or objecting to marketing, ends it
-- too, as it may be theirs. A joint case with a debtor erased at their request (a blank
-- name) is still joint: its consents stay NULL, as they may have been the erased debtor's.
ALTER TABLE debt_consents ADD COLUMN debtor SMALLINT CHECK (debtor BETWEEN 1 AND 4);
UPDATE debt_consents k SET debtor = 1
    FROM debt_personal_data p WHERE p.case_id = k.case_id AND cardinality(p.debtor_names) = 1;
ALTER TABLE debt_consents DROP CONSTRAINT debt_consents_pkey,
    ADD CONSTRAINT debt_consents_key UNIQUE NULLS NOT DISTINCT (case_id, debtor, recipient);

-- +goose Down
-- The table before kept one consent a case and recipient, and the service read it as every
-- debtor's: a joint case's consent of one debtor would go back as all of theirs, and two
-- debtors' consents to one recipient could not both go back. The migration stops rather
-- than widen a consent or drop one.
-- +goose StatementBegin
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM debt_consents k JOIN debt_personal_data p ON p.case_id = k.case_id
               WHERE k.debtor IS NOT NULL AND cardinality(p.debtor_names) > 1) THEN
        RAISE EXCEPTION 'a joint case holds one debtor''s consent: the consents table before would read it as every debtor''s';
    END IF;
END
$$;
-- +goose StatementEnd
ALTER TABLE debt_consents DROP CONSTRAINT debt_consents_key, ADD PRIMARY KEY (case_id, recipient);
ALTER TABLE debt_consents DROP COLUMN debtor;
