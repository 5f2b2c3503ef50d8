package adapters

import (
	"database/sql"
	"fmt"
	"reflect"

	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/services/debt/internal/app"
	"casework.dev/services/debt/internal/domain"
)

// The write path composes one statement per unit of work: the case rows (an update is
// casestore.Guarded by the version it was read at), the personal rows, new payments, the outbox
// messages, the disclosure log rows and the audit rows. PostgreSQL commits a statement
// atomically, so all of it lands or none does.

// caseColumns are the case row's columns after its id, in insert order.
const caseColumns = `reference, client_id, client_reference, debt_type, order_kind, order_date, order_reference, debt_pence,
	stage, status, referred_at, schedule, notice, control_limit, fees, visits, created_at, updated_at, version`

// insertStatement writes new cases from referral rows: one INSERT per table over arrays,
// so a batch of a thousand costs a handful of CTEs.
func insertStatement(cases []*domain.Case, changes []app.Change) (*postgres.Statement, error) {
	n := len(cases)
	ids, refs, clients, clientRefs, types, kinds, orderDates, orderRefs := make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	debts := make([]int64, n)
	stages, statuses, referred, limits, fees, visits := make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n)
	var schedules, notices shared
	vulns := make([]sql.NullString, n)
	names, addresses, phones, emails, vehicles, employments, reported := make([]string, n), make([]string, n), make([]string, n),
		make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	var msgs []messaging.Message
	entries := make([]audit.Entry, n)
	for i, c := range cases {
		cr, pr := rowsFromDomain(c)
		ids[i], refs[i], clients[i], clientRefs[i], types[i], kinds[i] = cr.ID, cr.Reference, cr.ClientID, cr.ClientReference, cr.DebtType, cr.OrderKind
		orderDates[i], orderRefs[i], debts[i], stages[i], statuses[i] = cr.OrderDate, cr.OrderReference, cr.DebtPence, cr.Stage, cr.Status
		referred[i], limits[i] = timestamp(cr.ReferredAt), cr.ControlLimit
		schedules.add(cr.Schedule)
		notices.add(cr.Notice)
		fees[i], visits[i] = string(cr.Fees), string(cr.Visits)
		if cr.Vulnerability != nil {
			vulns[i] = sql.NullString{String: string(cr.Vulnerability), Valid: true}
		}
		names[i] = string(jsonOf([]string(pr.DebtorNames)))
		addresses[i], phones[i], emails[i], vehicles[i], employments[i], reported[i] = pr.Address, pr.Phone, pr.Email, pr.VehicleRegistration, pr.Employment, pr.ReportedVulnerability
		m, err := messagesFor(c, changes[i])
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m...)
		entries[i] = auditEntry(c, changes[i])
	}
	at := changes[0].At
	st := &postgres.Statement{}
	arr := func(v any, typ string) string { return st.Arg(pq.Array(v)) + "::" + typ + "[]" }
	st.With("c", `INSERT INTO debt_cases (id, `+caseColumns+`, vulnerability)
		SELECT id::uuid, ref, client, client_ref, typ, kind, odate::date, oref, debt, stage, status, referred::timestamptz,
			d.scheds[sched], d.notices[notice], lim::date, fees::jsonb, visits::jsonb, `+st.Arg(at)+`, `+st.Arg(at)+`, 1, vuln::jsonb
		FROM unnest(`+arr(ids, "text")+`, `+arr(refs, "text")+`, `+arr(clients, "text")+`, `+arr(clientRefs, "text")+`, `+
		arr(types, "text")+`, `+arr(kinds, "text")+`, `+arr(orderDates, "text")+`, `+arr(orderRefs, "text")+`, `+arr(debts, "bigint")+`, `+
		arr(stages, "text")+`, `+arr(statuses, "text")+`, `+arr(referred, "text")+`, `+arr(schedules.at, "int")+`, `+arr(notices.at, "int")+`, `+
		arr(limits, "text")+`, `+arr(fees, "text")+`, `+arr(visits, "text")+`, `+arr(vulns, "text")+`)
		AS t(id, ref, client, client_ref, typ, kind, odate, oref, debt, stage, status, referred, sched, notice, lim, fees, visits, vuln),
		(SELECT `+arr(schedules.values, "jsonb")+` AS scheds, `+arr(notices.values, "jsonb")+` AS notices) d
		RETURNING id`)
	st.With("p", `INSERT INTO debt_personal_data (case_id, debtor_names, address, phone, email, vehicle_registration, employment, reported_vulnerability)
		SELECT id::uuid, ARRAY(SELECT jsonb_array_elements_text(names::jsonb)), addr, phone, email, vehicle, employment, reported
		FROM unnest(`+arr(ids, "text")+`, `+arr(names, "text")+`, `+arr(addresses, "text")+`, `+arr(phones, "text")+`, `+
		arr(emails, "text")+`, `+arr(vehicles, "text")+`, `+arr(employments, "text")+`, `+arr(reported, "text")+`)
		AS t(id, names, addr, phone, email, vehicle, employment, reported) WHERE `+casestore.Guard)
	if err := messaging.AddToOutboxStatement(st, casestore.Guard, msgs...); err != nil {
		return nil, err
	}
	return st, audit.StartChainsStatement(st, casestore.Guard, entries)
}

// shared collects one JSONB column of a batch: each different document once, and for each
// row the (1-based) position of its own. The cases of one referral file share their fee
// schedule and notice dates, so those are sent and parsed once per batch, not per row.
type shared struct {
	values []string
	at     []int32
	seen   map[string]int32
}

func (s *shared) add(doc []byte) {
	if s.seen == nil {
		s.seen = map[string]int32{}
	}
	n, ok := s.seen[string(doc)]
	if !ok {
		s.values = append(s.values, string(doc))
		n = int32(len(s.values))
		s.seen[string(doc)] = n
	}
	s.at = append(s.at, n)
}

// updateStatement saves what fn changed; it takes effect only if the case is still at the
// version it was read at, so concurrent writers cannot both win.
func updateStatement(before, after *domain.Case, ch app.Change) (*postgres.Statement, error) {
	after.Version = before.Version + 1
	st := &postgres.Statement{}
	cr, pr := rowsFromDomain(after)
	_, beforePersonal := rowsFromDomain(before)
	js := func(b []byte) string {
		if b == nil {
			return "NULL"
		}
		return "CAST(" + st.Arg(string(b)) + " AS jsonb)"
	}
	st.With("c", `UPDATE debt_cases SET stage = `+st.Arg(cr.Stage)+`, status = `+st.Arg(cr.Status)+`,
		fees = `+js(cr.Fees)+`, visits = `+js(cr.Visits)+`, goods_controlled = `+js(cr.GoodsControlled)+`,
		sale_notice = `+js(cr.SaleNotice)+`, arrangement = `+js(cr.Arrangement)+`,
		notice = `+js(cr.Notice)+`, control_limit = CAST(`+st.Arg(cr.ControlLimit)+` AS date),
		next_instalment_check = CAST(`+st.Arg(cr.NextInstalmentCheck)+` AS date), vulnerability = `+js(cr.Vulnerability)+`,
		returned = `+js(cr.Returned)+`, closed_at = `+st.Arg(cr.ClosedAt)+`, retention_due = CAST(`+st.Arg(cr.RetentionDue)+` AS date),
		legal_hold = `+js(cr.LegalHold)+`, erased_at = `+st.Arg(cr.ErasedAt)+`, version = `+st.Arg(cr.Version)+`, updated_at = `+st.Arg(ch.At)+`
		WHERE id = `+st.Arg(cr.ID)+` AND version = `+st.Arg(before.Version)+` RETURNING id`)
	switch {
	case after.Erased() && !before.Erased():
		st.With("p", `DELETE FROM debt_personal_data WHERE case_id = (SELECT id FROM c)`)
		st.With("k", `DELETE FROM debt_consents WHERE case_id = (SELECT id FROM c)`)
	case fmt.Sprint(beforePersonal) != fmt.Sprint(pr):
		st.With("p", `UPDATE debt_personal_data SET debtor_names = `+st.Arg(pr.DebtorNames)+`, address = `+st.Arg(pr.Address)+`,
			phone = `+st.Arg(pr.Phone)+`, email = `+st.Arg(pr.Email)+`, gender = `+st.Arg(pr.Gender)+`, employment = `+st.Arg(pr.Employment)+`,
			vehicle_registration = `+st.Arg(pr.VehicleRegistration)+`, financial_information = `+st.Arg(pr.FinancialInformation)+`,
			reported_vulnerability = `+st.Arg(pr.ReportedVulnerability)+`, vulnerability_nature = `+st.Arg(pr.VulnerabilityNature)+`
			WHERE case_id = (SELECT id FROM c)`)
	}
	for _, p := range after.Payments[len(before.Payments):] {
		r := paymentRowOf(p)
		st.With(st.Name("payment"), `INSERT INTO debt_payments (id, case_id, client_id, received_at, source, amount_pence, to_debt_pence,
			to_compliance_pence, to_enforcement_pence, to_sale_pence, refund_pence, rule, recorded_by)
			SELECT `+st.Arg(r.ID)+`::uuid, id, `+st.Arg(after.ClientID)+`, `+st.Arg(r.ReceivedAt)+`, `+st.Arg(r.Source)+`, `+
			st.Arg(r.AmountPence)+`, `+st.Arg(r.ToDebtPence)+`, `+st.Arg(r.ToCompliancePence)+`, `+st.Arg(r.ToEnforcementPence)+`, `+
			st.Arg(r.ToSalePence)+`, `+st.Arg(r.RefundPence)+`, `+st.Arg(r.Rule)+`, `+st.Arg(r.RecordedBy)+` FROM c`)
	}
	if !after.Erased() {
		for recipient, k := range after.Consents {
			if old, ok := before.Consents[recipient]; ok && reflect.DeepEqual(old, k) {
				continue
			}
			st.With(st.Name("consent"), `INSERT INTO debt_consents (case_id, recipient, given_at, recorded_by, withdrawn_at)
				SELECT id, `+st.Arg(recipient)+`, `+st.Arg(k.GivenAt)+`, `+st.Arg(k.RecordedBy)+`, `+st.Arg(nullTime(k.WithdrawnAt))+` FROM c
				ON CONFLICT (case_id, recipient) DO UPDATE SET given_at = EXCLUDED.given_at, recorded_by = EXCLUDED.recorded_by,
					withdrawn_at = EXCLUDED.withdrawn_at`)
		}
	}
	msgs, err := messagesFor(after, ch)
	if err != nil {
		return nil, err
	}
	return st, casestore.Record(st, casestore.Change{CaseID: after.ID, DataSubject: "debtor:" + after.ID, Actor: ch.Actor, At: ch.At,
		Messages: msgs, Disclosures: ch.Disclosures, Audit: []audit.Entry{auditEntry(after, ch)}})
}

func auditEntry(c *domain.Case, ch app.Change) audit.Entry {
	return audit.Entry{Chain: chain(c.ID), At: ch.At, Actor: ch.Actor, Action: "case." + ch.Event.Type, Subject: c.ID, Detail: ch.Event.Detail}
}
