package ports

import (
	"sort"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/app"
	"casework.dev/services/complaints/internal/domain"
)

// Request bodies. Unknown fields and duplicate keys are refused by the decoder.

type complainantBody struct {
	Name    string `json:"name"`
	Address string `json:"address"`
	Phone   string `json:"phone"`
	Email   string `json:"email"`
}

type logComplaintBody struct {
	Complainant        complainantBody `json:"complainant"`
	Details            string          `json:"details"`
	SpecialDetails     string          `json:"special_details"`
	Service            string          `json:"service"`
	Channel            string          `json:"channel"`
	ReceivedAt         *time.Time      `json:"received_at"`
	AnonymityRequested bool            `json:"anonymity_requested"`
	Handler            string          `json:"handler"`
	ConsentTo          []string        `json:"consent_to"`
}

type extendBody struct {
	WorkingDays int    `json:"working_days"`
	Reason      string `json:"reason"`
}

type respondBody struct {
	Outcome  string   `json:"outcome"`
	Summary  string   `json:"summary"`
	Remedies []string `json:"remedies"`
}

type escalateBody struct {
	FurtherDetails string     `json:"further_details"`
	Handler        string     `json:"handler"`
	ReceivedAt     *time.Time `json:"received_at"`
}

type reasonBody struct {
	Reason string `json:"reason"`
}

type consentBody struct {
	Recipient string `json:"recipient"`
	Explicit  bool   `json:"explicit"`
}

type disclosureBody struct {
	Recipient  string   `json:"recipient"`
	Purpose    string   `json:"purpose"`
	Categories []string `json:"categories"`
}

// Responses.

type complaintView struct {
	ID                 string             `json:"id"`
	Reference          string             `json:"reference"`
	Stage              int                `json:"stage"`
	Status             string             `json:"status"`
	Service            string             `json:"service"`
	Channel            string             `json:"channel"`
	ReceivedAt         time.Time          `json:"received_at"`
	AnonymityRequested bool               `json:"anonymity_requested"`
	Handlers           handlersView       `json:"handlers"`
	Complainant        *complainantBody   `json:"complainant"`
	Details            string             `json:"details"`
	SpecialDetails     string             `json:"special_details"`
	Stage2Details      string             `json:"stage2_details"`
	Deadlines          []deadlineView     `json:"deadlines"`
	Responses          []responseView     `json:"responses"`
	Consents           []consentView      `json:"consents"`
	AllowedActions     []domain.Action    `json:"allowed_actions"`
	Overdue            []string           `json:"overdue"`
	ClosedAt           *time.Time         `json:"closed_at"`
	ClosureReason      string             `json:"closure_reason"`
	RetentionDue       *calendar.Date     `json:"retention_due"`
	LegalHold          *legalHoldView     `json:"legal_hold"`
	ErasedAt           *time.Time         `json:"erased_at"`
	Stage3             *stage3View        `json:"stage3"`
	Version            int                `json:"version"`
	History            []app.HistoryEntry `json:"history,omitempty"`
}

type handlersView struct {
	Stage1 string `json:"stage1"`
	Stage2 string `json:"stage2,omitempty"`
}

type deadlineView struct {
	Stage       int               `json:"stage"`
	Kind        string            `json:"kind"`
	DueAt       time.Time         `json:"due_at"`
	DueDate     calendar.Date     `json:"due_date"`
	MetAt       *time.Time        `json:"met_at"`
	OverdueAt   *time.Time        `json:"overdue_at"`
	Stopped     bool              `json:"stopped"`
	EndedAt     *time.Time        `json:"ended_at"`
	Computation calendar.Deadline `json:"computation"`
}

type responseView struct {
	Stage       int       `json:"stage"`
	Outcome     string    `json:"outcome"`
	Summary     string    `json:"summary"`
	Remedies    []string  `json:"remedies"`
	RespondedAt time.Time `json:"responded_at"`
	RespondedBy string    `json:"responded_by,omitempty"`
	OnTime      bool      `json:"on_time"`
}

type legalHoldView struct {
	Reason string    `json:"reason"`
	SetAt  time.Time `json:"set_at"`
	SetBy  string    `json:"set_by"`
}

type consentView struct {
	Recipient   string     `json:"recipient"`
	GivenAt     time.Time  `json:"given_at"`
	RecordedBy  string     `json:"recorded_by"`
	WithdrawnAt *time.Time `json:"withdrawn_at"`
	Explicit    bool       `json:"explicit"`
}

func viewOf(c *domain.Complaint, now time.Time, history []app.HistoryEntry) complaintView {
	v := complaintView{
		ID: c.ID, Reference: c.Reference, Stage: c.Stage, Status: string(c.Status), Service: c.Service, Channel: c.Channel,
		ReceivedAt: c.ReceivedAt, AnonymityRequested: c.AnonymityRequested,
		Handlers: handlersView{Stage1: c.Stage1Handler, Stage2: c.Stage2Handler},
		Details:  c.Details, SpecialDetails: c.SpecialDetails, Stage2Details: c.Stage2Details,
		Deadlines: []deadlineView{}, Responses: []responseView{}, Consents: []consentView{},
		AllowedActions: c.AllowedActions(), Overdue: c.Overdue(now), ClosedAt: c.ClosedAt, ClosureReason: c.ClosureReason,
		ErasedAt: c.ErasedAt, Version: c.Version, History: history, Stage3: stage3ViewOf(c),
	}
	if v.AllowedActions == nil {
		v.AllowedActions = []domain.Action{}
	}
	if !c.Erased() {
		v.Complainant = &complainantBody{Name: c.Complainant.Name, Address: c.Complainant.Address, Phone: c.Complainant.Phone, Email: c.Complainant.Email}
	}
	if h := c.LegalHold; h != nil {
		v.LegalHold = &legalHoldView{Reason: h.Reason, SetAt: h.SetAt, SetBy: h.SetBy}
	}
	if !c.RetentionDue.IsZero() {
		d := c.RetentionDue
		v.RetentionDue = &d
	}
	for _, d := range c.Deadlines {
		v.Deadlines = append(v.Deadlines, deadlineView{Stage: d.Stage, Kind: string(d.Kind), DueAt: d.Computed.Due,
			DueDate: d.Computed.DueDate, MetAt: d.MetAt, OverdueAt: d.OverdueAt, Stopped: d.Open() && d.Computed.Stopped(), EndedAt: d.EndedAt,
			Computation: d.Computed})
	}
	for stage := 1; stage <= 2; stage++ {
		if r := c.Responses[stage]; r != nil {
			remedies := r.Remedies
			if remedies == nil {
				remedies = []string{}
			}
			v.Responses = append(v.Responses, responseView{Stage: stage, Outcome: string(r.Outcome), Summary: r.Summary,
				Remedies: remedies, RespondedAt: r.RespondedAt, RespondedBy: r.RespondedBy, OnTime: r.OnTime})
		}
	}
	for _, k := range c.Consents {
		v.Consents = append(v.Consents, consentView{Recipient: k.Recipient, GivenAt: k.GivenAt, RecordedBy: k.RecordedBy, WithdrawnAt: k.WithdrawnAt, Explicit: k.Explicit})
	}
	sort.Slice(v.Consents, func(i, j int) bool { return v.Consents[i].Recipient < v.Consents[j].Recipient })
	return v
}
