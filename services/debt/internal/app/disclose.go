package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"casework.dev/contracts/events"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/services/debt/internal/domain"
)

// WelfareTeam is the council's own team a vulnerable debtor may be referred to.
const WelfareTeam = "welfare-team"

// DisclosureRequest asks to send a case's data to one recipient for one purpose.
type DisclosureRequest struct {
	Recipient  string
	Purpose    string
	Categories []string // empty: everything the notice allows
	// Necessity is the officer's finding that the welfare team needs the data; it records
	// the notice's recorded_necessity condition (its words stay out of logs and events).
	Necessity string
	// Debtor is, for the welfare team only, whose data it is given: a vulnerable debtor's
	// position in the case's names, from 1; 0 for the only one whose vulnerability the case
	// records (domain.Case.WelfareDebtor).
	Debtor int
}

// DisclosureResult is what was sent and what was held back, and why.
type DisclosureResult struct {
	ID            string   `json:"id"`
	Recipient     string   `json:"recipient"`
	Purpose       string   `json:"purpose"`
	Condition     string   `json:"condition"`
	Categories    []string `json:"categories"`
	Fields        []string `json:"fields"`
	Withheld      []string `json:"withheld"`
	Reason        string   `json:"reason"`
	NoticeVersion string   `json:"notice_version"`
	Subject       string   `json:"subject"`
}

// Disclose sends what the notice allows, minimised, and logs it with the case's audit row
// in one statement. A client council receives its own cases only; a refusal changes nothing.
func (s *Service) Disclose(ctx context.Context, caller Caller, id string, req DisclosureRequest) (DisclosureResult, error) {
	var result DisclosureResult
	if err := domain.CheckText("necessity", req.Necessity); err != nil {
		return result, err
	}
	// Sent at all, a finding is checked (white space only is none, and refused), never
	// trimmed or taken for no finding.
	onNecessity := req.Necessity != ""
	if onNecessity && req.Recipient != WelfareTeam {
		return result, &casework.ValidationError{Field: "necessity", Detail: "a finding of necessity is recorded only for the council's welfare team"}
	}
	if onNecessity {
		if err := domain.CheckNecessity(req.Necessity); err != nil {
			return result, err
		}
	}
	if req.Debtor != 0 && req.Recipient != WelfareTeam {
		return result, &casework.ValidationError{Field: "debtor", Detail: "names whose data the council's welfare team is given, and is for the welfare team only"}
	}
	if err := s.visible(ctx, caller, id); err != nil {
		return result, err
	}
	a := s.actor(caller.Subject)
	_, err := s.repo.Update(ctx, id, func(c *domain.Case) (Change, error) {
		if c.Erased() {
			return Change{}, domain.ErrErased
		}
		if err := s.ownCouncilOnly(ctx, c, req.Purpose, req.Recipient); err != nil {
			return Change{}, err
		}
		if err := s.repo.CheckDisclosure(ctx, c.ID); err != nil {
			return Change{}, err // restricted at a debtor's request (UK GDPR Art 18)
		}
		// The welfare team supports a vulnerable debtor: whose data it is given is settled
		// first, so a finding is recorded as that debtor's.
		debtor := 0
		if req.Recipient == WelfareTeam {
			var err error
			if debtor, err = c.WelfareDebtor(req.Debtor); err != nil {
				return Change{}, err
			}
		}
		if onNecessity {
			if err := c.NecessityAllowed(debtor); err != nil {
				return Change{}, err // before the notice is asked, so the refusal names the rule
			}
		}
		asked := notice.Request{Recipient: req.Recipient, Purpose: req.Purpose, CaseType: c.DebtType,
			Recorded: recordedConditions(c, req), Categories: req.Categories}
		d := s.notice.Decide(asked)
		if !d.Allowed {
			return Change{}, &casework.RefusalError{Decision: d}
		}
		values, subject := caseFields(c), ""
		switch n := debtor - 1; {
		case d.Recipient == WelfareTeam:
			// The welfare team supports the vulnerable debtor: another joint debtor's data is
			// not theirs to have, and the log says whose it was (that debtor's answers list it).
			values = debtorFields(c, n)
			if n >= 0 {
				subject = dataSubject(recordOf(c, n).id)
			}
		case slices.Contains(strings.Split(d.Condition, "+"), conditionConsent): // the decision joins the conditions it rests on with "+"
			// A consent covers only the debtor who gave it (UK GDPR Art 6(1)(a), 7): the
			// recipient is given the consenting debtors' data alone, and the log names them,
			// so another joint debtor's answers do not list it. The address and contact
			// details of a joint case are its debtors' jointly, so each consenting debtor's
			// own: they go as the notice's categories allow.
			consenting := c.ConsentingDebtors(d.Recipient)
			values, subject = debtorsFields(c, positionsFrom0(consenting)), debtorsSubject(c, consenting)
		}
		data, fields := s.notice.MinimiseFilled(d, values)
		disclosure := Disclosure{ID: messaging.NewID(), Recipient: d.Recipient, Purpose: d.Purpose, Condition: d.Condition,
			Categories: d.Categories, NoticeVersion: d.NoticeVersion, Subject: events.ShareSubject(d.Recipient, "debt", d.Purpose), Data: data}
		event := c.Disclosed(d.Recipient, d.Purpose, d.Categories)
		if onNecessity && d.Condition == "recorded_necessity" {
			// The finding is kept with the case, tied to this disclosure: who, when, why.
			if err := c.RecordNecessity(disclosure.ID, d.Recipient, req.Necessity, debtor, a); err != nil {
				return Change{}, err
			}
			event.Detail["necessity_recorded"] = true // that one was, never its words
		}
		withheld := d.Withheld
		if withheld == nil {
			withheld = []string{}
		}
		result = DisclosureResult{ID: disclosure.ID, Recipient: d.Recipient, Purpose: d.Purpose, Condition: d.Condition,
			Categories: d.Categories, Fields: fields, Withheld: withheld, Reason: d.Reason, NoticeVersion: d.NoticeVersion, Subject: disclosure.Subject}
		return Change{Actor: caller.Subject, At: a.Now, Event: event, Disclosures: []Disclosure{disclosure}, DataSubject: subject}, nil
	})
	return result, err
}

// ownCouncilOnly refuses a recipient that is some client's council for a case another
// client referred: the notice names each client council "for its own debts only". Which
// recipients are client councils is the clients table's to say, not a name's.
func (s *Service) ownCouncilOnly(ctx context.Context, c *domain.Case, purpose, recipient string) error {
	isClient, err := s.repo.IsClientCouncil(ctx, recipient)
	if err != nil || !isClient {
		return err
	}
	client, err := s.repo.Client(ctx, c.ClientID)
	if err != nil {
		return err
	}
	if client.Council != recipient {
		return &casework.RefusalError{Decision: notice.Decision{Recipient: recipient, Purpose: purpose, NoticeVersion: s.notice.Version,
			Reason: "A client council receives only the debts it referred; " + c.Reference + " was referred by another client."}}
	}
	return nil
}

// conditionConsent is the notice's condition of a debtor's recorded consent.
const conditionConsent = "consent"

// recordedConditions are the notice conditions the case and the request record for the
// recipient: a debtor's consent (some debtor's: the disclosure then carries theirs alone),
// and an officer's finding of necessity for the welfare team.
func recordedConditions(c *domain.Case, req DisclosureRequest) []string {
	var recorded []string
	if len(c.ConsentingDebtors(req.Recipient)) > 0 {
		recorded = append(recorded, conditionConsent)
	}
	if req.Recipient == WelfareTeam && req.Necessity != "" {
		recorded = append(recorded, "recorded_necessity")
	}
	return recorded
}

// caseFields are the case's values under the field names the notice's categories use. The
// nature of a vulnerability is the most recently flagged one's; debtorFields gives each
// debtor their own.
func caseFields(c *domain.Case) map[string]any {
	nature := ""
	if v := c.LatestVulnerability(); v != nil {
		nature = v.Nature
	}
	f := map[string]any{
		// A blank name is a joint debtor's erased at their request.
		"debtor_names": slices.DeleteFunc(slices.Clone(c.Debtor.Names), func(n string) bool { return n == "" }),
		"address":      c.Debtor.Address, "phone": c.Debtor.Phone, "email": c.Debtor.Email, "gender": c.Debtor.Gender, "employment": c.Debtor.Employment,
		"vehicle_registration": c.Debtor.VehicleRegistration, "financial_information": c.Debtor.FinancialInformation,
		"vulnerability_nature": nature, "reported_vulnerability": c.Debtor.ReportedVulnerability,
		"debt_pence": c.DebtPence, "outstanding_pence": c.DebtOutstanding() + c.FeesOutstanding(),
		"order_kind": c.Order.Kind, "order_date": c.Order.Date.String(), "order_reference": c.Order.Reference,
		"reference": c.Reference, "client_reference": c.ClientReference, "stage": string(c.Stage), "status": string(c.Status),
	}
	if c.Returned != nil {
		f["returned_reason"], f["returned_on"] = c.Returned.Reason, calendar.DateOf(c.Returned.At).String()
	}
	// Fees and payments are financial_information. A fee not recoverable under reg 12 says
	// the debtor is vulnerable (health data by inference), so it goes to no recipient; the
	// vulnerable debtor's own export adds it back (feesOf(c, true, true)). Absent when there
	// are none, so a recipient is not told of an empty list.
	if fees := feesOf(c, false, false); len(fees) > 0 {
		f["fees"] = fees
	}
	if payments := paymentsOf(c); len(payments) > 0 {
		f["payments"] = payments
	}
	return f
}

// debtorFields are caseFields as they concern debtor n alone (n from 0, as Debtor.Names; -1
// for none): debtorsFields of n.
func debtorFields(c *domain.Case, n int) map[string]any { return debtorsFields(c, []int{n}) }

// debtorsFields are caseFields as they concern the debtors ns alone (from 0, as
// Debtor.Names): their names, without the other debtors', and what the case records of a
// vulnerability only where it is one of theirs (the most recently flagged of theirs, never
// another's). A joint debtor is not told of another's health (UK GDPR Art 15(4)), nor is the
// welfare team, which supports the vulnerable debtor only, nor a recipient on some debtors'
// consent. A case returned because a debtor is vulnerable says so only where the
// vulnerability the case records is theirs (flagged, or reported as theirs).
func debtorsFields(c *domain.Case, ns []int) map[string]any {
	f := caseFields(c)
	names := []string{}
	for _, n := range ns {
		if n >= 0 && n < len(c.Debtor.Names) && c.Debtor.Names[n] != "" {
			names = append(names, c.Debtor.Names[n])
		}
	}
	f["debtor_names"] = names
	theirs := func(debtor int) bool { return debtor > 0 && slices.Contains(ns, debtor-1) }
	var own *domain.Vulnerability
	for i := range c.Vulnerabilities { // the most recently flagged is the last
		if theirs(c.Vulnerabilities[i].Debtor) {
			own = &c.Vulnerabilities[i]
		}
	}
	f["vulnerability_nature"] = ""
	if own != nil {
		f["vulnerability_nature"] = own.Nature
	}
	reported := theirs(c.Debtor.ReportedVulnerableDebtor) && c.Debtor.ReportedVulnerability != ""
	if !reported {
		f["reported_vulnerability"] = ""
	}
	if c.Returned != nil && c.Returned.Reason == domain.ReturnVulnerable && own == nil && !reported {
		delete(f, "returned_reason")
	}
	return f
}

// positionsFrom0 are debtors' positions from 1 counted from 0, as Debtor.Names.
func positionsFrom0(debtors []int) []int {
	out := make([]int, len(debtors))
	for i, d := range debtors {
		out[i] = d - 1
	}
	return out
}

// feesOf lists the fees charged. For a recipient, the recoverable ones. For a debtor's own
// answer, each says whether it is recoverable, and one not recoverable (under reg 12: it
// says a debtor is vulnerable) is listed, with why, only when the vulnerability is theirs.
func feesOf(c *domain.Case, debtor, ownVulnerability bool) []map[string]any {
	out := []map[string]any{}
	for _, fee := range c.Fees {
		if !fee.Recoverable && !(debtor && ownVulnerability) {
			continue
		}
		entry := map[string]any{"stage": string(fee.Stage), "charged_on": calendar.DateOf(fee.ChargedAt).String(),
			"sum_to_recover_pence": fee.SumToRecoverPence, "fixed_pence": fee.FixedPence, "percent_pence": fee.PercentPence,
			"total_pence": fee.TotalPence, "paid_pence": fee.PaidPence}
		if debtor {
			entry["recoverable"] = fee.Recoverable
			if !fee.Recoverable {
				entry["not_recoverable"] = fee.NotRecoverable
			}
		}
		out = append(out, entry)
	}
	return out
}

// paymentsOf lists the payments received and how each was apportioned (reg 13), without
// who recorded them.
func paymentsOf(c *domain.Case) []map[string]any {
	out := []map[string]any{}
	for _, p := range c.Payments {
		toFees := map[string]int64{}
		for st, n := range p.ToFeesPence {
			if n != 0 {
				toFees[string(st)] = n
			}
		}
		out = append(out, map[string]any{"received_at": p.ReceivedAt.UTC().Format(time.RFC3339), "source": p.Source,
			"amount_pence": p.AmountPence, "to_debt_pence": p.ToDebtPence, "to_fees_pence": toFees, "refund_pence": p.RefundPence, "rule": p.Rule})
	}
	return out
}
