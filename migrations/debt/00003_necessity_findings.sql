-- +goose Up
-- An officer's recorded finding that the council's welfare team needs a debtor's data,
-- health data included (the notice's recorded_necessity condition): who found it, when and
-- why, tied to the disclosure it allowed, so the DPO can see it. The reason is personal
-- data: retention erasure deletes it with the debtor's other rows.
CREATE TABLE debt_necessity_findings (
    disclosure_id UUID PRIMARY KEY,
    case_id       UUID NOT NULL REFERENCES debt_cases (id),
    recipient     TEXT NOT NULL,
    found_by      TEXT NOT NULL,
    found_at      TIMESTAMPTZ NOT NULL,
    reason        TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000)
);
CREATE INDEX debt_necessity_findings_case ON debt_necessity_findings (case_id, found_at);

-- +goose Down
DROP TABLE debt_necessity_findings;
