package ports

import (
	"context"
	"net/http"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
)

// foiView is a request for information as the API shows it to officers.
type foiView struct {
	ID           string             `json:"id"`
	Reference    string             `json:"reference"`
	Regime       string             `json:"regime"`
	RegimeReason string             `json:"regime_reason"`
	Status       string             `json:"status"`
	ReceivedAt   time.Time          `json:"received_at"`
	Requester    personBody         `json:"requester"`
	Details      string             `json:"details"`
	Summary      string             `json:"summary"`
	Deadline     deadlineView       `json:"deadline"`
	Extension    string             `json:"extension_reason,omitempty"`
	Parts        []partBody         `json:"parts"`
	Outcome      string             `json:"outcome,omitempty"`
	RespondedAt  *time.Time         `json:"responded_at"`
	RespondedBy  string             `json:"responded_by,omitempty"`
	OnTime       *bool              `json:"on_time"`
	Published    bool               `json:"published"`
	Review       *foiReviewView     `json:"review"`
	RetentionDue *calendar.Date     `json:"retention_due,omitempty"`
	Erased       bool               `json:"erased"`
	History      []app.HistoryEntry `json:"history,omitempty"`
}

type publicInterestBody struct {
	ForDisclosure      string `json:"for_disclosure"`
	ForWithholding     string `json:"for_withholding"`
	FavoursWithholding bool   `json:"favours_withholding"`
	Conclusion         string `json:"conclusion"`
}

type partBody struct {
	Description    string              `json:"description"`
	Outcome        string              `json:"outcome"`
	Exemption      string              `json:"exemption,omitempty"`
	PublicInterest *publicInterestBody `json:"public_interest,omitempty"`
}

type foiReviewView struct {
	RequestedAt time.Time    `json:"requested_at"`
	Deadline    deadlineView `json:"deadline"`
	Extended    bool         `json:"extended"`
	Outcome     string       `json:"outcome,omitempty"`
	Reasons     string       `json:"reasons,omitempty"`
	DecidedAt   *time.Time   `json:"decided_at"`
	DecidedBy   string       `json:"decided_by,omitempty"`
}

func foiViewOf(f *domain.FOIRequest, history []app.HistoryEntry) foiView {
	v := foiView{ID: f.ID, Reference: f.Reference, Regime: string(f.Regime), RegimeReason: f.RegimeReason, Status: string(f.Status),
		ReceivedAt: f.ReceivedAt, Requester: bodyOf(f.Requester), Details: f.Details, Summary: f.Summary,
		Deadline:  deadlineView{DueAt: f.Deadline.Due, DueDate: f.Deadline.DueDate, Stopped: f.Deadline.Stopped(), OverdueAt: f.OverdueAt, Computation: f.Deadline},
		Extension: f.Extension, Parts: []partBody{}, RespondedAt: f.RespondedAt, RespondedBy: f.RespondedBy, Published: f.Publish,
		Erased: f.ErasedAt != nil, History: history}
	for _, p := range f.Parts {
		pb := partBody{Description: p.Description, Outcome: p.Outcome, Exemption: p.Exemption}
		if pi := p.PublicInterest; pi != nil {
			pb.PublicInterest = &publicInterestBody{ForDisclosure: pi.ForDisclosure, ForWithholding: pi.ForWithholding,
				FavoursWithholding: pi.FavoursWithhold, Conclusion: pi.Conclusion}
		}
		v.Parts = append(v.Parts, pb)
	}
	if f.RespondedAt != nil {
		onTime := f.OnTime
		v.OnTime, v.Outcome = &onTime, f.Outcome()
	}
	if r := f.Review; r != nil {
		v.Review = &foiReviewView{RequestedAt: r.RequestedAt, Extended: r.Extended, Outcome: r.Outcome, Reasons: r.Reasons,
			DecidedAt: r.DecidedAt, DecidedBy: r.DecidedBy,
			Deadline: deadlineView{DueAt: r.Deadline.Due, DueDate: r.Deadline.DueDate, OverdueAt: r.OverdueAt, Computation: r.Deadline}}
	}
	if !f.RetentionDue.IsZero() {
		due := f.RetentionDue
		v.RetentionDue = &due
	}
	return v
}

func (h handlers) foiReply(w http.ResponseWriter, status int, f *domain.FOIRequest, err error) error {
	if err != nil {
		return err
	}
	return httpserver.WriteJSON(w, status, foiViewOf(f, nil))
}

type newFOIBody struct {
	Regime       string     `json:"regime"`
	RegimeReason string     `json:"regime_reason"`
	ReceivedAt   time.Time  `json:"received_at"`
	Requester    personBody `json:"requester"`
	Details      string     `json:"details"`
	Summary      string     `json:"summary"`
}

func (h handlers) receiveFOI(w http.ResponseWriter, r *http.Request) error {
	var body newFOIBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	f, err := h.svc.ReceiveFOI(r.Context(), officer(r), domain.NewFOIRequest{Regime: domain.Regime(body.Regime),
		RegimeReason: body.RegimeReason, ReceivedAt: body.ReceivedAt, Requester: personOf(body.Requester), Details: body.Details,
		Summary: body.Summary})
	if err == nil {
		w.Header().Set("Location", "/foi/"+f.ID)
	}
	return h.foiReply(w, http.StatusCreated, f, err)
}

type regimeBody struct {
	Regime string `json:"regime"`
	Reason string `json:"reason"`
}

func (h handlers) changeRegime() httpserver.HandlerFunc {
	return changeWith(h, foiShown, func(ctx context.Context, officer, id string, body regimeBody) (*domain.FOIRequest, error) {
		return h.svc.ChangeRegime(ctx, officer, id, domain.Regime(body.Regime), body.Reason)
	})
}

type receivedBody struct {
	ReceivedAt time.Time `json:"received_at"`
}

func (h handlers) restartFOIClock() httpserver.HandlerFunc {
	return changeWith(h, foiShown, func(ctx context.Context, officer, id string, body receivedBody) (*domain.FOIRequest, error) {
		return h.svc.RestartFOIClock(ctx, officer, id, body.ReceivedAt)
	})
}

type reasonBody struct {
	Reason string `json:"reason"`
}

func (h handlers) extendFOI() httpserver.HandlerFunc {
	return changeWith(h, foiShown, func(ctx context.Context, officer, id string, body reasonBody) (*domain.FOIRequest, error) {
		return h.svc.ExtendFOI(ctx, officer, id, body.Reason)
	})
}

type respondBody struct {
	Parts   []partBody `json:"parts"`
	Publish bool       `json:"publish"`
}

func (h handlers) respondFOI(w http.ResponseWriter, r *http.Request) error {
	var body respondBody
	if err := h.decode(r, &body); err != nil {
		return err
	}
	parts := make([]domain.Part, len(body.Parts))
	for i, p := range body.Parts {
		parts[i] = domain.Part{Description: p.Description, Outcome: p.Outcome, Exemption: p.Exemption}
		if pi := p.PublicInterest; pi != nil {
			parts[i].PublicInterest = &domain.PublicInterest{ForDisclosure: pi.ForDisclosure, ForWithholding: pi.ForWithholding,
				FavoursWithhold: pi.FavoursWithholding, Conclusion: pi.Conclusion}
		}
	}
	f, err := h.svc.RespondFOI(r.Context(), officer(r), r.PathValue("id"), parts, body.Publish)
	return h.foiReply(w, http.StatusOK, f, err)
}

type reviewRequestBody struct {
	RequestedAt time.Time `json:"requested_at"`
}

func (h handlers) requestFOIReview() httpserver.HandlerFunc {
	return changeWith(h, foiShown, func(ctx context.Context, officer, id string, body reviewRequestBody) (*domain.FOIRequest, error) {
		return h.svc.RequestFOIReview(ctx, officer, id, body.RequestedAt)
	})
}

type reviewDecisionBody struct {
	Outcome string `json:"outcome"`
	Reasons string `json:"reasons"`
}

func (h handlers) decideFOIReview() httpserver.HandlerFunc {
	return changeWith(h, foiShown, func(ctx context.Context, officer, id string, body reviewDecisionBody) (*domain.FOIRequest, error) {
		return h.svc.DecideFOIReview(ctx, officer, id, body.Outcome, body.Reasons)
	})
}

// disclosureLog is the public log of released responses: no token, no requester.
func (h handlers) disclosureLog(w http.ResponseWriter, r *http.Request) error {
	entries, err := h.svc.DisclosureLog(r.Context())
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []app.DisclosureLogEntry{}
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	return httpserver.WriteJSON(w, http.StatusOK, map[string]any{"responses": entries})
}
