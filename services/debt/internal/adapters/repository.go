// Package adapters persists debt cases in PostgreSQL. The repository owns the statement:
// state, personal rows, payments, outbox messages, disclosure log rows and audit rows
// commit together.
package adapters

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/debt/internal/app"
	"casework.dev/services/debt/internal/domain"
)

// Repository implements app.Repository over PostgreSQL.
type Repository struct {
	// Register is the restriction register and the disclosure log as the rights service's
	// requests read and change them.
	rightsdata.Register
	db       *sqlx.DB
	prepared *postgres.Prepared // the hot path's statements, planned once per connection
	store    casestore.Store
}

// NewRepository builds the repository; relay may be nil (the relay's poll still runs).
func NewRepository(db *sqlx.DB, relay casestore.Notifier) *Repository {
	prepared := postgres.NewPrepared(db, 256)
	return &Repository{Register: rightsdata.Register{DB: db, Table: "debt_cases", Chain: chain, AuditPrefix: "case.", NotFound: domain.ErrNotFound},
		db: db, prepared: prepared, store: casestore.Store{Kind: domain.Kind, DB: prepared, Relay: relay}}
}

var _ app.Repository = (*Repository)(nil)

func chain(id string) string { return "debt_case:" + id }

func (r *Repository) notify() {
	if r.store.Relay != nil {
		r.store.Relay.Notify()
	}
}

// Client reads one client (tenant).
func (r *Repository) Client(ctx context.Context, id string) (domain.Client, error) {
	var row struct {
		ID              string `db:"id"`
		Council         string `db:"council"`
		DebtType        string `db:"debt_type"`
		Name            string `db:"name"`
		CreditorIsAgent bool   `db:"creditor_is_agent"`
	}
	err := sqlx.GetContext(ctx, r.prepared, &row, `SELECT id, council, debt_type, name, creditor_is_agent FROM debt_clients WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.Client{}, domain.ErrUnknownClient
	}
	if err != nil {
		return domain.Client{}, fmt.Errorf("client %s: %w", id, err)
	}
	return domain.Client{ID: row.ID, Council: row.Council, DebtType: row.DebtType, Name: row.Name, CreditorIsAgent: row.CreditorIsAgent}, nil
}

// IsClientCouncil reports whether recipient is the council of some client.
func (r *Repository) IsClientCouncil(ctx context.Context, recipient string) (bool, error) {
	var is bool
	if err := sqlx.GetContext(ctx, r.prepared, &is, `SELECT EXISTS (SELECT 1 FROM debt_clients WHERE council = $1)`, recipient); err != nil {
		return false, fmt.Errorf("client council %s: %w", recipient, err)
	}
	return is, nil
}

// ExistingReferences maps the client references already referred to their case ids.
func (r *Repository) ExistingReferences(ctx context.Context, clientID string, refs []string) (map[string]string, error) {
	out := make(map[string]string, len(refs))
	if len(refs) == 0 {
		return out, nil
	}
	// Planned for each batch, never prepared: a plan cached while the table was small scans it
	// whole for every batch of a large upload instead of probing its unique index.
	rows, err := r.db.QueryContext(ctx, `SELECT client_reference, id FROM debt_cases WHERE client_id = $1 AND client_reference = ANY($2::text[])`,
		clientID, pq.Array(refs))
	if err != nil {
		return nil, fmt.Errorf("existing client references: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ref, id string
		if err := rows.Scan(&ref, &id); err != nil {
			return nil, fmt.Errorf("existing client references: %w", err)
		}
		out[ref] = id
	}
	return out, rows.Err()
}

// NextReferences takes n case references for the year, e.g. DEBT-2026-000001.
func (r *Repository) NextReferences(ctx context.Context, year, n int) ([]string, error) {
	if n == 0 {
		return nil, nil
	}
	var seqs []int64
	if err := r.db.SelectContext(ctx, &seqs, `SELECT nextval('debt_case_reference_seq') FROM generate_series(1, $1)`, n); err != nil {
		return nil, fmt.Errorf("next case references: %w", err)
	}
	out := make([]string, len(seqs))
	for i, s := range seqs {
		out[i] = fmt.Sprintf("DEBT-%d-%06d", year, s)
	}
	return out, nil
}

// AddMany stores new cases in one statement; app.ErrDuplicate if a client reference was
// taken meanwhile or PostgreSQL ended the statement as a lost race (postgres.IsLostRace),
// and then nothing is stored.
func (r *Repository) AddMany(ctx context.Context, cases []*domain.Case, changes []app.Change) error {
	for _, c := range cases {
		c.Version = 1
	}
	err := postgres.InTx(ctx, r.db, func(tx *sqlx.Tx) error { return insertCases(ctx, tx, cases, changes) })
	// A reference taken meanwhile, or a deadlock with another batch: a race lost, read again.
	if postgres.IsUniqueViolation(err, "debt_cases_client_id_client_reference_key") || postgres.IsLostRace(err) {
		return app.ErrDuplicate
	}
	if err != nil {
		return fmt.Errorf("insert cases: %w", err)
	}
	r.notify()
	return nil
}

// Update reads the case, lets fn change it, and saves what changed with fn's event,
// disclosures and audit row in one statement that applies only if nobody else wrote the
// case meanwhile; otherwise it reads again and retries fn. If fn fails, nothing is written.
func (r *Repository) Update(ctx context.Context, id string, fn func(c *domain.Case) (app.Change, error)) (*domain.Case, error) {
	return casestore.Update(ctx, r.store, id, casestore.LoadTwice(func(ctx context.Context) (loadedRow, error) {
		return loadRow(ctx, r.prepared, id)
	}, loadedRow.toDomain), fn, updateStatement)
}

// Read loads a case with its personal data.
func (r *Repository) Read(ctx context.Context, id string) (*domain.Case, error) {
	row, err := loadRow(ctx, r.prepared, id)
	if err != nil {
		return nil, err
	}
	return row.toDomain()
}

// Audit appends one entry to the case's trail.
func (r *Repository) Audit(ctx context.Context, id, actor, action string, at time.Time, detail map[string]any) error {
	return postgres.InTx(ctx, r.db, func(tx *sqlx.Tx) error {
		return audit.Append(ctx, tx, audit.Entry{Chain: chain(id), At: at, Actor: actor, Action: action, Subject: id, Detail: detail})
	})
}

const loadSQL = `
SELECT c.id, c.reference, c.client_id, c.client_reference, c.debt_type, c.order_kind, c.order_date::text AS order_date,
    c.order_reference, c.debt_pence, c.stage, c.status, c.referred_at, c.schedule, c.notice, c.control_limit::text AS control_limit,
    c.fees, c.visits, c.goods_controlled, c.sale_notice, c.arrangement, c.arrangement_reviews, c.next_instalment_check::text AS next_instalment_check,
    c.vulnerabilities, c.returned, c.closed_at, c.retention_due::text AS retention_due, c.legal_hold, c.erased_at, c.version,
    p.debtor_names, p.address, p.phone, p.email, p.gender, p.employment, p.vehicle_registration, p.financial_information,
    p.reported_vulnerability, p.vulnerability_natures, p.reported_vulnerable_debtor, p.arrangement_review_reasons,
    (SELECT coalesce(json_agg(json_build_object('id', x.id, 'received_at', x.received_at, 'source', x.source,
        'amount_pence', x.amount_pence, 'to_debt_pence', x.to_debt_pence, 'to_compliance_pence', x.to_compliance_pence,
        'to_enforcement_pence', x.to_enforcement_pence, 'to_sale_pence', x.to_sale_pence, 'refund_pence', x.refund_pence,
        'rule', x.rule, 'recorded_by', x.recorded_by) ORDER BY x.received_at, x.id), '[]')
     FROM debt_payments x WHERE x.case_id = c.id) AS payments,
    (SELECT coalesce(json_agg(json_build_object('debtor', k.debtor, 'recipient', k.recipient, 'given_at', k.given_at,
        'recorded_by', k.recorded_by, 'withdrawn_at', k.withdrawn_at) ORDER BY k.debtor NULLS FIRST, k.recipient), '[]')
     FROM debt_consents k WHERE k.case_id = c.id) AS consents,
    (SELECT coalesce(json_agg(json_build_object('disclosure_id', n.disclosure_id, 'debtor', n.debtor, 'recipient', n.recipient, 'found_by', n.found_by,
        'found_at', n.found_at, 'reason', n.reason) ORDER BY n.found_at, n.disclosure_id), '[]')
     FROM debt_necessity_findings n WHERE n.case_id = c.id) AS necessity
FROM debt_cases c LEFT JOIN debt_personal_data p ON p.case_id = c.id
WHERE c.id = $1`

func loadRow(ctx context.Context, q sqlx.QueryerContext, id string) (loadedRow, error) {
	var row loadedRow
	return row, casestore.GetCase(ctx, q, &row, domain.ErrNotFound, loadSQL, id)
}
