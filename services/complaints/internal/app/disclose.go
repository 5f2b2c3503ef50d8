package app

import (
	"context"
	"slices"

	"casework.dev/contracts/events"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/services/complaints/internal/domain"
)

// FactAnonymityRequested is the notice fact a complainant's request not to be identified to
// the person complained about records; the notice says whom it holds what back from.
const FactAnonymityRequested = "anonymity_requested"

// DisclosureRequest asks to send a complaint's data to one recipient for one purpose.
type DisclosureRequest struct {
	Recipient  string
	Purpose    string
	Categories []string // empty: everything the notice allows
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
	Reason        string   `json:"reason,omitempty"`
	NoticeVersion string   `json:"notice_version"`
	Subject       string   `json:"subject"`
}

// RefusalError is a disclosure the notice does not allow; Reason is in a DPO's words.
type RefusalError = casework.RefusalError

// Disclose sends what the notice allows, minimised, and logs it, in one transaction with
// the case's audit row. A refusal changes nothing.
func (s *Service) Disclose(ctx context.Context, officer, id string, req DisclosureRequest) (DisclosureResult, error) {
	var result DisclosureResult
	a := s.actor(officer)
	_, err := s.repo.Update(ctx, id, func(c *domain.Complaint) (Change, error) {
		if c.Erased() {
			return Change{}, domain.ErrErased
		}
		if err := s.repo.CheckDisclosure(ctx, c.ID); err != nil {
			return Change{}, err // restricted at the complainant's request (UK GDPR Art 18)
		}
		disclosure, res, err := s.prepareDisclosure(c, req, "")
		if err != nil {
			return Change{}, err
		}
		result = res
		return Change{Actor: officer, At: a.Now, Events: []domain.Event{c.Disclosed(disclosure.Recipient, disclosure.Purpose, disclosure.Categories, a.Now)},
			Disclosures: []Disclosure{disclosure}}, nil
	})
	return result, err
}

// prepareDisclosure decides a disclosure of the complaint as it stands, on the notice
// occasion given (empty for an officer's request), and minimises its data. A refusal is a
// *RefusalError, or a *casework.RuleError when the data goes only on another occasion.
func (s *Service) prepareDisclosure(c *domain.Complaint, req DisclosureRequest, occasion string) (Disclosure, DisclosureResult, error) {
	var facts []string
	if c.AnonymityRequested {
		facts = append(facts, FactAnonymityRequested)
	}
	d := s.notice.Decide(notice.Request{Recipient: req.Recipient, Purpose: req.Purpose, Scope: scope(c.Stage),
		Recorded: recordedConditions(c, req.Recipient), Facts: facts, Occasion: occasion, Categories: req.Categories})
	if d.Rule != "" {
		return Disclosure{}, DisclosureResult{}, &casework.RuleError{Rule: d.Rule, Detail: d.Reason}
	}
	if !d.Allowed {
		return Disclosure{}, DisclosureResult{}, &RefusalError{Decision: d}
	}
	data, fields := s.notice.MinimiseFilled(d, caseFields(c))
	disclosure := Disclosure{ID: messaging.NewID(), Recipient: d.Recipient, Purpose: d.Purpose, Condition: d.Condition,
		Categories: d.Categories, NoticeVersion: d.NoticeVersion,
		Subject: events.ShareSubject(d.Recipient, "complaints", d.Purpose), Data: data}
	result := DisclosureResult{ID: disclosure.ID, Recipient: d.Recipient, Purpose: d.Purpose, Condition: d.Condition,
		Categories: d.Categories, Fields: fields, Withheld: nonNil(d.Withheld), Reason: d.Reason,
		NoticeVersion: d.NoticeVersion, Subject: disclosure.Subject}
	return disclosure, result, nil
}

// recordedConditions are the notice conditions the case records that may serve recipient:
// its consent (and explicit consent, where the complainant gave it explicitly), and what stage 3 records for the case as a whole (the complainant's request
// for the referral and, once an officer found it necessary, that finding). Which recipients
// each condition serves is the notice's to say.
func recordedConditions(c *domain.Complaint, recipient string) []string {
	var recorded []string
	if c.HasConsent(recipient) {
		recorded = append(recorded, "consent")
	}
	if c.HasExplicitConsent(recipient) {
		recorded = append(recorded, ConditionExplicitConsent)
	}
	if c.Stage3 != nil {
		recorded = append(recorded, ConditionComplainantRequest)
		if c.Stage3.Necessity != nil {
			recorded = append(recorded, ConditionRecordedNecessity)
		}
	}
	return recorded
}

// caseFields are the complaint's values under the field names the notice's categories use.
func caseFields(c *domain.Complaint) map[string]any {
	stage := c.Stage // the council's own stage whose dates and response the file shows
	if c.Stage == 3 && c.Stage3 != nil {
		stage = c.Stage3.Referral.FromStage
	}
	f := map[string]any{
		"complainant_name": c.Complainant.Name, "complainant_address": c.Complainant.Address,
		"complainant_phone": c.Complainant.Phone, "complainant_email": c.Complainant.Email,
		"details": c.Details, "special_details": c.SpecialDetails, "service": c.Service, "channel": c.Channel,
		"stage2_details": c.Stage2Details, "reference": c.Reference,
		"received_on": calendar.DateOf(c.ReceivedAt).String(),
	}
	if ack := c.Deadline(stage, domain.DeadlineAcknowledge); ack != nil && ack.MetAt != nil {
		f["acknowledged_on"] = calendar.DateOf(*ack.MetAt).String()
	}
	if resp := c.Deadline(stage, domain.DeadlineRespond); resp != nil {
		f["response_due_on"] = resp.Computed.DueDate.String()
	}
	if r := c.Responses[stage]; r != nil {
		f["outcome"] = string(r.Outcome)
		f["remedies"] = slices.Clone(r.Remedies)
		f["responded_on"] = calendar.DateOf(r.RespondedAt).String()
	}
	if c.ClosedAt != nil {
		f["closed_on"] = calendar.DateOf(*c.ClosedAt).String()
	}
	stage3Fields(c, f)
	return f
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
