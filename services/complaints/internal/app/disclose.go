package app

import (
	"context"
	"slices"
	"sort"
	"strings"

	"casework.dev/contracts/events"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/notice"
	"casework.dev/services/complaints/internal/domain"
)

// SubjectOfComplaint is the notice's recipient for the person or organisation complained
// about, from whom a complainant may ask to stay anonymous.
const SubjectOfComplaint = "subject-of-complaint"

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
		disclosure, res, err := s.prepareDisclosure(c, req)
		if err != nil {
			return Change{}, err
		}
		if req.Recipient == LGO {
			// What the notice allows the Ombudsman goes only as the answer to its enquiry, by
			// the escalation handler, with the documents listed.
			return Change{}, &casework.RuleError{Rule: "lgo_via_enquiry_response",
				Detail: "the Ombudsman receives the case file with the response to its enquiry: POST /complaints/{id}/lgo/enquiries/{n}/response"}
		}
		result = res
		return Change{Actor: officer, At: a.Now, Events: []domain.Event{c.Disclosed(disclosure.Recipient, disclosure.Purpose, disclosure.Categories, a.Now)},
			Disclosures: []Disclosure{disclosure}}, nil
	})
	return result, err
}

// prepareDisclosure decides a disclosure of the complaint as it stands and minimises its
// data; a refusal is a *RefusalError.
func (s *Service) prepareDisclosure(c *domain.Complaint, req DisclosureRequest) (Disclosure, DisclosureResult, error) {
	asked := notice.Request{Recipient: req.Recipient, Purpose: req.Purpose, Scope: scope(c.Stage),
		Recorded: recordedConditions(c, req.Recipient), Categories: req.Categories}
	d := s.notice.Decide(asked)
	if d.Allowed && c.AnonymityRequested && req.Recipient == SubjectOfComplaint {
		d = withholdIdentity(s.notice, asked, d)
	}
	if !d.Allowed {
		return Disclosure{}, DisclosureResult{}, &RefusalError{Decision: d}
	}
	data := s.notice.MinimiseFields(d, caseFields(c))
	fields := make([]string, 0, len(data))
	for f, v := range data {
		if v == "" || v == nil {
			delete(data, f)
			continue
		}
		fields = append(fields, f)
	}
	sort.Strings(fields)
	disclosure := Disclosure{ID: messaging.NewID(), Recipient: d.Recipient, Purpose: d.Purpose, Condition: d.Condition,
		Categories: d.Categories, NoticeVersion: d.NoticeVersion,
		Subject: events.ShareSubject(d.Recipient, "complaints", d.Purpose), Data: data}
	result := DisclosureResult{ID: disclosure.ID, Recipient: d.Recipient, Purpose: d.Purpose, Condition: d.Condition,
		Categories: d.Categories, Fields: fields, Withheld: nonNil(d.Withheld), Reason: d.Reason,
		NoticeVersion: d.NoticeVersion, Subject: disclosure.Subject}
	return disclosure, result, nil
}

// recordedConditions are the notice conditions the case records for recipient: consent,
// and for the Ombudsman the complainant's request (recorded by the referral) and, once an
// officer found it necessary, the condition for the special category details.
func recordedConditions(c *domain.Complaint, recipient string) []string {
	var recorded []string
	if c.HasConsent(recipient) {
		recorded = append(recorded, "consent")
	}
	if recipient == LGO && c.Stage3 != nil {
		recorded = append(recorded, ConditionComplainantRequest)
		if c.Stage3.Necessity != nil {
			recorded = append(recorded, ConditionRecordedNecessity)
		}
	}
	return recorded
}

// withholdIdentity honours a complainant's request not to be identified to the person
// complained about: names and contact details stay back, the rest may go. It decides again
// without them, so the reason names only what actually goes.
func withholdIdentity(n *notice.Notice, asked notice.Request, d notice.Decision) notice.Decision {
	var kept, held []string
	for _, id := range d.Categories {
		cat, _ := n.Category(id)
		if cat.Kind == "identity" || cat.Kind == "contact" {
			held = append(held, id)
		} else {
			kept = append(kept, id)
		}
	}
	if len(held) == 0 {
		return d
	}
	if len(kept) == 0 {
		rec, _ := n.Recipient(asked.Recipient)
		d.Allowed, d.Categories, d.Condition, d.SpecialConditions = false, nil, "", nil
		d.Withheld = append(d.Withheld, held...)
		sort.Strings(d.Withheld)
		d.Reason = "Nothing may be shared with " + rec.Name + ": the complainant asked not to be identified to them."
		return d
	}
	// Asking again for what is kept and what was already withheld keeps the notes on the latter.
	asked.Categories = append(kept, d.Withheld...)
	again := n.Decide(asked)
	again.Withheld = append(again.Withheld, held...)
	sort.Strings(again.Withheld)
	why := "The complainant asked not to be identified to the person complained about, so their name and contact details are withheld."
	again.Reason = strings.TrimSpace(again.Reason + " " + why)
	return again
}

// caseFields are the complaint's values under the field names the notice's categories use.
func caseFields(c *domain.Complaint) map[string]any {
	stage := c.Stage // the council's own stage whose dates and response the file shows
	if c.Stage3 != nil {
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
