// Package rightsdata is what every service's answer to the rights service shares: the
// register of restricted records (UK GDPR Art 18) kept beside the service's own tables, the
// disclosure log read per data subject (Art 15(1)(c) and Art 19), and the forms in which a
// person's identifiers are compared. It holds no council domain: each service decides what
// its records are, who is in them and on which ground it refuses.
package rightsdata

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/postgres"
)

// Restriction is one record whose processing the data subject asked to restrict: it is
// never disclosed until the restriction is lifted (UK GDPR Art 18(2)).
type Restriction struct {
	RecordID  string    // the record the rights service named: a case, or one person in a case
	CaseID    string    // the case whose disclosures it stops
	RequestID string    // the rights request that asked for it
	Since     time.Time // when it was placed
}

// CheckDisclosure returns a *casework.RestrictedError when a record of caseID is restricted. Call it
// in the unit of work that discloses, after the case was read: Restrict is called in a
// transaction that also changes the case row, so a disclosure guarded by the case's version
// (or holding its row lock) never commits over a restriction placed meanwhile.
func CheckDisclosure(ctx context.Context, q sqlx.QueryerContext, caseID string) error {
	var r restrictionRow
	err := sqlx.GetContext(ctx, q, &r, `SELECT record_id, case_id, request_id, restricted_at FROM rights_restrictions
		WHERE case_id = $1 ORDER BY restricted_at, record_id LIMIT 1`, caseID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("restrictions of %s: %w", caseID, err)
	}
	return &casework.RestrictedError{RequestID: r.RequestID, Since: r.RestrictedAt.UTC()}
}

// Restricted returns the restrictions of the records named, by record id.
func Restricted(ctx context.Context, q sqlx.QueryerContext, recordIDs []string) (map[string]Restriction, error) {
	var rows []restrictionRow
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT record_id, case_id, request_id, restricted_at FROM rights_restrictions
		WHERE record_id = ANY($1)`, pq.StringArray(recordIDs)); err != nil {
		return nil, fmt.Errorf("restrictions: %w", err)
	}
	out := make(map[string]Restriction, len(rows))
	for _, r := range rows {
		out[r.RecordID] = r.restriction()
	}
	return out, nil
}

// Restrict records r, unless the record is already restricted: then nothing changes and it
// reports false (a repeated request is harmless).
func Restrict(ctx context.Context, ex sqlx.ExecerContext, r Restriction) (bool, error) {
	res, err := ex.ExecContext(ctx, `INSERT INTO rights_restrictions (record_id, case_id, request_id, restricted_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (record_id) DO NOTHING`, r.RecordID, r.CaseID, r.RequestID, r.Since)
	if err != nil {
		return false, fmt.Errorf("restrict %s: %w", r.RecordID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Lift removes the restriction of a record; false when there was none.
func Lift(ctx context.Context, ex sqlx.ExecerContext, recordID string) (bool, error) {
	res, err := ex.ExecContext(ctx, `DELETE FROM rights_restrictions WHERE record_id = $1`, recordID)
	if err != nil {
		return false, fmt.Errorf("lift restriction of %s: %w", recordID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

type restrictionRow struct {
	RecordID     string    `db:"record_id"`
	CaseID       string    `db:"case_id"`
	RequestID    string    `db:"request_id"`
	RestrictedAt time.Time `db:"restricted_at"`
}

func (r restrictionRow) restriction() Restriction {
	return Restriction{RecordID: r.RecordID, CaseID: r.CaseID, RequestID: r.RequestID, Since: r.RestrictedAt.UTC()}
}

// Store is what a service's answers to the rights service read and change beside its cases:
// Register implements it.
type Store interface {
	LoggedDisclosures(ctx context.Context, dataSubject string) ([]Disclosure, error)
	Restrictions(ctx context.Context, recordIDs []string) (map[string]Restriction, error)
	// Restrict and Lift change the restriction register, the case's version (so a
	// disclosure racing them reads the case again) and its audit trail together.
	Restrict(ctx context.Context, r Restriction, actor string) (bool, error)
	Lift(ctx context.Context, caseID, recordID, actor string, at time.Time) (bool, error)
}

var _ Store = Register{}

// Register is one service's restriction register over its table of cases, with its
// disclosure log, as its answers to the rights service read and change them. A service's
// repository embeds it.
type Register struct {
	DB          *sqlx.DB
	Table       string                 // the service's table of cases, e.g. "complaints": rows with an id (UUID), a version its writes are guarded by and an updated_at
	Chain       func(id string) string // the case's audit chain
	AuditPrefix string                 // the service's audit actions' prefix, e.g. "complaint."
	NotFound    error                  // what the service answers for an id with no row
}

// Find runs a service's first filter of a search: query takes a Wanted's Name, Email,
// Phone and Address as $1 to $4 (PersonFilterSQL), its References as $5 and limit as $6,
// and returns ids.
func (g Register) Find(ctx context.Context, query string, w Wanted, limit int) ([]string, error) {
	var ids []string
	if err := g.DB.SelectContext(ctx, &ids, query, w.Name, w.Email, w.Phone, w.Address, pq.StringArray(w.References), limit); err != nil {
		return nil, fmt.Errorf("rights search in %s: %w", g.Table, err)
	}
	return ids, nil
}

// Restrictions returns the restrictions of the records named, by record id.
func (g Register) Restrictions(ctx context.Context, recordIDs []string) (map[string]Restriction, error) {
	return Restricted(ctx, g.DB, recordIDs)
}

// CheckDisclosure refuses, with a *casework.RestrictedError, a disclosure of a case that
// holds a restricted record (see the package's CheckDisclosure).
func (g Register) CheckDisclosure(ctx context.Context, caseID string) error {
	return CheckDisclosure(ctx, g.DB, caseID)
}

// LoggedDisclosures reads the disclosure log rows of one data subject, oldest first.
func (g Register) LoggedDisclosures(ctx context.Context, dataSubject string) ([]Disclosure, error) {
	logged, err := Disclosures(ctx, g.DB, []string{dataSubject})
	return logged[dataSubject], err
}

// Restrict places r, unless the record is already restricted (then nothing is written and it
// reports false), in one transaction that also steps the case row's version, so a
// disclosure read before it is read again and sees it, and appends "<prefix>rights.restricted"
// to the case's audit trail.
func (g Register) Restrict(ctx context.Context, r Restriction, actor string) (bool, error) {
	return g.change(ctx, r.CaseID, r.RecordID, actor, "rights.restricted", r.Since, func(tx *sqlx.Tx) (bool, error) {
		return Restrict(ctx, tx, r)
	})
}

// Lift lifts the restriction of a record of caseID the same way; false when there was none.
func (g Register) Lift(ctx context.Context, caseID, recordID, actor string, at time.Time) (bool, error) {
	return g.change(ctx, caseID, recordID, actor, "rights.restriction_lifted", at, func(tx *sqlx.Tx) (bool, error) {
		return Lift(ctx, tx, recordID)
	})
}

// errUnchanged rolls back a version step when the change found nothing to do.
var errUnchanged = errors.New("unchanged")

func (g Register) change(ctx context.Context, caseID, recordID, actor, action string, at time.Time, change func(tx *sqlx.Tx) (bool, error)) (bool, error) {
	if len(caseID) != 36 || uuid.Validate(caseID) != nil {
		return false, g.NotFound
	}
	err := postgres.InTx(ctx, g.DB, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE `+g.Table+` SET version = version + 1, updated_at = $2 WHERE id = $1`, caseID, at)
		if err != nil {
			return fmt.Errorf("step version of %s: %w", caseID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return g.NotFound
		}
		changed, err := change(tx)
		switch {
		case err != nil:
			return err
		case !changed:
			return errUnchanged
		}
		return audit.Append(ctx, tx, audit.Entry{Chain: g.Chain(caseID), At: at, Actor: actor, Action: g.AuditPrefix + action,
			Subject: caseID, Detail: map[string]any{"record": recordID}})
	})
	if errors.Is(err, errUnchanged) {
		return false, nil
	}
	return err == nil, err
}
