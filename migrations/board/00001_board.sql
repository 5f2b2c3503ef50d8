-- The managers' board: its read model of the status events of every service. Status events
-- carry no personal data, and so neither does anything here.

-- +goose Up
CREATE TABLE board_cases (
    service         text        NOT NULL,
    reference       text        NOT NULL,
    stage           text        NOT NULL,  -- stage1..3 for a complaint, the area for an investigation
    status          text        NOT NULL,
    team            text        NOT NULL DEFAULT '',
    closed          boolean     NOT NULL,
    next_due_at     timestamptz,           -- earliest deadline still running
    respond_due_at  timestamptz,           -- the stage's response deadline while it runs
    overdue         text[]      NOT NULL DEFAULT '{}',
    last_change     text        NOT NULL,
    last_at         timestamptz NOT NULL,
    last_event_id   text        NOT NULL,
    PRIMARY KEY (service, reference)
);
CREATE INDEX board_cases_open ON board_cases (service, stage) WHERE NOT closed;

-- One row per stage response, judged against the deadline that was running.
CREATE TABLE board_answers (
    service      text        NOT NULL,
    reference    text        NOT NULL,
    stage        text        NOT NULL,
    answered_at  timestamptz NOT NULL,
    due_at       timestamptz,
    on_time      boolean     NOT NULL,
    PRIMARY KEY (service, reference, stage)
);
CREATE INDEX board_answers_when ON board_answers (service, answered_at);

-- +goose Down
DROP TABLE board_answers;
DROP TABLE board_cases;
