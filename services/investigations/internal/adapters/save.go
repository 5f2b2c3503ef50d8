package adapters

import (
	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/postgres"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/domain"
)

// The write path composes one statement per unit of work: the case row (guarded by its
// version), whatever other rows changed, the outbox messages, the disclosure log rows and
// the audit row. PostgreSQL commits a statement atomically, so all of it lands or none does.

// insertion is the statement writing a new investigation, for casestore.Store.Add: numbered
// reference, taking effect where claimed holds (its idempotency key was not used before).
func insertion(c *domain.Investigation, ch app.Change) func(st *postgres.Statement, claimed, reference string) error {
	return func(st *postgres.Statement, claimed, reference string) error {
		c.Reference, c.Version = reference, 1
		rows := rowsFromDomain(c)
		if err := casestore.InsertCase(st, "investigations", rows.c, claimed, ch.At); err != nil {
			return err
		}
		if err := syncRows(st, rowSet{}, rows); err != nil {
			return err
		}
		return record(st, c, ch)
	}
}

// updateStatement saves what fn changed; it takes effect only if the case is still at the
// version it was read at, so concurrent writers cannot both win.
func updateStatement(before, after *domain.Investigation, ch app.Change) (*postgres.Statement, error) {
	after.Version = before.Version + 1
	st := &postgres.Statement{}
	rows := rowsFromDomain(after)
	if err := casestore.UpdateCase(st, "investigations", rows.c, after.ID, before.Version, ch.At); err != nil {
		return nil, err
	}
	if err := syncRows(st, rowsFromDomain(before), rows); err != nil {
		return nil, err
	}
	return st, record(st, after, ch)
}

// syncRows writes the rows beside the case row that changed from before to after, and
// deletes those erasure removed.
func syncRows(st *postgres.Statement, before, after rowSet) error {
	byCase := []string{"investigation_id"}
	return firstError(
		casestore.Sync(st, "investigation_case_file", byCase, before.caseFile, after.caseFile),
		casestore.Sync(st, "investigation_people", append(byCase, "position"), before.people, after.people),
		casestore.Sync(st, "investigation_person_data", append(byCase, "position"), before.personData, after.personData),
		casestore.Sync(st, "investigation_items", append(byCase, "id"), before.items, after.items),
		casestore.Sync(st, "investigation_item_content", append(byCase, "id"), before.contents, after.contents),
		casestore.Sync(st, "investigation_actions", append(byCase, "position"), before.actions, after.actions),
		casestore.Sync(st, "investigation_conditions", append(byCase, "position"), before.conditions, after.conditions),
	)
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// record adds the change's outbox messages (and, on erasure, the purge of the case's
// share messages), disclosure log rows and audit row.
func record(st *postgres.Statement, c *domain.Investigation, ch app.Change) error {
	rec := casestore.Change{CaseID: c.ID, DataSubject: "investigation:" + c.ID, Actor: ch.Actor, At: ch.At, Disclosures: ch.Disclosures,
		PurgeShares: ch.PurgeShares && ch.PurgeOf == ""}
	if ch.PurgeShares && ch.PurgeOf != "" {
		// Only what carried that person, or whose people were not recorded (before
		// migration 00006), as the access answer reads them.
		casestore.PurgeSharesWhere(st, c.ID, `NOT EXISTS (SELECT 1 FROM investigation_disclosure_people p WHERE p.disclosure_id = l.id)
			OR EXISTS (SELECT 1 FROM investigation_disclosure_people p WHERE p.disclosure_id = l.id AND p.person_id = `+st.Arg(ch.PurgeOf)+`)`)
	}
	for disclosureID, people := range ch.Carried {
		if len(people) == 0 {
			// Recorded as carrying nobody (an empty person id), so the access and Article 19
			// answers do not take it for a disclosure made before people were recorded, and
			// guess its people from the notice's roles.
			people = []string{""}
		}
		st.With(st.Name("carried"), `INSERT INTO investigation_disclosure_people (disclosure_id, investigation_id, person_id)
			SELECT `+st.Arg(disclosureID)+`::uuid, `+st.Arg(c.ID)+`::uuid, unnest(`+st.Arg(pq.Array(people))+`::text[]) WHERE `+casestore.Guard)
	}
	for _, e := range ch.Events {
		detail := map[string]any{} // never null, even for an event without detail
		for k, v := range e.Detail {
			detail[k] = v
		}
		rec.Audit = append(rec.Audit, audit.Entry{Chain: chain(c.ID), At: ch.At, Actor: ch.Actor,
			Action: "investigation." + e.Type, Subject: c.ID, Detail: detail})
	}
	var err error
	if rec.Messages, err = messagesFor(c, ch); err != nil {
		return err
	}
	return casestore.Record(st, rec)
}
