package app

import (
	"context"
	"slices"
	"strings"

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
		asked := notice.Request{Recipient: req.Recipient, Purpose: req.Purpose, CaseType: c.DebtType,
			Recorded: recordedConditions(c, req), Categories: req.Categories}
		d := s.notice.Decide(asked)
		if !d.Allowed {
			return Change{}, &casework.RefusalError{Decision: d}
		}
		data, fields := s.notice.MinimiseFilled(d, caseFields(c))
		disclosure := Disclosure{ID: messaging.NewID(), Recipient: d.Recipient, Purpose: d.Purpose, Condition: d.Condition,
			Categories: d.Categories, NoticeVersion: d.NoticeVersion, Subject: events.ShareSubject(d.Recipient, "debt", d.Purpose), Data: data}
		withheld := d.Withheld
		if withheld == nil {
			withheld = []string{}
		}
		result = DisclosureResult{ID: disclosure.ID, Recipient: d.Recipient, Purpose: d.Purpose, Condition: d.Condition,
			Categories: d.Categories, Fields: fields, Withheld: withheld, Reason: d.Reason, NoticeVersion: d.NoticeVersion, Subject: disclosure.Subject}
		return Change{Actor: caller.Subject, At: a.Now, Event: c.Disclosed(d.Recipient, d.Purpose, d.Categories),
			Disclosures: []Disclosure{disclosure}}, nil
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

// recordedConditions are the notice conditions the case and the request record for the
// recipient: the debtor's consent, and an officer's finding of necessity for the welfare team.
func recordedConditions(c *domain.Case, req DisclosureRequest) []string {
	var recorded []string
	if c.HasConsent(req.Recipient) {
		recorded = append(recorded, "consent")
	}
	if req.Recipient == WelfareTeam && strings.TrimSpace(req.Necessity) != "" {
		recorded = append(recorded, "recorded_necessity")
	}
	return recorded
}

// caseFields are the case's values under the field names the notice's categories use.
func caseFields(c *domain.Case) map[string]any {
	f := map[string]any{
		// A blank name is a joint debtor's erased at their request.
		"debtor_names": slices.DeleteFunc(slices.Clone(c.Debtor.Names), func(n string) bool { return n == "" }),
		"address":      c.Debtor.Address, "phone": c.Debtor.Phone, "email": c.Debtor.Email, "gender": c.Debtor.Gender, "employment": c.Debtor.Employment,
		"vehicle_registration": c.Debtor.VehicleRegistration, "financial_information": c.Debtor.FinancialInformation,
		"vulnerability_nature": c.Debtor.VulnerabilityNature, "reported_vulnerability": c.Debtor.ReportedVulnerability,
		"debt_pence": c.DebtPence, "outstanding_pence": c.DebtOutstanding() + c.FeesOutstanding(),
		"order_kind": c.Order.Kind, "order_date": c.Order.Date.String(), "order_reference": c.Order.Reference,
		"reference": c.Reference, "client_reference": c.ClientReference, "stage": string(c.Stage), "status": string(c.Status),
	}
	if c.Returned != nil {
		f["returned_reason"], f["returned_on"] = c.Returned.Reason, calendar.DateOf(c.Returned.At).String()
	}
	return f
}
