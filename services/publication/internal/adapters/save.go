package adapters

import (
	"casework.dev/pkg/audit"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/postgres"
	"casework.dev/services/publication/internal/app"
	"casework.dev/services/publication/internal/domain"
)

// The write path composes one statement per unit of work: the case row (guarded by its
// version), the personal row if it changed, the outbox messages, the disclosure log row and
// the audit row. PostgreSQL commits a statement atomically, so all of it lands or none does.

const (
	decisionsTable = "publication_decisions"
	personalTable  = "publication_personal_data"
)

var personalKey = []string{"decision_id"}

// insertion is the statement writing a new decision, for casestore.Store.Add: numbered
// reference, taking effect where claimed holds (its idempotency key was not used before).
func insertion(d *domain.Decision, ch app.Change) func(st *postgres.Statement, claimed, reference string) error {
	return func(st *postgres.Statement, claimed, reference string) error {
		d.Reference, d.Version = reference, 1
		cr, personal, err := rowsFromDomain(d)
		if err != nil {
			return err
		}
		if err := casestore.InsertCase(st, decisionsTable, cr, claimed, ch.At); err != nil {
			return err
		}
		if err := casestore.Sync(st, personalTable, personalKey, nil, personal); err != nil {
			return err
		}
		return record(st, d, ch)
	}
}

// updateStatement saves what fn changed; it takes effect only if the decision is still at
// the version it was read at, so concurrent writers cannot both win. Erasure deletes the
// personal row.
func updateStatement(before, after *domain.Decision, ch app.Change) (*postgres.Statement, error) {
	after.Version = before.Version + 1
	_, personalBefore, err := rowsFromDomain(before)
	if err != nil {
		return nil, err
	}
	cr, personal, err := rowsFromDomain(after)
	if err != nil {
		return nil, err
	}
	st := &postgres.Statement{}
	if err := casestore.UpdateCase(st, decisionsTable, cr, after.ID, before.Version, ch.At); err != nil {
		return nil, err
	}
	if err := casestore.Sync(st, personalTable, personalKey, personalBefore, personal); err != nil {
		return nil, err
	}
	if after.Erased() && !before.Erased() {
		casestore.PurgeShares(st, after.ID) // the register entry and press release it carried go with it
	}
	return st, record(st, after, ch)
}

// record adds the change's outbox messages, disclosure log row and audit row.
func record(st *postgres.Statement, d *domain.Decision, ch app.Change) error {
	msgs, err := messagesFor(d, ch)
	if err != nil {
		return err
	}
	rec := casestore.Change{CaseID: d.ID, DataSubject: "offender:" + d.ID, Actor: ch.Actor, At: ch.At, Messages: msgs,
		Audit: []audit.Entry{{Chain: chain(d.ID), At: ch.At, Actor: ch.Actor, Action: "decision." + ch.Event.Type, Subject: d.ID, Detail: ch.Event.Detail}}}
	for _, dl := range []*app.Disclosure{ch.Register, ch.Disclosure} {
		if dl != nil {
			rec.Disclosures = append(rec.Disclosures, *dl)
		}
	}
	return casestore.Record(st, rec)
}
