package adapters

import (
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/domain"
)

// The write path composes one statement per unit of work: the case row (guarded by its
// version), the outbox messages, the disclosure log rows and the audit row. PostgreSQL
// commits a statement atomically, so all of it lands or none does.

// guard is true when the statement's case write took effect.
const guard = "EXISTS (SELECT 1 FROM c)"

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

func insertStatement(c *domain.Investigation, idempotencyKey string, ch app.Change) (*postgres.Statement, error) {
	col, err := columnsOf(c)
	if err != nil {
		return nil, err
	}
	st := &postgres.Statement{}
	st.With("c", `INSERT INTO investigations (id, reference, idempotency_key, area, scope, status, need_to_know, assigned,
		received_at, closed_at, next_erasure_due, legal_hold, erased_at, asb_location_key, asb_subject_key, doc,
		created_at, updated_at, version)
		VALUES (`+st.Arg(c.ID)+`, `+st.Arg(c.Reference)+`, NULLIF(`+st.Arg(idempotencyKey)+`, ''), `+st.Arg(c.Area)+`, `+
		st.Arg(c.Scope)+`, `+st.Arg(string(c.Status))+`, `+st.Arg(c.NeedToKnow())+`, `+st.Arg(col.assigned)+`::text[], `+
		st.Arg(c.ReceivedAt)+`, `+st.Arg(col.closedAt)+`, CAST(`+st.Arg(col.nextErasureDue)+` AS date), `+st.Arg(c.LegalHold != nil)+`, `+
		st.Arg(col.erasedAt)+`, `+st.Arg(col.locationKey)+`, `+st.Arg(col.subjectKey)+`, `+st.Arg(string(col.doc))+`::jsonb, `+
		st.Arg(ch.At)+`, `+st.Arg(ch.At)+`, `+st.Arg(c.Version)+`)
		ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id`)
	return st, record(st, c, ch)
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
	if err := messaging.AddToOutboxStatement(st, guard, msgs...); err != nil {
		return err
	}
	if ch.PurgeShares {
		// The disclosure log names every share message of the case by its event id.
		st.With(st.Name("purge"), `DELETE FROM watermill_outbox WHERE uuid IN (SELECT event_id FROM disclosure_log
			WHERE case_id = `+st.Arg(c.ID)+`) AND `+guard)
	}
	for _, d := range ch.Disclosures {
		st.With(st.Name("disclosure"), `INSERT INTO disclosure_log (id, case_id, data_subject, recipient, purpose, condition,
			categories, notice_version, subject, event_id, disclosed_by, disclosed_at)
			SELECT `+st.Arg(d.ID)+`::uuid, `+st.Arg(c.ID)+`, `+st.Arg("investigation:"+c.ID)+`, `+st.Arg(d.Recipient)+`, `+
			st.Arg(d.Purpose)+`, `+st.Arg(d.Condition)+`, `+st.Arg(pq.Array(d.Categories))+`::text[], `+st.Arg(d.NoticeVersion)+`, `+
			st.Arg(d.Subject)+`, `+st.Arg(d.ID)+`, `+st.Arg(ch.Actor)+`, `+st.Arg(ch.At)+` WHERE `+guard)
	}
	for _, e := range ch.Events {
		detail := map[string]any{}
		for k, v := range e.Detail {
			detail[k] = v
		}
		err := audit.AppendStatement(st, guard, audit.Entry{Chain: "investigation:" + c.ID, At: ch.At, Actor: ch.Actor,
			Action: "investigation." + e.Type, Subject: c.ID, Detail: detail})
		if err != nil {
			return err
		}
	}
	return nil
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }
