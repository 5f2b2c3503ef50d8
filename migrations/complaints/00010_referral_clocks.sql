-- +goose Up
-- A stage 1 or 2 deadline stops applying, unmet, when the Ombudsman decides a complaint
-- referred while the stage ran, or when a referral finds it left unmet by a stage already
-- over (ended_at). While the Ombudsman has the complaint the stage's clock is stopped (a
-- pause in the computation); the queries count a deadline as running only at the
-- complaint's own stage, which covers the rows saved before clocks stopped. Those rows get
-- their pause from the service's sweep (SettleReferralDeadlines), not here: a pause is
-- counted in working days with the bank-holiday table, which SQL does not have.
ALTER TABLE complaint_deadlines ADD COLUMN ended_at TIMESTAMPTZ;
DROP INDEX complaint_deadlines_running;
CREATE INDEX complaint_deadlines_running ON complaint_deadlines (due_at)
    WHERE met_at IS NULL AND overdue_at IS NULL AND ended_at IS NULL;

-- +goose Down
DROP INDEX complaint_deadlines_running;
CREATE INDEX complaint_deadlines_running ON complaint_deadlines (due_at) WHERE met_at IS NULL AND overdue_at IS NULL;
ALTER TABLE complaint_deadlines DROP COLUMN ended_at;
