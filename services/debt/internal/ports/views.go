package ports

import (
	"slices"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/debt/internal/app"
	"casework.dev/services/debt/internal/domain"
)

type feeView struct {
	Stage             string `json:"stage"`
	ScheduleID        string `json:"schedule_id"`
	SumToRecoverPence int64  `json:"sum_to_recover_pence"`
	FixedPence        int64  `json:"fixed_pence"`
	PercentPence      int64  `json:"percent_pence"`
	TotalPence        int64  `json:"total_pence"`
	Recoverable       bool   `json:"recoverable"`
	NotRecoverable    string `json:"not_recoverable,omitempty"`
	PaidPence         int64  `json:"paid_pence"`
}

type paymentView struct {
	ID          string           `json:"id"`
	ReceivedAt  time.Time        `json:"received_at"`
	Source      string           `json:"source"`
	AmountPence int64            `json:"amount_pence"`
	ToDebtPence int64            `json:"to_debt_pence"`
	ToFeesPence map[string]int64 `json:"to_fees_pence"`
	RefundPence int64            `json:"refund_pence"`
	Rule        string           `json:"rule"`
}

type caseView struct {
	ID                   string             `json:"id"`
	Reference            string             `json:"reference"`
	ClientID             string             `json:"client_id"`
	ClientReference      string             `json:"client_reference"`
	DebtType             string             `json:"debt_type"`
	Order                map[string]string  `json:"order"`
	Stage                string             `json:"stage"`
	Status               string             `json:"status"`
	ReferredAt           time.Time          `json:"referred_at"`
	DebtPence            int64              `json:"debt_pence"`
	DebtOutstandingPence int64              `json:"debt_outstanding_pence"`
	FeesOutstandingPence int64              `json:"fees_outstanding_pence"`
	FeeSchedule          map[string]any     `json:"fee_schedule"`
	Notice               map[string]any     `json:"notice_of_enforcement"`
	Fees                 []feeView          `json:"fees"`
	Payments             []paymentView      `json:"payments"`
	Visits               []map[string]any   `json:"visits"`
	GoodsControlled      *string            `json:"goods_controlled"`
	EarliestSaleDate     *calendar.Date     `json:"earliest_sale_date,omitempty"`
	Arrangement          map[string]any     `json:"arrangement,omitempty"`
	ArrangementReviews   []map[string]any   `json:"arrangement_reviews"`
	Vulnerability        map[string]any     `json:"vulnerability,omitempty"`
	Vulnerabilities      []map[string]any   `json:"vulnerabilities"`
	Debtor               map[string]any     `json:"debtor"`
	Consents             []string           `json:"consents"`
	DebtorConsents       []map[string]any   `json:"debtor_consents"`
	NecessityFindings    []map[string]any   `json:"necessity_findings"`
	Returned             map[string]any     `json:"returned,omitempty"`
	RetentionDue         *calendar.Date     `json:"retention_due,omitempty"`
	LegalHold            bool               `json:"legal_hold"`
	Erased               bool               `json:"erased"`
	Version              int                `json:"version"`
	History              []app.HistoryEntry `json:"history,omitempty"`
}

func viewOf(c *domain.Case, history []app.HistoryEntry) caseView {
	v := caseView{ID: c.ID, Reference: c.Reference, ClientID: c.ClientID, ClientReference: c.ClientReference, DebtType: c.DebtType,
		Order: map[string]string{"kind": c.Order.Kind, "date": c.Order.Date.String(), "reference": c.Order.Reference},
		Stage: string(c.Stage), Status: string(c.Status), ReferredAt: c.ReferredAt, DebtPence: c.DebtPence,
		DebtOutstandingPence: c.DebtOutstanding(), FeesOutstandingPence: c.FeesOutstanding(),
		FeeSchedule: map[string]any{"id": c.Schedule.Schedule.ID, "effective_from": c.Schedule.Schedule.EffectiveFrom, "chosen_on": c.Schedule.ChosenOn, "how": c.Schedule.How},
		Notice: map[string]any{"issued_at": c.Notice.IssuedAt, "earliest_control_date": c.Notice.EarliestControl.DueDate,
			"earliest_control": c.Notice.EarliestControl, "control_limit_date": c.Notice.ControlLimit.DueDate, "control_limit": c.Notice.ControlLimit},
		Fees: []feeView{}, Payments: []paymentView{}, Visits: []map[string]any{}, Consents: []string{}, DebtorConsents: []map[string]any{}, NecessityFindings: []map[string]any{},
		ArrangementReviews: []map[string]any{}, Vulnerabilities: []map[string]any{},
		LegalHold: c.LegalHold != nil, Erased: c.Erased(), Version: c.Version, History: history,
		Debtor: map[string]any{"names": nonNil(c.Debtor.Names), "address": c.Debtor.Address, "phone": c.Debtor.Phone, "email": c.Debtor.Email,
			"vehicle_registration": c.Debtor.VehicleRegistration, "employment": c.Debtor.Employment,
			"reported_vulnerability": c.Debtor.ReportedVulnerability, "vulnerability_nature": ""},
	}
	for _, f := range c.Fees {
		v.Fees = append(v.Fees, feeView{Stage: string(f.Stage), ScheduleID: f.ScheduleID, SumToRecoverPence: f.SumToRecoverPence, FixedPence: f.FixedPence,
			PercentPence: f.PercentPence, TotalPence: f.TotalPence, Recoverable: f.Recoverable, NotRecoverable: f.NotRecoverable, PaidPence: f.PaidPence})
	}
	for _, p := range c.Payments {
		fees := map[string]int64{}
		for st, n := range p.ToFeesPence {
			if n != 0 {
				fees[string(st)] = n
			}
		}
		v.Payments = append(v.Payments, paymentView{ID: p.ID, ReceivedAt: p.ReceivedAt, Source: p.Source, AmountPence: p.AmountPence,
			ToDebtPence: p.ToDebtPence, ToFeesPence: fees, RefundPence: p.RefundPence, Rule: p.Rule})
	}
	for _, vi := range c.Visits {
		visit := map[string]any{"n": vi.N, "at": vi.At, "agent": vi.Agent, "outcome": vi.Outcome,
			"body_worn_video": vi.BodyWornVideo, "exception": vi.Exception}
		if vi.Purpose != "" {
			visit["purpose"] = vi.Purpose
		}
		v.Visits = append(v.Visits, visit)
	}
	if g := c.GoodsControlled; g != nil {
		v.GoodsControlled = &g.How
	}
	if s := c.SaleNotice; s != nil {
		d := s.EarliestSale.DueDate
		v.EarliestSaleDate = &d
	}
	if a := c.Arrangement; a != nil {
		var ins []map[string]any
		for _, in := range a.Instalments {
			ins = append(ins, map[string]any{"n": in.N, "due_date": in.DueDate, "amount_pence": in.AmountPence, "missed": in.MissedAt != nil})
		}
		v.Arrangement = map[string]any{"made_at": a.MadeAt, "instalments": ins, "defaulted": a.DefaultedAt != nil, "review_pending": c.ArrangementReviewPending()}
		if c.ArrangementReviewPending() {
			v.Arrangement["breached_at"] = *a.BreachedAt
		}
	}
	for _, r := range c.ArrangementReviews {
		v.ArrangementReviews = append(v.ArrangementReviews, map[string]any{"at": r.At, "by": r.By, "arrangement_made_at": r.ArrangementMadeAt,
			"breached_at": r.BreachedAt, "decision": r.Decision, "reason": r.Reason})
	}
	// vulnerability and debtor.vulnerability_nature are the most recently flagged one's, as
	// when a case held one; vulnerabilities has each debtor's, with its nature.
	if vu := c.LatestVulnerability(); vu != nil {
		v.Vulnerability = vulnerabilityView(*vu)
		v.Debtor["vulnerability_nature"] = vu.Nature
	}
	for _, vu := range c.VulnerabilitiesByDebtor() {
		entry := vulnerabilityView(vu)
		entry["nature"] = vu.Nature
		v.Vulnerabilities = append(v.Vulnerabilities, entry)
	}
	for _, f := range c.NecessityFindings {
		v.NecessityFindings = append(v.NecessityFindings, map[string]any{"disclosure_id": f.DisclosureID, "recipient": f.Recipient,
			"found_by": f.FoundBy, "found_at": f.FoundAt, "reason": f.Reason})
	}
	// consents are the recipients some debtor's consent stands for; debtor_consents says
	// whose each is, one whose debtor is not known (it releases nothing) without a debtor.
	for _, k := range c.StandingConsents() {
		entry := map[string]any{"recipient": k.Recipient, "given_at": k.GivenAt}
		if k.Debtor > 0 {
			entry["debtor"] = k.Debtor
			if !slices.Contains(v.Consents, k.Recipient) {
				v.Consents = append(v.Consents, k.Recipient)
			}
		}
		v.DebtorConsents = append(v.DebtorConsents, entry)
	}
	slices.Sort(v.Consents)
	if r := c.Returned; r != nil {
		v.Returned = map[string]any{"reason": r.Reason, "at": r.At}
	}
	if !c.RetentionDue.IsZero() {
		d := c.RetentionDue
		v.RetentionDue = &d
	}
	return v
}

// vulnerabilityView is a flag and its review as staff read it; whose it is when known.
func vulnerabilityView(vu domain.Vulnerability) map[string]any {
	v := map[string]any{"flagged_at": vu.FlaggedAt, "acute": vu.Acute, "pending_review": vu.PendingReview(),
		"advice_opportunity_given": vu.AdviceOpportunity}
	if vu.Debtor > 0 {
		v["debtor"] = vu.Debtor
	}
	return v
}

// clientCaseView is a case as a client council's user reads it: the categories the notice
// lets the client receive (return_to_client) and nothing else. debtor_name and
// debtor_address (names, address), financial_information (the debt, what is outstanding,
// the recoverable fees, payments, the arrangement), court_proceedings (the order) and
// case_record (references, stage, status, why and when it went back). Never the debtor's
// phone, email, employment or vehicle, nothing about a vulnerability (its nature is health
// data; a flag, a hold or a fee not recoverable under reg 12 says one exists) but that the
// case went back for it (the returned reason, case_record: the council, as creditor, must
// know why enforcement stopped), the agents' visits, consents, legal holds, the officers'
// reviews of a breached arrangement (their reasons speak of the debtor's circumstances) or
// the audit trail.
type clientCaseView struct {
	ID                   string            `json:"id"`
	Reference            string            `json:"reference"`
	ClientID             string            `json:"client_id"`
	ClientReference      string            `json:"client_reference"`
	DebtType             string            `json:"debt_type"`
	Order                map[string]string `json:"order"`
	Stage                string            `json:"stage"`
	Status               string            `json:"status"`
	ReferredAt           time.Time         `json:"referred_at"`
	DebtPence            int64             `json:"debt_pence"`
	DebtOutstandingPence int64             `json:"debt_outstanding_pence"`
	FeesOutstandingPence int64             `json:"fees_outstanding_pence"`
	Fees                 []feeView         `json:"fees"`
	Payments             []paymentView     `json:"payments"`
	Arrangement          map[string]any    `json:"arrangement,omitempty"`
	Debtor               map[string]any    `json:"debtor"`
	Returned             map[string]any    `json:"returned,omitempty"`
	Erased               bool              `json:"erased"`
	Version              int               `json:"version"`
}

// clientViewOf cuts a case down to what its client may see (clientCaseView).
func clientViewOf(c *domain.Case) clientCaseView {
	full := viewOf(c, nil)
	v := clientCaseView{ID: full.ID, Reference: full.Reference, ClientID: full.ClientID, ClientReference: full.ClientReference,
		DebtType: full.DebtType, Order: full.Order, Stage: full.Stage, Status: full.Status, ReferredAt: full.ReferredAt,
		DebtPence: full.DebtPence, DebtOutstandingPence: full.DebtOutstandingPence, FeesOutstandingPence: full.FeesOutstandingPence,
		Fees: []feeView{}, Payments: full.Payments, Arrangement: full.Arrangement, Returned: full.Returned,
		Debtor: map[string]any{"names": full.Debtor["names"], "address": full.Debtor["address"]}, Erased: full.Erased, Version: full.Version}
	for _, f := range full.Fees {
		if f.Recoverable { // a fee not recoverable is one a vulnerable debtor was not given time for advice on (reg 12)
			v.Fees = append(v.Fees, f)
		}
	}
	return v
}

// clientSummary is a case in a list as a client's user reads it: the summary without the
// vulnerability hold (that a debtor is vulnerable is health data the client may not have).
type clientSummary struct {
	ID              string    `json:"id"`
	Reference       string    `json:"reference"`
	ClientID        string    `json:"client_id"`
	ClientReference string    `json:"client_reference"`
	DebtType        string    `json:"debt_type"`
	Stage           string    `json:"stage"`
	Status          string    `json:"status"`
	ReferredAt      time.Time `json:"referred_at"`
	Returned        string    `json:"returned,omitempty"`
	Erased          bool      `json:"erased"`
}

func clientSummaries(items []app.Summary) []clientSummary {
	out := make([]clientSummary, len(items))
	for i, s := range items {
		out[i] = clientSummary{ID: s.ID, Reference: s.Reference, ClientID: s.ClientID, ClientReference: s.ClientReference, DebtType: s.DebtType,
			Stage: s.Stage, Status: s.Status, ReferredAt: s.ReferredAt, Returned: s.Returned, Erased: s.Erased}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
