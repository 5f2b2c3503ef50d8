package adapters

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/publication/internal/domain"
)

// rightsRegister is rightsdata.Register under a name of its own, so the repository can
// embed it beside its Register (the public register's entries).
type rightsRegister = rightsdata.Register

// findOffendersSQL is the first filter of a rights search, in the forms of
// casework.dev/pkg/rightsdata, served by the indexes of migration 00003_rights: a decision
// holds the offender's name and no contact detail, so only the name and the references are
// searched. An erased decision has no personal data row, so it is never found.
var findOffendersSQL = `
SELECT d.id FROM publication_decisions d JOIN publication_personal_data p ON p.decision_id = d.id
WHERE ($1 <> '' AND ` + rightsdata.NameSQL("p.name") + ` = $1)
   OR d.reference = ANY($2) OR upper(d.source_case_reference) = ANY($2)
ORDER BY d.received_at, d.id LIMIT $3`

// FindOffenders returns the decisions a rights search may be about.
func (r *Repository) FindOffenders(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error) {
	var ids []string
	if err := r.db.SelectContext(ctx, &ids, findOffendersSQL, w.Name, pq.StringArray(w.References), limit); err != nil {
		return nil, fmt.Errorf("rights search in publication_decisions: %w", err)
	}
	return ids, nil
}

// Restrict is the restriction register's, in the caller's transaction when ctx carries one
// (WithTx): a consumed Article 19 notice commits with the record that it was processed.
func (r *Repository) Restrict(ctx context.Context, res rightsdata.Restriction, actor string) (bool, error) {
	tx, ok := ctx.Value(txKey{}).(*sqlx.Tx)
	if !ok {
		return r.rightsRegister.Restrict(ctx, res, actor)
	}
	changed, err := rightsdata.Restrict(ctx, tx, res)
	if err != nil || !changed {
		return false, err
	}
	return true, r.registerChanged(ctx, tx, res.CaseID, res.RecordID, actor, "rights.restricted", res.Since)
}

// Lift is the restriction register's, in the caller's transaction when ctx carries one.
func (r *Repository) Lift(ctx context.Context, caseID, recordID, actor string, at time.Time) (bool, error) {
	tx, ok := ctx.Value(txKey{}).(*sqlx.Tx)
	if !ok {
		return r.rightsRegister.Lift(ctx, caseID, recordID, actor, at)
	}
	changed, err := rightsdata.Lift(ctx, tx, recordID)
	if err != nil || !changed {
		return false, err
	}
	return true, r.registerChanged(ctx, tx, caseID, recordID, actor, "rights.restriction_lifted", at)
}

// registerChanged steps the decision's version, so a disclosure read before the change is
// read again and sees it, and appends the change to its audit trail, as
// rightsdata.Register does in its own transaction.
func (r *Repository) registerChanged(ctx context.Context, tx *sqlx.Tx, id, recordID, actor, action string, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE publication_decisions SET version = version + 1, updated_at = $2 WHERE id = $1`, id, at)
	if err != nil {
		return fmt.Errorf("step version of %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.ErrNotFound
	}
	return audit.Append(ctx, tx, audit.Entry{Chain: chain(id), At: at, Actor: actor, Action: "decision." + action,
		Subject: id, Detail: map[string]any{"record": recordID}})
}
