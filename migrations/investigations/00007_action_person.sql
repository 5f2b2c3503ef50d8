-- +goose Up
-- An enforcement action names the person it is addressed to (a person in the subject role),
-- and a community protection warning the date by which the conduct must change: a notice
-- may be issued to a person only after a warning to them whose date has passed
-- (Anti-social Behaviour, Crime and Policing Act 2014 s43(5)). Both are NULL for an action
-- naming no one and no date. Rows written before have neither: the service reads such a
-- warning as one to every subject of its case with its time already given, so a case that
-- had a warning is not blocked from its notice.
ALTER TABLE investigation_actions
    ADD COLUMN person_id TEXT,
    ADD COLUMN comply_by DATE;

-- +goose Down
ALTER TABLE investigation_actions
    DROP COLUMN comply_by,
    DROP COLUMN person_id;
