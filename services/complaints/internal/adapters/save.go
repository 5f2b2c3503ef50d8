package adapters

import (
	"database/sql"
	"reflect"
	"time"

	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/postgres"
	"casework.dev/services/complaints/internal/app"
	"casework.dev/services/complaints/internal/domain"
)

// The write path composes one statement per unit of work: the case row (guarded by its
// version), whatever else changed, the outbox messages, the disclosure log rows and the
// audit row. PostgreSQL commits a statement atomically, so all of it lands or none does,
// in one round trip instead of one per table.

// insertion is the statement writing a new complaint, for casestore.Store.Add: numbered
// reference, taking effect where claimed holds (its idempotency key was not used before).
func insertion(c *domain.Complaint, ch app.Change) func(st *postgres.Statement, claimed, reference string) error {
	return func(st *postgres.Statement, claimed, reference string) error {
		c.Reference, c.Version = reference, 1
		cr, pr, deadlines, consents := rowsFromDomain(c)
		st.With("c", `INSERT INTO complaints (id, reference, stage, status, service, channel, received_at,
			anonymity_requested, stage1_handler, created_at, updated_at, version)
			SELECT `+st.Arg(cr.ID)+`::uuid, `+st.Arg(cr.Reference)+`, `+st.Arg(cr.Stage)+`::smallint, `+
			st.Arg(cr.Status)+`, `+st.Arg(cr.Service)+`, `+st.Arg(cr.Channel)+`, `+st.Arg(cr.ReceivedAt)+`::timestamptz, `+
			st.Arg(cr.AnonymityRequested)+`::boolean, `+st.Arg(cr.Stage1Handler)+`, `+st.Arg(ch.At)+`::timestamptz, `+st.Arg(ch.At)+`::timestamptz, `+st.Arg(cr.Version)+`::integer
			WHERE `+claimed+` RETURNING id`)
		st.With("p", `INSERT INTO complaint_personal_data (complaint_id, name, address, phone, email, details, special_details)
			SELECT id, `+st.Arg(pr.Name)+`, `+st.Arg(pr.Address)+`, `+st.Arg(pr.Phone)+`, `+st.Arg(pr.Email)+`, `+
			st.Arg(pr.Details)+`, `+st.Arg(pr.SpecialDetails)+` FROM c`)
		upsertDeadlines(st, cr.ID, deadlines)
		upsertConsents(st, cr.ID, consents)
		return record(st, c, ch)
	}
}

// updateStatement saves what fn changed; it takes effect only if the case is still at the
// version it was read at, so concurrent writers cannot both win.
func updateStatement(before, after *domain.Complaint, ch app.Change) (*postgres.Statement, error) {
	after.Version = before.Version + 1
	st := &postgres.Statement{}
	beforeRows := rowsOf(before)
	cr, pr, deadlines, consents := rowsFromDomain(after)
	st.With("c", `UPDATE complaints SET stage = `+st.Arg(cr.Stage)+`, status = `+st.Arg(cr.Status)+`,
		stage2_handler = `+st.Arg(cr.Stage2Handler)+`,
		stage1_outcome = `+st.Arg(cr.Stage1Outcome)+`, stage1_responded_at = `+st.Arg(cr.Stage1RespondedAt)+`,
		stage1_on_time = `+st.Arg(cr.Stage1OnTime)+`, stage1_responded_by = `+st.Arg(cr.Stage1RespondedBy)+`,
		stage2_outcome = `+st.Arg(cr.Stage2Outcome)+`, stage2_responded_at = `+st.Arg(cr.Stage2RespondedAt)+`,
		stage2_on_time = `+st.Arg(cr.Stage2OnTime)+`, stage2_responded_by = `+st.Arg(cr.Stage2RespondedBy)+`,
		closed_at = `+st.Arg(cr.ClosedAt)+`, retention_due = CAST(`+st.Arg(cr.RetentionDue)+` AS date),
		legal_hold_reason = `+st.Arg(cr.LegalHoldReason)+`, legal_hold_set_at = `+st.Arg(cr.LegalHoldSetAt)+`,
		legal_hold_set_by = `+st.Arg(cr.LegalHoldSetBy)+`, erased_at = `+st.Arg(cr.ErasedAt)+`,
		stage3 = CAST(`+st.Arg(cr.Stage3)+` AS jsonb),
		version = `+st.Arg(cr.Version)+`, updated_at = `+st.Arg(ch.At)+`
		WHERE id = `+st.Arg(cr.ID)+` AND version = `+st.Arg(before.Version)+` RETURNING id`)
	switch {
	case after.Erased() && !before.Erased():
		st.With("p", `DELETE FROM complaint_personal_data WHERE complaint_id = (SELECT id FROM c)`)
		st.With("k", `DELETE FROM complaint_consents WHERE complaint_id = (SELECT id FROM c)`)
		casestore.PurgeShares(st, cr.ID) // the disclosures carried what was just erased
	case !reflect.DeepEqual(beforeRows.personal, pr):
		st.With("p", `UPDATE complaint_personal_data SET name = `+st.Arg(pr.Name)+`, address = `+st.Arg(pr.Address)+`,
			phone = `+st.Arg(pr.Phone)+`, email = `+st.Arg(pr.Email)+`, details = `+st.Arg(pr.Details)+`,
			special_details = `+st.Arg(pr.SpecialDetails)+`, stage2_details = `+st.Arg(pr.Stage2Details)+`,
			stage1_summary = `+st.Arg(pr.Stage1Summary)+`, stage1_remedies = `+st.Arg(pr.Stage1Remedies)+`,
			stage2_summary = `+st.Arg(pr.Stage2Summary)+`, stage2_remedies = `+st.Arg(pr.Stage2Remedies)+`,
			closure_reason = `+st.Arg(pr.ClosureReason)+`, stage3 = CAST(`+st.Arg(pr.Stage3)+` AS jsonb)
			WHERE complaint_id = (SELECT id FROM c)`)
	}
	upsertDeadlines(st, cr.ID, casestore.Changed(beforeRows.deadlines, deadlines))
	if !after.Erased() {
		upsertConsents(st, cr.ID, casestore.Changed(beforeRows.consents, consents))
	}
	return st, record(st, after, ch)
}

// rowSet is a complaint's rows as read, to write only what changed.
type rowSet struct {
	personal  personalRow
	deadlines []deadlineRow
	consents  []consentRow
}

func rowsOf(c *domain.Complaint) rowSet {
	_, pr, deadlines, consents := rowsFromDomain(c)
	return rowSet{personal: pr, deadlines: deadlines, consents: consents}
}

func upsertDeadlines(st *postgres.Statement, id string, rows []deadlineRow) {
	if len(rows) == 0 {
		return
	}
	stages := make([]int64, len(rows))
	kinds, dues, computations := make([]string, len(rows)), make([]string, len(rows)), make([]string, len(rows))
	met, overdue, ended := make([]sql.NullString, len(rows)), make([]sql.NullString, len(rows)), make([]sql.NullString, len(rows))
	metBy, extendedBy := make([]sql.NullString, len(rows)), make([]sql.NullString, len(rows))
	for i, d := range rows {
		stages[i], kinds[i], dues[i], computations[i] = int64(d.Stage), d.Kind, timestamp(d.DueAt), string(jsonOf(d.Computation))
		met[i], overdue[i], ended[i] = nullTimestamp(d.MetAt), nullTimestamp(d.OverdueAt), nullTimestamp(d.EndedAt)
		metBy[i], extendedBy[i] = nullString(d.MetBy), nullString(d.ExtendedBy)
	}
	st.With("d", `INSERT INTO complaint_deadlines (complaint_id, stage, kind, due_at, computation, met_at, overdue_at, met_by, extended_by, ended_at)
		SELECT `+st.Arg(id)+`::uuid, s, k, due, comp, met, over, mby, eby, ended FROM unnest(`+st.Arg(pq.Array(stages))+`::smallint[], `+
		st.Arg(pq.Array(kinds))+`::text[], `+st.Arg(pq.Array(dues))+`::timestamptz[], `+st.Arg(pq.Array(computations))+`::jsonb[], `+
		st.Arg(pq.Array(met))+`::timestamptz[], `+st.Arg(pq.Array(overdue))+`::timestamptz[], `+
		st.Arg(pq.Array(metBy))+`::text[], `+st.Arg(pq.Array(extendedBy))+`::text[], `+
		st.Arg(pq.Array(ended))+`::timestamptz[]) AS t(s, k, due, comp, met, over, mby, eby, ended)
		WHERE `+casestore.Guard+`
		ON CONFLICT (complaint_id, stage, kind) DO UPDATE SET due_at = EXCLUDED.due_at, computation = EXCLUDED.computation,
			met_at = EXCLUDED.met_at, overdue_at = EXCLUDED.overdue_at, met_by = EXCLUDED.met_by, extended_by = EXCLUDED.extended_by,
			ended_at = EXCLUDED.ended_at`)
}

func upsertConsents(st *postgres.Statement, id string, rows []consentRow) {
	if len(rows) == 0 {
		return
	}
	recipients, given, by := make([]string, len(rows)), make([]string, len(rows)), make([]string, len(rows))
	withdrawn, explicit := make([]sql.NullString, len(rows)), make([]bool, len(rows))
	for i, k := range rows {
		recipients[i], given[i], by[i], withdrawn[i], explicit[i] = k.Recipient, timestamp(k.GivenAt), k.RecordedBy, nullTimestamp(k.WithdrawnAt), k.Explicit
	}
	st.With("k", `INSERT INTO complaint_consents (complaint_id, recipient, given_at, recorded_by, withdrawn_at, explicit)
		SELECT `+st.Arg(id)+`::uuid, r, g, b, w, x FROM unnest(`+st.Arg(pq.Array(recipients))+`::text[], `+
		st.Arg(pq.Array(given))+`::timestamptz[], `+st.Arg(pq.Array(by))+`::text[], `+st.Arg(pq.Array(withdrawn))+`::timestamptz[], `+
		st.Arg(pq.Array(explicit))+`::boolean[]) AS t(r, g, b, w, x)
		WHERE `+casestore.Guard+`
		ON CONFLICT (complaint_id, recipient) DO UPDATE SET given_at = EXCLUDED.given_at,
			recorded_by = EXCLUDED.recorded_by, withdrawn_at = EXCLUDED.withdrawn_at, explicit = EXCLUDED.explicit`)
}

// record adds the change's outbox messages, disclosure log rows and audit row.
func record(st *postgres.Statement, c *domain.Complaint, ch app.Change) error {
	msgs, err := messagesFor(c, ch)
	if err != nil {
		return err
	}
	entries := make([]audit.Entry, len(ch.Events))
	for i, e := range ch.Events {
		entries[i] = audit.Entry{Chain: chain(c.ID), At: ch.At, Actor: ch.Actor, Action: "complaint." + e.Type, Subject: c.ID, Detail: e.Detail}
	}
	return casestore.Record(st, casestore.Change{CaseID: c.ID, DataSubject: "complainant:" + c.ID, Actor: ch.Actor, At: ch.At,
		Messages: msgs, Disclosures: ch.Disclosures, Audit: entries})
}

func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func nullTimestamp(t *time.Time) sql.NullString {
	if t == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: timestamp(*t), Valid: true}
}
