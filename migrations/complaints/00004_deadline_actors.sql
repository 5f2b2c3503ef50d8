-- +goose Up
-- Who met or extended each deadline: stage 2 independence is checked against the officers
-- who acted on stage 1 (acknowledged, extended, responded), not only the one assigned.
-- Existing deadlines take their actors from the case's audit trail, where every action
-- is recorded with who did it.
ALTER TABLE complaint_deadlines ADD COLUMN met_by TEXT, ADD COLUMN extended_by TEXT;

UPDATE complaint_deadlines d SET met_by = (
    SELECT a.actor FROM audit_log a
    WHERE a.chain = 'complaint:' || d.complaint_id AND a.action = CASE
        WHEN d.kind = 'acknowledge' THEN 'complaint.stage' || d.stage || '.acknowledged'
        WHEN d.kind = 'respond' THEN 'complaint.stage' || d.stage || '.responded'
        WHEN d.kind LIKE 'enquiry:%' THEN 'complaint.stage3.enquiry_responded'
        ELSE 'complaint.stage3.remedy_complied' END
      AND (d.kind IN ('acknowledge', 'respond')
        OR (a.detail ->> CASE WHEN d.kind LIKE 'enquiry:%' THEN 'enquiry' ELSE 'remedy' END) = split_part(d.kind, ':', 2))
    ORDER BY a.seq LIMIT 1)
WHERE d.met_at IS NOT NULL;

UPDATE complaint_deadlines d SET extended_by = (
    SELECT a.actor FROM audit_log a
    WHERE a.chain = 'complaint:' || d.complaint_id AND a.action = 'complaint.stage' || d.stage || '.extended'
    ORDER BY a.seq LIMIT 1)
WHERE d.kind = 'respond' AND jsonb_array_length(coalesce(d.computation -> 'extensions', '[]')) > 0;

-- +goose Down
ALTER TABLE complaint_deadlines DROP COLUMN extended_by, DROP COLUMN met_by;
