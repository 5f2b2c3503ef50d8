// Package adapters persists investigations in PostgreSQL. Each unit of work (state,
// outbox messages, disclosure log rows, audit row) commits in one statement.
package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/domain"
)

// Repository implements app.Repository over PostgreSQL.
type Repository struct {
	// Register is the restriction register and the disclosure log as the rights service's
	// requests read and change them.
	rightsdata.Register
	db    *sqlx.DB
	store casestore.Store
}

// NewRepository builds the repository; relay may be nil (the relay's poll still runs).
func NewRepository(db *sqlx.DB, relay casestore.Notifier) *Repository {
	return &Repository{Register: rightsdata.Register{DB: db, Table: "investigations", Chain: chain, AuditPrefix: "investigation.",
		NotFound: domain.ErrNotFound}, db: db, store: casestore.Store{Kind: domain.Kind, DB: db, Relay: relay,
		Reference: casestore.Reference{Sequence: "investigation_reference_seq", Prefix: "INV"}}}
}

// Add stores a new investigation in one statement. When the officer used the idempotency
// key before, it stores nothing and returns the id of the investigation that key created.
func (r *Repository) Add(ctx context.Context, c *domain.Investigation, key casework.IdempotencyKey, ch app.Change) (string, error) {
	return r.store.Add(ctx, c.ID, c.ReceivedAt, key, ch.At, insertion(c, ch))
}

// Update reads the case, lets fn change it, and saves what changed with fn's event,
// disclosures and audit row in one statement that applies only if nobody else wrote the
// case meanwhile; otherwise it reads again and retries fn. If fn fails, nothing is written.
func (r *Repository) Update(ctx context.Context, id string, fn func(c *domain.Investigation) (app.Change, error)) (*domain.Investigation, error) {
	return casestore.Update(ctx, r.store, id, r.readTwice(id), fn, updateStatement)
}

// readTwice reads the investigation's rows once into two copies: as stored, and for fn.
func (r *Repository) readTwice(id string) casestore.Load[*domain.Investigation] {
	return func(ctx context.Context) (*domain.Investigation, *domain.Investigation, error) {
		rows, err := loadRows(ctx, r.db, id)
		if err != nil {
			return nil, nil, err
		}
		return rows.toDomain(), rows.toDomain(), nil
	}
}

// Load reads one investigation.
func (r *Repository) Load(ctx context.Context, id string) (*domain.Investigation, error) {
	rows, err := loadRows(ctx, r.db, id)
	if err != nil {
		return nil, err
	}
	return rows.toDomain(), nil
}

const loadSQL = `
SELECT i.id, i.reference, i.area, i.scope, i.hate_crime, i.status, i.channel, i.received_at, i.created_by, i.assigned,
    i.need_to_know, i.closed_at, i.retention_due::text AS retention_due, i.retention_rule, i.retention_computation,
    i.next_erasure_due::text AS next_erasure_due, i.legal_hold, i.legal_hold_reason, i.legal_hold_set_at, i.legal_hold_set_by,
    i.outcome_kind, i.outcome_sentence_length, i.outcome_recorded_at, i.outcome_recorded_by,
    i.asb_review_triggered_at, i.asb_review_count, i.asb_review_threshold, i.asb_review_within, i.asb_review_matched_on,
    i.asb_location_key, i.asb_subject_key, i.erased_at, i.version,
    (SELECT to_jsonb(f) FROM investigation_case_file f WHERE f.investigation_id = i.id) AS case_file,
    (SELECT coalesce(jsonb_agg(to_jsonb(p) || jsonb_build_object('data', to_jsonb(d)) ORDER BY p.position), '[]')
     FROM investigation_people p LEFT JOIN investigation_person_data d USING (investigation_id, position)
     WHERE p.investigation_id = i.id) AS people,
    (SELECT coalesce(jsonb_agg(to_jsonb(t) || jsonb_build_object('content', to_jsonb(k)) ORDER BY t.class, t.position), '[]')
     FROM investigation_items t LEFT JOIN investigation_item_content k USING (investigation_id, id)
     WHERE t.investigation_id = i.id) AS items,
    (SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.position), '[]') FROM investigation_actions a WHERE a.investigation_id = i.id) AS actions,
    (SELECT coalesce(jsonb_agg(to_jsonb(k) ORDER BY k.position), '[]') FROM investigation_conditions k WHERE k.investigation_id = i.id) AS conditions
FROM investigations i WHERE i.id = $1`

func loadRows(ctx context.Context, q sqlx.QueryerContext, id string) (rowSet, error) {
	var row loadedRow
	if err := casestore.GetCase(ctx, q, &row, domain.ErrNotFound, loadSQL, id); err != nil {
		return rowSet{}, err
	}
	return row.rows()
}

// Audit appends one entry (a read, or a refused attempt) in its own transaction.
func (r *Repository) Audit(ctx context.Context, e audit.Entry) error {
	return postgres.InTx(ctx, r.db, func(tx *sqlx.Tx) error { return audit.Append(ctx, tx, e) })
}

// List returns summaries of the cases the caller may know of, by reference.
func (r *Repository) List(ctx context.Context, f app.Filter, who domain.Caller) ([]app.Summary, error) {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var out []app.Summary
	err := r.db.SelectContext(ctx, &out, `SELECT id, reference, area, scope, status, need_to_know, received_at, legal_hold,
		erased_at IS NOT NULL AS erased
		FROM investigations
		WHERE ($1 = '' OR status = $1) AND ($2 = '' OR area = $2) AND ($3 = '' OR reference > $3)
		  AND (NOT need_to_know OR $4 OR $5 = ANY(assigned))
		ORDER BY reference LIMIT $6`, f.Status, f.Area, f.After, who.Manager, who.Officer, limit)
	if err != nil {
		return nil, fmt.Errorf("list investigations: %w", err)
	}
	return out, nil
}

// DueForErasure lists cases holding an item whose retention has ended and no legal hold.
func (r *Repository) DueForErasure(ctx context.Context, today calendar.Date, limit int) ([]string, error) {
	var ids []string
	err := r.db.SelectContext(ctx, &ids, `SELECT id FROM investigations
		WHERE next_erasure_due <= $1 AND NOT legal_hold ORDER BY next_erasure_due LIMIT $2`, today.String(), limit)
	if err != nil {
		return nil, fmt.Errorf("investigations due for erasure: %w", err)
	}
	return ids, nil
}

// CountASB counts anti-social behaviour reports received in [from, to] with the key.
func (r *Repository) CountASB(ctx context.Context, key app.ASBKey, from, to time.Time) (int, bool, error) {
	column, value := "asb_location_key", key.Location
	if key.Subject != "" {
		column, value = "asb_subject_key", key.Subject
	}
	var row struct {
		N        int  `db:"n"`
		Reviewed bool `db:"reviewed"`
	}
	err := r.db.GetContext(ctx, &row, `SELECT count(*) AS n, coalesce(bool_or(asb_review_triggered_at IS NOT NULL), false) AS reviewed
		FROM investigations
		WHERE area = 'anti_social_behaviour' AND `+column+` = $1 AND received_at BETWEEN $2 AND $3`, value, from, to)
	if err != nil {
		return 0, false, fmt.Errorf("count anti-social behaviour reports: %w", err)
	}
	return row.N, row.Reviewed, nil
}

// CarriedPeople names, by disclosure id, the people whose data the case's disclosures carried.
func (r *Repository) CarriedPeople(ctx context.Context, caseID string) (map[string][]string, error) {
	var rows []struct {
		DisclosureID string `db:"disclosure_id"`
		PersonID     string `db:"person_id"`
	}
	if err := r.db.SelectContext(ctx, &rows, `SELECT disclosure_id, person_id FROM investigation_disclosure_people
		WHERE investigation_id = $1 ORDER BY disclosure_id, person_id`, caseID); err != nil {
		return nil, fmt.Errorf("people the disclosures of %s carried: %w", caseID, err)
	}
	out := map[string][]string{}
	for _, row := range rows {
		out[row.DisclosureID] = append(out[row.DisclosureID], row.PersonID)
	}
	return out, nil
}

// PublicationWithheld reads the case's audit trail for its conviction's event recording the
// publication disclosure withheld by a restriction, and the disclosure log for one made since.
func (r *Repository) PublicationWithheld(ctx context.Context, caseID string) (bool, error) {
	var withheld bool
	err := r.db.GetContext(ctx, &withheld, `SELECT EXISTS (SELECT 1 FROM audit_log
			WHERE subject = $1 AND chain = $2 AND action = 'investigation.outcome.recorded' AND detail->>'publication' = $3)
		AND NOT EXISTS (SELECT 1 FROM disclosure_log WHERE case_id = $1 AND recipient = $4 AND purpose = $5)`,
		caseID, chain(caseID), app.PublicationRestricted, app.PublicationRecipient, app.PublicationPurpose)
	if err != nil {
		return false, fmt.Errorf("publication withheld of %s: %w", caseID, err)
	}
	return withheld, nil
}
