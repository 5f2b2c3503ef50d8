-- +goose Up
-- The retention schedule's "6+1 years" is the year a case closes in plus six years: its
-- personal data is kept to 31 December six years after the year it closed in (London) and
-- erased on 1 January after (domain.RetentionDue). It was kept seven years from the day of
-- closure, which is never earlier than that and up to a year later.
--
-- A case not yet erased is kept no longer than the schedule allows: its retention_due moves
-- to the schedule's day where that is earlier (for every case but one closed on 1 January,
-- whose day is the same), never later. One the new day makes due is erased by the next
-- retention sweep, unless a legal hold keeps it; an erasure on request from that day is no
-- longer refused on the schedule. A closed case without a retention_due (none should be)
-- would never be erased, so it is given one. An erased case keeps the day it was erased
-- under, as its audit trail records.
UPDATE debt_cases
    SET retention_due = make_date(extract(year FROM closed_at AT TIME ZONE 'Europe/London')::int + 6, 12, 31) + 1
    WHERE closed_at IS NOT NULL AND erased_at IS NULL
      AND (retention_due IS NULL
           OR make_date(extract(year FROM closed_at AT TIME ZONE 'Europe/London')::int + 6, 12, 31) + 1 < retention_due);

-- +goose Down
-- Nothing is put back: the days before kept personal data longer than the schedule allows,
-- and the service before keeps a retention_due it finds as it is.
