-- What a case's next deadline is due for, where its service names it, and the date a record
-- kept after its case closed is next reviewed: a rights breach's report to the ICO or the
-- review of its record. Names and dates only, no personal data.

-- +goose Up
ALTER TABLE board_cases
    ADD COLUMN next_due      text NOT NULL DEFAULT '',  -- e.g. ico_report, review; '' unnamed
    ADD COLUMN review_due_on date;                      -- a breach record's next review

-- The breaches already held: the one deadline their events carried was the report to the
-- ICO, and the sweep's overdue flag said so as "due". A breach already due for review gets
-- its date with the rights service's next status event for it.
UPDATE board_cases SET next_due = 'ico_report'
    WHERE service = 'rights' AND stage = 'breach' AND next_due_at IS NOT NULL;
UPDATE board_cases SET overdue = array_replace(overdue, 'due', 'ico_report')
    WHERE service = 'rights' AND stage = 'breach';

-- +goose Down
UPDATE board_cases SET overdue = array_replace(overdue, 'ico_report', 'due')
    WHERE service = 'rights' AND stage = 'breach';
ALTER TABLE board_cases DROP COLUMN review_due_on, DROP COLUMN next_due;
