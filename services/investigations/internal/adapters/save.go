package adapters

import (
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/postgres"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/domain"
)

// The write path composes one statement per unit of work: the case row (guarded by its
// version), the outbox messages, the disclosure log rows and the audit row. PostgreSQL
// commits a statement atomically, so all of it lands or none does.

// columns are the queryable, non-identifying facts written beside the document.
type columns struct {
	doc            []byte
	assigned       pq.StringArray
	nextErasureDue sql.NullString
	closedAt       sql.NullTime
	erasedAt       sql.NullTime
	locationKey    sql.NullString
	subjectKey     sql.NullString
}

func columnsOf(c *domain.Investigation) (columns, error) {
	doc, err := json.Marshal(c)
	if err != nil {
		return columns{}, fmt.Errorf("marshal investigation %s: %w", c.ID, err)
	}
	col := columns{doc: doc, assigned: pq.StringArray(c.Assigned), nextErasureDue: nullString(c.NextErasureDue())}
	if c.ClosedAt != nil {
		col.closedAt = sql.NullTime{Time: *c.ClosedAt, Valid: true}
	}
	if c.ErasedAt != nil {
		col.erasedAt = sql.NullTime{Time: *c.ErasedAt, Valid: true}
	} else {
		loc, subj := app.ASBKeys(c)
		col.locationKey, col.subjectKey = nullString(loc), nullString(subj)
	}
	return col, nil
}

// insertStatement adds a new investigation to st; it takes effect where claimed holds (its
// idempotency key was not used before).
func insertStatement(st *postgres.Statement, claimed string, c *domain.Investigation, ch app.Change) error {
	col, err := columnsOf(c)
	if err != nil {
		return err
	}
	st.With("c", `INSERT INTO investigations (id, reference, area, scope, status, need_to_know, assigned,
		received_at, closed_at, next_erasure_due, legal_hold, erased_at, asb_location_key, asb_subject_key, doc,
		created_at, updated_at, version)
		SELECT `+st.Arg(c.ID)+`::uuid, `+st.Arg(c.Reference)+`, `+st.Arg(c.Area)+`, `+
		st.Arg(c.Scope)+`, `+st.Arg(string(c.Status))+`, `+st.Arg(c.NeedToKnow())+`::boolean, `+st.Arg(col.assigned)+`::text[], `+
		st.Arg(c.ReceivedAt)+`::timestamptz, `+st.Arg(col.closedAt)+`::timestamptz, CAST(`+st.Arg(col.nextErasureDue)+` AS date), `+st.Arg(c.LegalHold != nil)+`::boolean, `+
		st.Arg(col.erasedAt)+`::timestamptz, `+st.Arg(col.locationKey)+`, `+st.Arg(col.subjectKey)+`, `+st.Arg(string(col.doc))+`::jsonb, `+
		st.Arg(ch.At)+`::timestamptz, `+st.Arg(ch.At)+`::timestamptz, `+st.Arg(c.Version)+`::integer
		WHERE `+claimed+` RETURNING id`)
	return record(st, c, ch)
}

// updateStatement saves the case; it takes effect only if the case is still at the
// version it was read at, so concurrent writers cannot both win.
func updateStatement(before int, c *domain.Investigation, ch app.Change) (*postgres.Statement, error) {
	col, err := columnsOf(c)
	if err != nil {
		return nil, err
	}
	st := &postgres.Statement{}
	st.With("c", `UPDATE investigations SET status = `+st.Arg(string(c.Status))+`, need_to_know = `+st.Arg(c.NeedToKnow())+`,
		assigned = `+st.Arg(col.assigned)+`::text[], closed_at = `+st.Arg(col.closedAt)+`,
		next_erasure_due = CAST(`+st.Arg(col.nextErasureDue)+` AS date), legal_hold = `+st.Arg(c.LegalHold != nil)+`,
		erased_at = `+st.Arg(col.erasedAt)+`, asb_location_key = `+st.Arg(col.locationKey)+`, asb_subject_key = `+st.Arg(col.subjectKey)+`,
		doc = `+st.Arg(string(col.doc))+`::jsonb, version = `+st.Arg(c.Version)+`, updated_at = `+st.Arg(ch.At)+`
		WHERE id = `+st.Arg(c.ID)+` AND version = `+st.Arg(before)+` RETURNING id`)
	return st, record(st, c, ch)
}

// record adds the change's outbox messages, disclosure log rows and audit row.
func record(st *postgres.Statement, c *domain.Investigation, ch app.Change) error {
	if len(ch.Events) > 1 {
		return fmt.Errorf("one audited event per change, got %d", len(ch.Events)) // a chain advances once per statement
	}
	msgs, err := messagesFor(c, ch)
	if err != nil {
		return err
	}
	if ch.PurgeShares {
		// The disclosure log names every share message of the case by its event id.
		st.With(st.Name("purge"), `DELETE FROM watermill_outbox WHERE uuid IN (SELECT event_id FROM disclosure_log
			WHERE case_id = `+st.Arg(c.ID)+`) AND `+casestore.Guard)
	}
	rec := casestore.Change{CaseID: c.ID, DataSubject: "investigation:" + c.ID, Actor: ch.Actor, At: ch.At,
		Messages: msgs, Disclosures: ch.Disclosures}
	for _, e := range ch.Events {
		rec.Audit = &audit.Entry{Chain: "investigation:" + c.ID, At: ch.At, Actor: ch.Actor,
			Action: "investigation." + e.Type, Subject: c.ID, Detail: e.Detail}
	}
	return casestore.Record(st, rec)
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
