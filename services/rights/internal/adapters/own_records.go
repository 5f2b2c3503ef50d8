package adapters

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/rightsdata"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
)

// OwnRecords implements app.OwnRecords over PostgreSQL: the first filter of a search of the
// service's own requests, and the restriction register and disclosure log beside them, one
// register per table.
type OwnRecords struct {
	db       *sqlx.DB
	requests rightsdata.Register
	foi      rightsdata.Register
	breaches rightsdata.Register
}

// NewOwnRecords reads and restricts the rights and FOI/EIR requests in db.
func NewOwnRecords(db *sqlx.DB) *OwnRecords {
	return &OwnRecords{db: db,
		requests: rightsdata.Register{DB: db, Table: "rights_requests", Chain: chain, AuditPrefix: "request.", NotFound: domain.ErrNotFound},
		foi:      rightsdata.Register{DB: db, Table: "rights_foi_requests", Chain: chain, AuditPrefix: "foi.", NotFound: domain.ErrFOINotFound},
		breaches: rightsdata.Register{DB: db, Table: "rights_breaches", Chain: chain, AuditPrefix: "breach.", NotFound: domain.ErrBreachNotFound}}
}

var _ app.OwnRecords = (*OwnRecords)(nil)

// FindRequests: the requester's details, or the identifiers the request gave of its
// subject, or its reference; never the request except, nor one erased.
func (o *OwnRecords) FindRequests(ctx context.Context, w rightsdata.Wanted, except string, limit int) ([]string, error) {
	query := `SELECT c.id FROM rights_requests c JOIN rights_request_personal_data p ON p.request_id = c.id
		WHERE c.erased_at IS NULL AND c.id::text <> $7 AND (` +
		rightsdata.PersonFilterSQL("p.requester->>'name'", "p.requester->>'email'", "p.requester->>'phone'", "p.requester->>'address'") +
		` OR ` + rightsdata.PersonFilterSQL("p.subject->>'name'", "p.subject->>'email'", "p.subject->>'phone'", "p.subject->>'address'") +
		` OR c.reference = ANY($5))
		ORDER BY c.received_at, c.id LIMIT $6`
	return o.ids(ctx, "rights requests", query, w, limit, except)
}

// FindFOI: the requester's details, or the request's reference; never one erased.
func (o *OwnRecords) FindFOI(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error) {
	query := `SELECT c.id FROM rights_foi_requests c JOIN rights_foi_personal_data p ON p.request_id = c.id
		WHERE c.erased_at IS NULL AND (` +
		rightsdata.PersonFilterSQL("p.requester->>'name'", "p.requester->>'email'", "p.requester->>'phone'", "p.requester->>'address'") +
		` OR c.reference = ANY($5))
		ORDER BY c.received_at, c.id LIMIT $6`
	return o.ids(ctx, "FOI/EIR requests", query, w, limit)
}

// FindBreaches: who reported the breach, or one of the people it affected, or its
// reference; never one whose personal data the DPO's review erased.
func (o *OwnRecords) FindBreaches(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error) {
	query := `SELECT c.id FROM rights_breaches c JOIN rights_breach_personal_data p ON p.breach_id = c.id
		WHERE c.erased_at IS NULL AND (` +
		rightsdata.PersonFilterSQL("p.reported_by->>'name'", "p.reported_by->>'email'", "p.reported_by->>'phone'", "p.reported_by->>'address'") +
		` OR EXISTS (SELECT 1 FROM jsonb_array_elements(p.affected_contacts) a WHERE ` +
		rightsdata.PersonFilterSQL("a->>'name'", "a->>'email'", "a->>'phone'", "a->>'address'") + `)
		OR c.reference = ANY($5))
		ORDER BY c.discovered_at, c.id LIMIT $6`
	return o.ids(ctx, "breaches", query, w, limit)
}

func (o *OwnRecords) ids(ctx context.Context, what, query string, w rightsdata.Wanted, limit int, extra ...any) ([]string, error) {
	args := append([]any{w.Name, w.Email, w.Phone, w.Address, pq.StringArray(w.References), limit}, extra...)
	var ids []string
	if err := o.db.SelectContext(ctx, &ids, query, args...); err != nil {
		return nil, fmt.Errorf("rights search in %s: %w", what, err)
	}
	return ids, nil
}

// LoggedDisclosures reads the disclosure log rows of one data subject, oldest first.
func (o *OwnRecords) LoggedDisclosures(ctx context.Context, dataSubject string) ([]rightsdata.Disclosure, error) {
	return o.requests.LoggedDisclosures(ctx, dataSubject)
}

// Restrictions returns the restrictions of the records named, by record id.
func (o *OwnRecords) Restrictions(ctx context.Context, recordIDs []string) (map[string]rightsdata.Restriction, error) {
	return o.requests.Restrictions(ctx, recordIDs)
}

// Restrict places r in the register of the table its record is in.
func (o *OwnRecords) Restrict(ctx context.Context, r rightsdata.Restriction, actor string) (bool, error) {
	return o.register(r.RecordID).Restrict(ctx, r, actor)
}

// Lift lifts the restriction of a record of caseID.
func (o *OwnRecords) Lift(ctx context.Context, caseID, recordID, actor string, at time.Time) (bool, error) {
	return o.register(recordID).Lift(ctx, caseID, recordID, actor, at)
}

func (o *OwnRecords) register(recordID string) rightsdata.Register {
	switch {
	case strings.HasPrefix(recordID, app.OwnFOIPrefix):
		return o.foi
	case strings.HasPrefix(recordID, app.OwnBreachPrefix):
		return o.breaches
	}
	return o.requests
}
