-- +goose Up
-- Stage 3: the complaint taken to the Local Government and Social Care Ombudsman.
-- The anonymous facts (the Ombudsman's reference, dates, warnings, decision outcome, which
-- enquiries and remedies there were) go on the case row and stay after retention erasure;
-- the free text (why the complainant is still dissatisfied, the Ombudsman's questions, the
-- titles of documents sent, remedies, the decision summary, the necessity finding) goes
-- with the personal data, so erasure deletes it.
ALTER TABLE complaints DROP CONSTRAINT complaints_stage_check;
ALTER TABLE complaints ADD CONSTRAINT complaints_stage_check CHECK (stage IN (1, 2, 3));
ALTER TABLE complaints ADD COLUMN stage3 JSONB;
ALTER TABLE complaint_personal_data ADD COLUMN stage3 JSONB;

-- Stage 3 deadlines: the response to each Ombudsman enquiry (enquiry:<n>) and compliance
-- with each remedy (remedy:<n>), both dates the Ombudsman set.
ALTER TABLE complaint_deadlines DROP CONSTRAINT complaint_deadlines_kind_check;
ALTER TABLE complaint_deadlines ADD CONSTRAINT complaint_deadlines_kind_check
    CHECK (kind IN ('acknowledge', 'respond') OR kind ~ '^(enquiry|remedy):[1-9][0-9]{0,2}$');

-- +goose Down
DELETE FROM complaint_deadlines WHERE kind NOT IN ('acknowledge', 'respond');
ALTER TABLE complaint_deadlines DROP CONSTRAINT complaint_deadlines_kind_check;
ALTER TABLE complaint_deadlines ADD CONSTRAINT complaint_deadlines_kind_check CHECK (kind IN ('acknowledge', 'respond'));
ALTER TABLE complaint_personal_data DROP COLUMN stage3;
ALTER TABLE complaints DROP COLUMN stage3;
ALTER TABLE complaints DROP CONSTRAINT complaints_stage_check;
ALTER TABLE complaints ADD CONSTRAINT complaints_stage_check CHECK (stage IN (1, 2));
