-- +goose Up
-- Debt recovery (Mid Kent Enforcement). The case row holds only anonymous facts (amounts,
-- stages, dates, outcomes); the debtor's personal data lives in debt_personal_data and
-- debt_consents, which retention erasure deletes. Payments are anonymous rows kept for
-- remittance and statistics.
CREATE TABLE debt_clients (
    id                TEXT PRIMARY KEY,
    council           TEXT NOT NULL, -- the council's recipient id in the notice
    debt_type         TEXT NOT NULL,
    name              TEXT NOT NULL,
    creditor_is_agent BOOLEAN NOT NULL DEFAULT false -- Fees Regulations 2014 reg 13(5)
);

INSERT INTO debt_clients (id, council, debt_type, name) VALUES
    ('maidstone-council-tax', 'maidstone-borough-council', 'council_tax', 'Maidstone Borough Council, council tax'),
    ('maidstone-business-rates', 'maidstone-borough-council', 'business_rates', 'Maidstone Borough Council, business rates'),
    ('maidstone-parking', 'maidstone-borough-council', 'pcn', 'Maidstone Borough Council, penalty charge notices'),
    ('maidstone-sundry', 'maidstone-borough-council', 'sundry', 'Maidstone Borough Council, sundry debts'),
    ('swale-council-tax', 'swale-borough-council', 'council_tax', 'Swale Borough Council, council tax'),
    ('swale-business-rates', 'swale-borough-council', 'business_rates', 'Swale Borough Council, business rates'),
    ('swale-parking', 'swale-borough-council', 'pcn', 'Swale Borough Council, penalty charge notices'),
    ('tunbridge-wells-council-tax', 'tunbridge-wells-borough-council', 'council_tax', 'Tunbridge Wells Borough Council, council tax'),
    ('tunbridge-wells-business-rates', 'tunbridge-wells-borough-council', 'business_rates', 'Tunbridge Wells Borough Council, business rates'),
    ('tunbridge-wells-parking', 'tunbridge-wells-borough-council', 'pcn', 'Tunbridge Wells Borough Council, penalty charge notices');

CREATE SEQUENCE debt_case_reference_seq;

CREATE TABLE debt_cases (
    id                   UUID PRIMARY KEY,
    reference            TEXT NOT NULL UNIQUE,
    client_id            TEXT NOT NULL REFERENCES debt_clients (id),
    client_reference     TEXT NOT NULL,
    debt_type            TEXT NOT NULL,
    order_kind           TEXT NOT NULL,
    order_date           DATE NOT NULL,
    order_reference      TEXT NOT NULL,
    debt_pence           BIGINT NOT NULL CHECK (debt_pence > 0),
    stage                TEXT NOT NULL,
    status               TEXT NOT NULL,
    referred_at          TIMESTAMPTZ NOT NULL,
    schedule             JSONB NOT NULL, -- the fee schedule and how it was chosen
    notice               JSONB NOT NULL, -- notice of enforcement with its computed dates
    control_limit        DATE NOT NULL,  -- last day to take control (reg 9), for the sweep
    fees                 JSONB NOT NULL DEFAULT '[]',
    visits               JSONB NOT NULL DEFAULT '[]',
    goods_controlled     JSONB,
    sale_notice          JSONB,
    arrangement          JSONB,
    next_instalment_check DATE,
    vulnerability        JSONB,          -- the flag and its review; the nature is personal data
    returned             JSONB,
    closed_at            TIMESTAMPTZ,
    retention_due        DATE,
    legal_hold           JSONB,
    erased_at            TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    version              INT NOT NULL,
    UNIQUE (client_id, client_reference)
);
CREATE INDEX debt_cases_open_limit ON debt_cases (control_limit) WHERE closed_at IS NULL AND goods_controlled IS NULL;
CREATE INDEX debt_cases_instalment ON debt_cases (next_instalment_check) WHERE next_instalment_check IS NOT NULL;
CREATE INDEX debt_cases_retention ON debt_cases (retention_due) WHERE erased_at IS NULL AND retention_due IS NOT NULL;

CREATE TABLE debt_personal_data (
    case_id                UUID PRIMARY KEY REFERENCES debt_cases (id),
    debtor_names           TEXT[] NOT NULL,
    address                TEXT NOT NULL,
    phone                  TEXT NOT NULL DEFAULT '',
    email                  TEXT NOT NULL DEFAULT '',
    gender                 TEXT NOT NULL DEFAULT '',
    employment             TEXT NOT NULL DEFAULT '',
    vehicle_registration   TEXT NOT NULL DEFAULT '',
    financial_information  TEXT NOT NULL DEFAULT '',
    reported_vulnerability TEXT NOT NULL DEFAULT '',
    vulnerability_nature   TEXT NOT NULL DEFAULT '' -- special category
);

CREATE TABLE debt_consents (
    case_id      UUID NOT NULL REFERENCES debt_cases (id),
    recipient    TEXT NOT NULL,
    given_at     TIMESTAMPTZ NOT NULL,
    recorded_by  TEXT NOT NULL,
    withdrawn_at TIMESTAMPTZ,
    PRIMARY KEY (case_id, recipient)
);

CREATE TABLE debt_payments (
    id                   UUID PRIMARY KEY,
    case_id              UUID NOT NULL REFERENCES debt_cases (id),
    client_id            TEXT NOT NULL REFERENCES debt_clients (id),
    received_at          TIMESTAMPTZ NOT NULL,
    source               TEXT NOT NULL,
    amount_pence         BIGINT NOT NULL CHECK (amount_pence > 0),
    to_debt_pence        BIGINT NOT NULL,
    to_compliance_pence  BIGINT NOT NULL,
    to_enforcement_pence BIGINT NOT NULL,
    to_sale_pence        BIGINT NOT NULL,
    refund_pence         BIGINT NOT NULL,
    rule                 TEXT NOT NULL,
    recorded_by          TEXT NOT NULL,
    CHECK (amount_pence = to_debt_pence + to_compliance_pence + to_enforcement_pence + to_sale_pence + refund_pence)
);
CREATE INDEX debt_payments_client ON debt_payments (client_id, received_at);
CREATE INDEX debt_payments_case ON debt_payments (case_id);

-- +goose Down
DROP TABLE debt_payments;
DROP TABLE debt_consents;
DROP TABLE debt_personal_data;
DROP TABLE debt_cases;
DROP SEQUENCE debt_case_reference_seq;
DROP TABLE debt_clients;
