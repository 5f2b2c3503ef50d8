package ports

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/httpserver"
	"casework.dev/services/complaints/internal/app"
	"casework.dev/services/complaints/internal/domain"
)

// Stage 3 request bodies.

type referralBody struct {
	LGOReference     string        `json:"lgo_reference"`
	FirstKnewOn      calendar.Date `json:"first_knew_on"`
	ProcessCompleted bool          `json:"process_completed"`
	Details          string        `json:"details"`
}

type enquiryBody struct {
	Questions     string        `json:"questions"`
	ResponseDueOn calendar.Date `json:"response_due_on"`
}

type enquiryResponseBody struct {
	Documents []string `json:"documents"`
}

type remedyBody struct {
	Description string        `json:"description"`
	DueOn       calendar.Date `json:"due_on"`
}

type decisionBody struct {
	Outcome   string        `json:"outcome"`
	DecidedOn calendar.Date `json:"decided_on"`
	Summary   string        `json:"summary"`
	Remedies  []remedyBody  `json:"remedies"`
}

type complianceBody struct {
	Note string `json:"note"`
}

// referralView is the complaint with the referral's warnings on top, so the caller sees
// at once what the Ombudsman may hold against it.
type referralView struct {
	complaintView
	Warnings []domain.Warning `json:"warnings"`
}

func (h handlers) referToLGO(w http.ResponseWriter, r *http.Request) error {
	var body referralBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	c, err := h.svc.ReferToLGO(r.Context(), caller(r), r.PathValue("id"), domain.LGOReferral{LGOReference: body.LGOReference,
		FirstKnewOn: body.FirstKnewOn, ProcessCompleted: body.ProcessCompleted, Details: body.Details})
	if err != nil {
		return err
	}
	warnings := append([]domain.Warning{}, c.Stage3.Referral.Warnings...)
	httpserver.SetVersionTag(w, c.Version)
	return httpserver.WriteJSON(w, http.StatusOK, referralView{complaintView: viewOf(c, h.svc.Now(), nil), Warnings: warnings})
}

func (h handlers) recordNecessity(w http.ResponseWriter, r *http.Request) error {
	var body reasonBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	c, err := h.svc.RecordNecessity(r.Context(), caller(r), r.PathValue("id"), body.Reason)
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, c)
}

func (h handlers) recordEnquiry(w http.ResponseWriter, r *http.Request) error {
	var body enquiryBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	c, err := h.svc.RecordEnquiry(r.Context(), caller(r), r.PathValue("id"), body.Questions, body.ResponseDueOn)
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, c)
}

func (h handlers) respondToEnquiry(w http.ResponseWriter, r *http.Request) error {
	n, err := pathNumber(r)
	if err != nil {
		return err
	}
	var body enquiryResponseBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	c, res, err := h.svc.RespondToEnquiry(r.Context(), caller(r), r.PathValue("id"), n, body.Documents)
	if err != nil {
		return err
	}
	httpserver.SetVersionTag(w, c.Version)
	return httpserver.WriteJSON(w, http.StatusCreated, struct {
		app.EnquiryResponse
		Complaint complaintView `json:"complaint"`
	}{res, viewOf(c, h.svc.Now(), nil)})
}

func (h handlers) recordDecision(w http.ResponseWriter, r *http.Request) error {
	var body decisionBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	in := domain.LGODecisionInput{Outcome: domain.LGOOutcome(body.Outcome), DecidedOn: body.DecidedOn, Summary: body.Summary}
	for _, m := range body.Remedies {
		in.Remedies = append(in.Remedies, domain.RemedyInput{Description: m.Description, DueOn: m.DueOn})
	}
	c, err := h.svc.RecordDecision(r.Context(), caller(r), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, c)
}

func (h handlers) recordCompliance(w http.ResponseWriter, r *http.Request) error {
	n, err := pathNumber(r)
	if err != nil {
		return err
	}
	var body complianceBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	c, err := h.svc.RecordCompliance(r.Context(), caller(r), r.PathValue("id"), n, body.Note)
	if err != nil {
		return err
	}
	return h.reply(w, http.StatusOK, c)
}

func (h handlers) disclosures(w http.ResponseWriter, r *http.Request) error {
	items, err := h.svc.Disclosures(r.Context(), caller(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	if items == nil {
		items = []app.DisclosureRecord{}
	}
	return httpserver.WriteJSON(w, http.StatusOK, map[string]any{"complaint_id": r.PathValue("id"), "items": items})
}

// pathNumber reads {n}; the OpenAPI validator has already checked it is a positive integer.
func pathNumber(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		return 0, httpserver.Validation("n must be a positive whole number", httpserver.FieldError{Parameter: "n", Detail: "must be 1 or more"})
	}
	return n, nil
}

// Stage 3 views.

type stage3View struct {
	LGOReference     string           `json:"lgo_reference"`
	FirstKnewOn      calendar.Date    `json:"first_knew_on"`
	ProcessCompleted bool             `json:"process_completed"`
	Details          string           `json:"details"`
	FromStatus       string           `json:"from_status"`
	ReferredAt       time.Time        `json:"referred_at"`
	ReferredBy       string           `json:"referred_by"`
	Warnings         []domain.Warning `json:"warnings"`
	Enquiries        []enquiryView    `json:"enquiries"`
	Decision         *decisionView    `json:"decision"`
	Remedies         []remedyView     `json:"remedies"`
	Necessity        *necessityView   `json:"necessity"`
	Earlier          []earlierView    `json:"earlier"`
}

// earlierView is a referral the Ombudsman sent back as premature, with its decision.
type earlierView struct {
	LGOReference     string           `json:"lgo_reference"`
	FirstKnewOn      calendar.Date    `json:"first_knew_on"`
	ProcessCompleted bool             `json:"process_completed"`
	Details          string           `json:"details"`
	FromStatus       string           `json:"from_status"`
	ReferredAt       time.Time        `json:"referred_at"`
	ReferredBy       string           `json:"referred_by"`
	Warnings         []domain.Warning `json:"warnings"`
	Decision         *decisionView    `json:"decision"`
}

type enquiryView struct {
	N             int           `json:"n"`
	Questions     string        `json:"questions"`
	ReceivedAt    time.Time     `json:"received_at"`
	RecordedBy    string        `json:"recorded_by"`
	ResponseDueOn calendar.Date `json:"response_due_on"`
	RespondedAt   *time.Time    `json:"responded_at"`
	RespondedBy   string        `json:"responded_by,omitempty"`
	Documents     []string      `json:"documents"`
	DisclosureID  string        `json:"disclosure_id,omitempty"`
}

type decisionView struct {
	Outcome    string        `json:"outcome"`
	DecidedOn  calendar.Date `json:"decided_on"`
	Summary    string        `json:"summary"`
	RecordedAt time.Time     `json:"recorded_at"`
	RecordedBy string        `json:"recorded_by"`
}

type remedyView struct {
	N           int           `json:"n"`
	Description string        `json:"description"`
	DueOn       calendar.Date `json:"due_on"`
	CompliedAt  *time.Time    `json:"complied_at"`
	CompliedBy  string        `json:"complied_by,omitempty"`
	Note        string        `json:"note,omitempty"`
}

type necessityView struct {
	Reason     string    `json:"reason"`
	RecordedAt time.Time `json:"recorded_at"`
	RecordedBy string    `json:"recorded_by"`
}

func stage3ViewOf(c *domain.Complaint) *stage3View {
	s := c.Stage3
	if s == nil {
		return nil
	}
	r := s.Referral
	v := &stage3View{LGOReference: r.LGOReference, FirstKnewOn: r.FirstKnewOn, ProcessCompleted: r.ProcessCompleted, Details: r.Details,
		FromStatus: string(r.FromStatus), ReferredAt: r.ReferredAt, ReferredBy: r.ReferredBy,
		Warnings: append([]domain.Warning{}, r.Warnings...), Enquiries: []enquiryView{}, Remedies: []remedyView{}, Earlier: []earlierView{}}
	for _, e := range s.Earlier {
		ev := earlierView{LGOReference: e.Referral.LGOReference, FirstKnewOn: e.Referral.FirstKnewOn, ProcessCompleted: e.Referral.ProcessCompleted,
			Details: e.Referral.Details, FromStatus: string(e.Referral.FromStatus), ReferredAt: e.Referral.ReferredAt, ReferredBy: e.Referral.ReferredBy,
			Warnings: append([]domain.Warning{}, e.Referral.Warnings...)}
		if d := e.Decision; d != nil {
			ev.Decision = &decisionView{Outcome: string(d.Outcome), DecidedOn: d.DecidedOn, Summary: d.Summary, RecordedAt: d.RecordedAt, RecordedBy: d.RecordedBy}
		}
		v.Earlier = append(v.Earlier, ev)
	}
	for _, e := range s.Enquiries {
		ev := enquiryView{N: e.N, Questions: e.Questions, ReceivedAt: e.ReceivedAt, RecordedBy: e.RecordedBy,
			RespondedAt: e.RespondedAt, RespondedBy: e.RespondedBy, Documents: append([]string{}, e.Documents...), DisclosureID: e.DisclosureID}
		if d := c.Deadline(3, domain.EnquiryKind(e.N)); d != nil {
			ev.ResponseDueOn = d.Computed.DueDate
		}
		v.Enquiries = append(v.Enquiries, ev)
	}
	if d := s.Decision; d != nil {
		v.Decision = &decisionView{Outcome: string(d.Outcome), DecidedOn: d.DecidedOn, Summary: d.Summary, RecordedAt: d.RecordedAt, RecordedBy: d.RecordedBy}
	}
	for _, m := range s.Remedies {
		rv := remedyView{N: m.N, Description: m.Description, CompliedAt: m.CompliedAt, CompliedBy: m.CompliedBy, Note: m.ComplianceNote}
		if d := c.Deadline(3, domain.RemedyKind(m.N)); d != nil {
			rv.DueOn = d.Computed.DueDate
		}
		v.Remedies = append(v.Remedies, rv)
	}
	if n := s.Necessity; n != nil {
		v.Necessity = &necessityView{Reason: n.Reason, RecordedAt: n.RecordedAt, RecordedBy: n.RecordedBy}
	}
	return v
}

// disclosuresOfPerson answers a rights request: every disclosure of one person's data,
// across their complaints, found by their e-mail or phone.
func (h handlers) disclosuresOfPerson(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	complaints, items, err := h.svc.DisclosuresOfPerson(r.Context(), officer(r), app.Person{Email: q.Get("email"), Phone: q.Get("phone")})
	var invalid *casework.ValidationError
	if errors.As(err, &invalid) { // the fields are query parameters here
		return httpserver.Validation("the request is not acceptable", httpserver.FieldError{Parameter: invalid.Field, Detail: invalid.Detail})
	}
	if err != nil {
		return err
	}
	if complaints == nil {
		complaints = []app.PersonComplaint{}
	}
	if items == nil {
		items = []app.PersonDisclosure{}
	}
	return httpserver.WriteJSON(w, http.StatusOK, map[string]any{"complaints": complaints, "items": items})
}
