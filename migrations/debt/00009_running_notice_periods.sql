-- +goose Up
-- A newly announced bank holiday moves the notice periods still running (open cases in the
-- compliance stage): the sweep looks for those counted with another bank holiday table.
CREATE INDEX debt_cases_running_notice ON debt_cases (referred_at)
    WHERE closed_at IS NULL AND stage = 'compliance';

-- +goose Down
DROP INDEX debt_cases_running_notice;
