package adapters

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/casestore"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/services/debt/internal/app"
	"casework.dev/services/debt/internal/domain"
)

// The write path composes one statement per change of a case: the case row (casestore.Guarded
// by the version it was read at), the personal rows, new payments, the outbox messages, the
// disclosure log rows and the audit rows. PostgreSQL commits a statement atomically, so all
// of it lands or none does. New cases from a referral file are copied in, one transaction a
// batch.

// newCaseColumns are the columns a case row is copied in with.
var newCaseColumns = []string{"id", "reference", "client_id", "client_reference", "debt_type", "order_kind", "order_date", "order_reference",
	"debt_pence", "stage", "status", "referred_at", "schedule", "notice", "control_limit", "fees", "visits", "goods_controlled", "sale_notice",
	"arrangement", "arrangement_reviews", "next_instalment_check", "vulnerabilities", "returned", "closed_at", "retention_due", "legal_hold", "erased_at",
	"created_at", "updated_at", "version"}

// newPersonalColumns are the columns a case's personal data row is copied in with.
var newPersonalColumns = []string{"case_id", "debtor_names", "address", "phone", "email", "gender", "employment", "vehicle_registration",
	"financial_information", "reported_vulnerability", "vulnerability_natures", "reported_vulnerable_debtor",
	"arrangement_review_reasons"}

// casesPerOutboxRow is how many new cases' events (an event and its status event each)
// share an outbox row: a sixth of the rows to write, sequence and relay, and a relay round
// of 256 rows (3,072 messages) stays within the broker client's 4,000 publishes in flight.
const casesPerOutboxRow = 6

// insertCases writes new cases from referral rows inside tx, with COPY: the case rows, their
// personal data, their events (bundled, a few cases a row) and the first link of each
// case's audit chain. A referral
// file of 100,000 rows is written in batches of a thousand, each one transaction.
func insertCases(ctx context.Context, tx *sqlx.Tx, cases []*domain.Case, changes []app.Change) error {
	rows := make([]caseRow, len(cases))
	personal := make([]personalRow, len(cases))
	var msgs []messaging.Message
	entries := make([]audit.Entry, len(cases))
	for i, c := range cases {
		rows[i], personal[i] = rowsFromDomain(c)
		m, err := messagesFor(c, changes[i])
		if err != nil {
			return err
		}
		msgs = append(msgs, m...)
		entries[i] = auditEntry(c, changes[i])
	}
	at := changes[0].At
	if err := postgres.CopyRows(ctx, tx, "debt_cases", newCaseColumns, len(rows), func(i int) []any {
		r := rows[i]
		return []any{r.ID, r.Reference, r.ClientID, r.ClientReference, r.DebtType, r.OrderKind, r.OrderDate, r.OrderReference,
			r.DebtPence, r.Stage, r.Status, r.ReferredAt, jsonText(r.Schedule), jsonText(r.Notice), r.ControlLimit, jsonText(r.Fees),
			jsonText(r.Visits), jsonText(r.GoodsControlled), jsonText(r.SaleNotice), jsonText(r.Arrangement), jsonText(r.ArrangementReviews), nullable(r.NextInstalmentCheck),
			jsonText(r.Vulnerabilities), jsonText(r.Returned), nullableTime(r.ClosedAt), nullable(r.RetentionDue), jsonText(r.LegalHold),
			nullableTime(r.ErasedAt), at, at, r.Version}
	}); err != nil {
		return err
	}
	if err := postgres.CopyRows(ctx, tx, "debt_personal_data", newPersonalColumns, len(personal), func(i int) []any {
		p := personal[i]
		names, _ := p.DebtorNames.Value() // a string array always has a text form
		reasons, _ := p.ArrangementReviewReasons.Value()
		return []any{rows[i].ID, names, p.Address, p.Phone, p.Email, p.Gender, p.Employment, p.VehicleRegistration,
			p.FinancialInformation, p.ReportedVulnerability, jsonText(p.VulnerabilityNatures), nullableInt(p.ReportedVulnerableDebtor),
			reasons}
	}); err != nil {
		return err
	}
	if err := messaging.CopyToOutbox(ctx, tx, messaging.Bundle(msgs, casesPerOutboxRow*2)...); err != nil {
		return err
	}
	return audit.StartChainsCopy(ctx, tx, entries)
}

// jsonText is a JSON column's value for COPY: its text, or NULL when absent.
func jsonText(doc []byte) any {
	if doc == nil {
		return nil
	}
	return string(doc)
}

func nullable(s sql.NullString) any {
	if !s.Valid {
		return nil
	}
	return s.String
}

func nullableInt(n sql.NullInt32) any {
	if !n.Valid {
		return nil
	}
	return int64(n.Int32)
}

func nullableTime(t sql.NullTime) any {
	if !t.Valid {
		return nil
	}
	return t.Time
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
		sale_notice = `+js(cr.SaleNotice)+`, arrangement = `+js(cr.Arrangement)+`, arrangement_reviews = `+js(cr.ArrangementReviews)+`,
		notice = `+js(cr.Notice)+`, control_limit = CAST(`+st.Arg(cr.ControlLimit)+` AS date),
		next_instalment_check = CAST(`+st.Arg(cr.NextInstalmentCheck)+` AS date), vulnerabilities = `+js(cr.Vulnerabilities)+`,
		returned = `+js(cr.Returned)+`, closed_at = `+st.Arg(cr.ClosedAt)+`, retention_due = CAST(`+st.Arg(cr.RetentionDue)+` AS date),
		legal_hold = `+js(cr.LegalHold)+`, erased_at = `+st.Arg(cr.ErasedAt)+`, version = `+st.Arg(cr.Version)+`, updated_at = `+st.Arg(ch.At)+`
		WHERE id = `+st.Arg(cr.ID)+` AND version = `+st.Arg(before.Version)+` RETURNING id`)
	switch {
	case after.Erased() && !before.Erased():
		st.With("p", `DELETE FROM debt_personal_data WHERE case_id = (SELECT id FROM c)`)
		st.With("k", `DELETE FROM debt_consents WHERE case_id = (SELECT id FROM c)`)
		st.With("necessity_erased", `DELETE FROM debt_necessity_findings WHERE case_id = (SELECT id FROM c)`)
	case fmt.Sprint(beforePersonal) != fmt.Sprint(pr):
		st.With("p", `UPDATE debt_personal_data SET debtor_names = `+st.Arg(pr.DebtorNames)+`, address = `+st.Arg(pr.Address)+`,
			phone = `+st.Arg(pr.Phone)+`, email = `+st.Arg(pr.Email)+`, gender = `+st.Arg(pr.Gender)+`, employment = `+st.Arg(pr.Employment)+`,
			vehicle_registration = `+st.Arg(pr.VehicleRegistration)+`, financial_information = `+st.Arg(pr.FinancialInformation)+`,
			reported_vulnerability = `+st.Arg(pr.ReportedVulnerability)+`, vulnerability_natures = `+js(pr.VulnerabilityNatures)+`,
			reported_vulnerable_debtor = CAST(`+st.Arg(pr.ReportedVulnerableDebtor)+` AS smallint),
			arrangement_review_reasons = CAST(`+st.Arg(pr.ArrangementReviewReasons)+` AS text[])
			WHERE case_id = (SELECT id FROM c)`)
	}
	// A payment's allocation changes only when a fee it paid towards became not recoverable
	// and what it paid was applied again (domain reapplyFeePaid); its amount never does.
	if len(after.Payments) < len(before.Payments) {
		return nil, fmt.Errorf("payments of %s were taken away", after.ID)
	}
	for i, p := range before.Payments {
		r := paymentRowOf(after.Payments[i])
		if r.ID != p.ID {
			return nil, fmt.Errorf("payments of %s changed order", after.ID)
		}
		if sameAllocation(r, paymentRowOf(p)) {
			continue
		}
		st.With(st.Name("payment_reapplied"), `UPDATE debt_payments SET to_debt_pence = `+st.Arg(r.ToDebtPence)+`,
			to_compliance_pence = `+st.Arg(r.ToCompliancePence)+`, to_enforcement_pence = `+st.Arg(r.ToEnforcementPence)+`,
			to_sale_pence = `+st.Arg(r.ToSalePence)+`, refund_pence = `+st.Arg(r.RefundPence)+`, rule = `+st.Arg(r.Rule)+`
			WHERE id = `+st.Arg(r.ID)+`::uuid AND case_id = (SELECT id FROM c)`)
	}
	for _, p := range after.Payments[len(before.Payments):] {
		r := paymentRowOf(p)
		st.With(st.Name("payment"), `INSERT INTO debt_payments (id, case_id, client_id, received_at, source, amount_pence, to_debt_pence,
			to_compliance_pence, to_enforcement_pence, to_sale_pence, refund_pence, rule, recorded_by)
			SELECT `+st.Arg(r.ID)+`::uuid, id, `+st.Arg(after.ClientID)+`, `+st.Arg(r.ReceivedAt)+`, `+st.Arg(r.Source)+`, `+
			st.Arg(r.AmountPence)+`, `+st.Arg(r.ToDebtPence)+`, `+st.Arg(r.ToCompliancePence)+`, `+st.Arg(r.ToEnforcementPence)+`, `+
			st.Arg(r.ToSalePence)+`, `+st.Arg(r.RefundPence)+`, `+st.Arg(r.Rule)+`, `+st.Arg(r.RecordedBy)+` FROM c`)
	}
	// A joint debtor's erasure takes their findings away; any other change only adds.
	for _, f := range before.NecessityFindings {
		if !after.Erased() && !slices.ContainsFunc(after.NecessityFindings, func(g domain.NecessityFinding) bool { return g.DisclosureID == f.DisclosureID }) {
			st.With(st.Name("necessity_erased"), `DELETE FROM debt_necessity_findings WHERE case_id = (SELECT id FROM c) AND disclosure_id = `+st.Arg(f.DisclosureID)+`::uuid`)
		}
	}
	if !after.Erased() {
		for _, f := range after.NecessityFindings {
			if slices.ContainsFunc(before.NecessityFindings, func(g domain.NecessityFinding) bool { return g.DisclosureID == f.DisclosureID }) {
				continue
			}
			st.With(st.Name("necessity"), `INSERT INTO debt_necessity_findings (disclosure_id, case_id, debtor, recipient, found_by, found_at, reason)
				SELECT `+st.Arg(f.DisclosureID)+`::uuid, id, CAST(`+st.Arg(position(f.Debtor))+` AS smallint), `+st.Arg(f.Recipient)+`, `+
				st.Arg(f.FoundBy)+`, `+st.Arg(f.FoundAt)+`, `+st.Arg(f.Reason)+` FROM c`)
		}
	}
	if !after.Erased() {
		syncConsents(st, before.Consents, after.Consents)
		purgeErasedDebtorsShares(st, before, after)
	}
	msgs, err := messagesFor(after, ch)
	if err != nil {
		return nil, err
	}
	subject := ch.DataSubject
	if subject == "" {
		subject = "debtor:" + after.ID
	}
	// Erased, the case's disclosures leave the outbox: they carried what was just erased.
	return st, casestore.Record(st, casestore.Change{CaseID: after.ID, DataSubject: subject, Actor: ch.Actor, At: ch.At,
		Messages: msgs, Disclosures: ch.Disclosures, Audit: []audit.Entry{auditEntry(after, ch)},
		PurgeShares: after.Erased() && !before.Erased()})
}

// syncConsents writes what changed of the consents, each a debtor's (or, debtor NULL, one
// whose debtor is not known) to a recipient: a new one, one withdrawn or given again, and
// a joint debtor's taken away with their erasure.
func syncConsents(st *postgres.Statement, before, after []domain.Consent) {
	key := func(k domain.Consent) func(domain.Consent) bool {
		return func(o domain.Consent) bool { return o.Debtor == k.Debtor && o.Recipient == k.Recipient }
	}
	where := func(k domain.Consent) string {
		return `case_id = (SELECT id FROM c) AND debtor IS NOT DISTINCT FROM CAST(` + st.Arg(position(k.Debtor)) + ` AS smallint)
			AND recipient = ` + st.Arg(k.Recipient)
	}
	for _, k := range before {
		if !slices.ContainsFunc(after, key(k)) {
			st.With(st.Name("consent_erased"), `DELETE FROM debt_consents WHERE `+where(k))
		}
	}
	for _, k := range after {
		i := slices.IndexFunc(before, key(k))
		switch {
		case i < 0:
			st.With(st.Name("consent"), `INSERT INTO debt_consents (case_id, debtor, recipient, given_at, recorded_by, withdrawn_at)
				SELECT id, CAST(`+st.Arg(position(k.Debtor))+` AS smallint), `+st.Arg(k.Recipient)+`, `+st.Arg(k.GivenAt)+`, `+
				st.Arg(k.RecordedBy)+`, `+st.Arg(postgres.NullTime(k.WithdrawnAt))+` FROM c`)
		case !reflect.DeepEqual(before[i], k):
			st.With(st.Name("consent"), `UPDATE debt_consents SET given_at = `+st.Arg(k.GivenAt)+`, recorded_by = `+st.Arg(k.RecordedBy)+`,
				withdrawn_at = `+st.Arg(postgres.NullTime(k.WithdrawnAt))+` WHERE `+where(k))
		}
	}
}

// purgeErasedDebtorsShares takes out of the outbox, when a joint debtor's data is erased at
// their request (their name blanked), every share message of the case that may carry it:
// those logged as the case's debtors' (every name went), as theirs, or as theirs with other
// debtors' (app.SubjectsCarrying). The disclosure log keeps the record that each was made.
// Another debtor's own (a referral to the welfare team about them, or a disclosure on
// their consent alone) carries their name and the case's address and contact details,
// which the erasure keeps for the others: it stays.
func purgeErasedDebtorsShares(st *postgres.Statement, before, after *domain.Case) {
	for n, name := range before.Debtor.Names {
		if name == "" || n >= len(after.Debtor.Names) || after.Debtor.Names[n] != "" {
			continue
		}
		casestore.PurgeSharesWhere(st, after.ID, `l.data_subject = ANY(CAST(`+st.Arg(pq.Array(app.SubjectsCarrying(after.ID, n+1)))+` AS text[]))`)
	}
}

// sameAllocation reports whether two rows of a payment apply it alike.
func sameAllocation(a, b paymentRow) bool {
	return a.ToDebtPence == b.ToDebtPence && a.ToCompliancePence == b.ToCompliancePence && a.ToEnforcementPence == b.ToEnforcementPence &&
		a.ToSalePence == b.ToSalePence && a.RefundPence == b.RefundPence && a.Rule == b.Rule
}

func auditEntry(c *domain.Case, ch app.Change) audit.Entry {
	return audit.Entry{Chain: chain(c.ID), At: ch.At, Actor: ch.Actor, Action: "case." + ch.Event.Type, Subject: c.ID, Detail: ch.Event.Detail}
}
