package app

import (
	"context"
	"errors"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

// The Ombudsman in the complaints notice, who asks the enquiries stage 3 answers, and what
// stage 3 records: the notice decides who may receive what on these.
const (
	LGO                         = "lgo"
	PurposeOmbudsmanReferral    = "ombudsman_referral"
	ConditionComplainantRequest = "complainant_request"
	ConditionExplicitConsent    = "explicit_consent" // recorded with a consent the complainant gave explicitly
	ConditionRecordedNecessity  = "recorded_necessity"
	OccasionEnquiryResponse     = "enquiry_response"
)

// ReferToLGO records that the complainant has gone to the Ombudsman (stage 3). The
// referral records their request, so the Ombudsman may receive the case without consent.
// Warnings (never refusals) are on the complaint's referral.
func (s *Service) ReferToLGO(ctx context.Context, who domain.Caller, id string, in domain.LGOReferral) (*domain.Complaint, error) {
	return s.transitionAs(ctx, who, id, "refer_lgo", func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.ReferToLGO(a, in)
	})
}

// RecordEnquiry records an Ombudsman enquiry and the date it set for the response.
func (s *Service) RecordEnquiry(ctx context.Context, who domain.Caller, id, questions string, responseDue calendar.Date) (*domain.Complaint, error) {
	return s.transitionAs(ctx, who, id, "record_enquiry", func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.RecordEnquiry(a, questions, responseDue)
	})
}

// RecordNecessity records the finding that lets the special category details go to the Ombudsman.
func (s *Service) RecordNecessity(ctx context.Context, who domain.Caller, id, reason string) (*domain.Complaint, error) {
	return s.transitionAs(ctx, who, id, "record_necessity", func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.RecordNecessity(a, reason)
	})
}

// RecordDecision records the Ombudsman's decision and the remedies' compliance dates.
func (s *Service) RecordDecision(ctx context.Context, who domain.Caller, id string, in domain.LGODecisionInput) (*domain.Complaint, error) {
	return s.transitionAs(ctx, who, id, "record_decision", func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.RecordDecision(a, in)
	})
}

// RecordCompliance records that remedy n was carried out.
func (s *Service) RecordCompliance(ctx context.Context, who domain.Caller, id string, n int, note string) (*domain.Complaint, error) {
	return s.transitionAs(ctx, who, id, "record_compliance", func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.RecordCompliance(a, n, note)
	})
}

// EnquiryResponse is what the council sent in answer to one enquiry.
type EnquiryResponse struct {
	Enquiry    int              `json:"enquiry"`
	OnTime     bool             `json:"on_time"`
	Documents  []string         `json:"documents"`
	Disclosure DisclosureResult `json:"disclosure"`
}

// RespondToEnquiry answers enquiry n: the case file goes to the Ombudsman as a disclosure
// (recipient lgo, purpose ombudsman_referral, scope stage_3), with the titles of the
// documents sent, in the same transaction that meets the enquiry's deadline. The notice
// decides the categories; the special category details go only once the necessity is
// recorded. A refusal changes nothing.
func (s *Service) RespondToEnquiry(ctx context.Context, who domain.Caller, id string, n int, documents []string) (*domain.Complaint, EnquiryResponse, error) {
	var out EnquiryResponse
	officer := who.Officer
	a := s.actor(officer)
	c, err := s.repo.Update(ctx, id, func(c *domain.Complaint) (Change, error) {
		if !c.MayAccess(who) {
			return Change{}, errNoAccess
		}
		if c.Erased() {
			return Change{}, domain.ErrErased
		}
		e, err := c.RespondToEnquiry(a, n, documents, "")
		if err != nil {
			return Change{}, err
		}
		if err := s.repo.CheckDisclosure(ctx, c.ID); err != nil {
			return Change{}, err // restricted at the complainant's request (UK GDPR Art 18)
		}
		disclosure, result, err := s.prepareDisclosure(c, DisclosureRequest{Recipient: LGO, Purpose: PurposeOmbudsmanReferral}, OccasionEnquiryResponse)
		if err != nil {
			return Change{}, err
		}
		c.Stage3.Enquiries[n-1].DisclosureID = disclosure.ID
		e.Detail["recipient"], e.Detail["purpose"], e.Detail["categories"] = disclosure.Recipient, disclosure.Purpose, disclosure.Categories
		e.Detail["disclosure_id"] = disclosure.ID
		out = EnquiryResponse{Enquiry: n, OnTime: e.Detail["on_time"].(bool), Documents: nonNil(c.Stage3.Enquiries[n-1].Documents), Disclosure: result}
		return Change{Actor: officer, At: a.Now, Events: []domain.Event{e}, Disclosures: []Disclosure{disclosure}}, nil
	})
	if errors.Is(err, errNoAccess) {
		return nil, EnquiryResponse{}, s.refuse(ctx, who, id, "respond_to_enquiry")
	}
	if err != nil {
		return nil, EnquiryResponse{}, err
	}
	return c, out, nil
}

// DisclosureRecord is one row of the disclosure log: who received which categories of the
// complainant's data, when, why and on what condition (UK GDPR Art 15 and 19).
type DisclosureRecord struct {
	ID            string    `json:"id"`
	Recipient     string    `json:"recipient"`
	Purpose       string    `json:"purpose"`
	Condition     string    `json:"condition"`
	Categories    []string  `json:"categories"`
	NoticeVersion string    `json:"notice_version"`
	DisclosedAt   time.Time `json:"disclosed_at"`
	DisclosedBy   string    `json:"disclosed_by"`
}

// Disclosures lists what left the service about one complaint's complainant, oldest first,
// to a caller who may know of the complaint (the escalation handler: of a stage 3 one).
func (s *Service) Disclosures(ctx context.Context, who domain.Caller, id string) ([]DisclosureRecord, error) {
	if who.StageOnly() != 0 {
		c, err := s.repo.Read(ctx, id, who.Officer, s.now(), false)
		if err != nil {
			return nil, err
		}
		if !c.MayAccess(who) {
			return nil, s.refuse(ctx, who, id, "read_disclosures")
		}
	}
	return s.repo.Disclosures(ctx, id)
}

// stage3Fields adds the stage 3 values under the notice's field names.
func stage3Fields(c *domain.Complaint, f map[string]any) {
	s := c.Stage3
	if s == nil {
		return
	}
	f["stage3_details"] = s.Referral.Details
	f["lgo_reference"] = s.Referral.LGOReference
	var correspondence []map[string]any
	for _, e := range s.Enquiries {
		entry := map[string]any{"enquiry": e.N, "received_on": calendar.DateOf(e.ReceivedAt).String(), "questions": e.Questions,
			"documents": nonNil(e.Documents)}
		if d := c.Deadline(3, domain.EnquiryKind(e.N)); d != nil {
			entry["response_due_on"] = d.Computed.DueDate.String()
		}
		if e.RespondedAt != nil {
			entry["responded_on"] = calendar.DateOf(*e.RespondedAt).String()
		}
		correspondence = append(correspondence, entry)
	}
	if correspondence != nil {
		f["lgo_correspondence"] = correspondence
	}
	if d := s.Decision; d != nil {
		remedies := []map[string]any{}
		for _, r := range s.Remedies {
			entry := map[string]any{"remedy": r.N, "description": r.Description}
			if dl := c.Deadline(3, domain.RemedyKind(r.N)); dl != nil {
				entry["due_on"] = dl.Computed.DueDate.String()
			}
			if r.CompliedAt != nil {
				entry["complied_on"] = calendar.DateOf(*r.CompliedAt).String()
			}
			remedies = append(remedies, entry)
		}
		f["lgo_decision"] = map[string]any{"outcome": string(d.Outcome), "decided_on": d.DecidedOn.String(), "summary": d.Summary, "remedies": remedies}
	}
}
