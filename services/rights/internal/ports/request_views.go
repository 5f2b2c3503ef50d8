package ports

import (
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
)

// requestView is a rights request as the API shows it to the DPO's team.
type requestView struct {
	ID             string              `json:"id"`
	Reference      string              `json:"reference"`
	Kind           string              `json:"kind"`
	Status         string              `json:"status"`
	Phase          string              `json:"phase"`
	ReceivedAt     time.Time           `json:"received_at"`
	Requester      personBody          `json:"requester"`
	Subject        rights.Identifiers  `json:"subject"`
	Representative *representativeBody `json:"representative"`
	Identity       identityView        `json:"identity"`
	Awaiting       string              `json:"awaiting,omitempty"`
	Details        string              `json:"details"`
	Rectification  *rectificationBody  `json:"rectification"`
	Deadline       deadlineView        `json:"deadline"`
	Extension      *extensionView      `json:"extension"`
	Lift           *liftView           `json:"lift"`
	Search         *fanOutView         `json:"search"`
	Candidates     []candidateView     `json:"candidates"`
	Matches        []matchBody         `json:"matches"`
	ConfirmedBy    string              `json:"confirmed_by,omitempty"`
	ConfirmedAt    *time.Time          `json:"confirmed_at,omitempty"`
	Action         *fanOutView         `json:"action"`
	Outcomes       []outcomeView       `json:"outcomes"`
	Notices        []noticeView        `json:"article19_notices"`
	// Pending names the services the current fan-out still waits for; Complete is true only
	// when none.
	Pending      []string           `json:"pending"`
	Complete     bool               `json:"complete"`
	Closure      *closureView       `json:"closure"`
	RetentionDue *calendar.Date     `json:"retention_due,omitempty"`
	Erased       bool               `json:"erased"`
	History      []app.HistoryEntry `json:"history,omitempty"`
}

type identityView struct {
	Verified   bool       `json:"verified"`
	Method     string     `json:"method,omitempty"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	VerifiedBy string     `json:"verified_by,omitempty"`
}

// deadlineView is the month and how it was computed (rule, start, days skipped, clock
// stops, extensions, holiday table version), as complaints' deadlines explain themselves.
type deadlineView struct {
	DueAt       time.Time         `json:"due_at"`
	DueDate     calendar.Date     `json:"due_date"`
	Stopped     bool              `json:"stopped"`
	OverdueAt   *time.Time        `json:"overdue_at"`
	Computation calendar.Deadline `json:"computation"`
}

// liftView is a restriction lifted, with when and how the person was told beforehand.
type liftView struct {
	ToldOn  calendar.Date `json:"told_on"`
	ToldHow string        `json:"told_how"`
	By      string        `json:"by"`
	At      time.Time     `json:"at"`
}

type extensionView struct {
	Months  int           `json:"months"`
	Reason  string        `json:"reason"`
	ToldOn  calendar.Date `json:"told_on"`
	ToldHow string        `json:"told_how"`
	By      string        `json:"by"`
	At      time.Time     `json:"at"`
}

type stepView struct {
	Service       string     `json:"service"`
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error,omitempty"`
	LastTriedAt   *time.Time `json:"last_tried_at,omitempty"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	AnsweredAt    *time.Time `json:"answered_at,omitempty"`
}

type fanOutView struct {
	Verb      string     `json:"verb"`
	StartedAt time.Time  `json:"started_at"`
	Complete  bool       `json:"complete"`
	Services  []stepView `json:"services"`
}

type candidateView struct {
	Service string `json:"service"`
	rights.Candidate
}

type outcomeView struct {
	Service string `json:"service"`
	Verb    string `json:"verb"`
	rights.Outcome
}

type noticeView struct {
	ID                   string     `json:"id"`
	Service              string     `json:"service"`
	Recipient            string     `json:"recipient"`
	Action               string     `json:"action"`
	OriginalDisclosureID string     `json:"original_disclosure_id"`
	SentAt               *time.Time `json:"sent_at"`
	Refused              string     `json:"refused,omitempty"`
	Acknowledged         bool       `json:"acknowledged"`
	AcknowledgedAt       *time.Time `json:"acknowledged_at,omitempty"`
	AcknowledgedBy       string     `json:"acknowledged_by,omitempty"`
}

type closureView struct {
	At      time.Time `json:"at"`
	By      string    `json:"by"`
	Outcome string    `json:"outcome"`
	Ground  string    `json:"ground,omitempty"`
	Reasons string    `json:"reasons,omitempty"`
	OnTime  bool      `json:"on_time"`
}

func requestViewOf(r *domain.Request, history []app.HistoryEntry) requestView {
	v := requestView{ID: r.ID, Reference: r.Reference, Kind: string(r.Kind), Status: string(r.Status), Phase: string(r.Phase),
		ReceivedAt: r.ReceivedAt, Subject: r.Subject, Awaiting: string(r.Awaiting), Details: r.Details,
		Requester: personBody{Name: r.Requester.Name, Email: r.Requester.Email, Phone: r.Requester.Phone, Address: r.Requester.Address},
		Identity:  identityView{Verified: r.Identity.Verified, Method: r.Identity.Method, VerifiedAt: r.Identity.VerifiedAt, VerifiedBy: r.Identity.VerifiedBy},
		Deadline: deadlineView{DueAt: r.Deadline.Due, DueDate: r.Deadline.DueDate, Stopped: r.Deadline.Stopped(), OverdueAt: r.OverdueAt,
			Computation: r.Deadline},
		Search: fanOutViewOf(r.Search), Action: fanOutViewOf(r.Action), Candidates: []candidateView{}, Matches: []matchBody{},
		Outcomes: []outcomeView{}, Notices: []noticeView{}, Pending: r.Pending(), ConfirmedBy: r.ConfirmedBy, ConfirmedAt: r.ConfirmedAt,
		Erased: r.Erased(), History: history}
	v.Complete = len(v.Pending) == 0 && (r.Phase == domain.PhaseConfirming || r.Phase == domain.PhaseReady)
	if rep := r.Representative; rep != nil {
		v.Representative = &representativeBody{Name: rep.Name, Organisation: rep.Organisation, Authority: rep.Authority}
	}
	if rc := r.Rectification; rc != nil {
		v.Rectification = &rectificationBody{Field: rc.Field, Value: rc.Value}
	}
	if l := r.Lift; l != nil {
		v.Lift = &liftView{ToldOn: l.ToldOn, ToldHow: l.ToldHow, By: l.By, At: l.At}
	}
	if e := r.Extension; e != nil {
		v.Extension = &extensionView{Months: e.Months, Reason: e.Reason, ToldOn: e.ToldOn, ToldHow: e.ToldHow, By: e.By, At: e.At}
	}
	for _, c := range r.Candidates {
		v.Candidates = append(v.Candidates, candidateView{Service: c.Service, Candidate: c.Candidate})
	}
	for _, m := range r.Matches {
		v.Matches = append(v.Matches, matchBody{Service: m.Service, RecordID: m.RecordID})
	}
	for _, o := range r.Outcomes {
		shown := o.Outcome
		shown.Disclosures = disclosuresShown(o.Disclosures)
		v.Outcomes = append(v.Outcomes, outcomeView{Service: o.Service, Verb: o.Verb, Outcome: shown})
	}
	for _, n := range r.Notices {
		nv := noticeView{ID: n.ID, Service: n.Service, Recipient: n.Recipient, Action: n.Action, OriginalDisclosureID: n.OriginalDisclosureID,
			Refused: n.Refused, Acknowledged: n.AcknowledgedAt != nil, AcknowledgedAt: n.AcknowledgedAt, AcknowledgedBy: n.AcknowledgedBy}
		if n.Refused == "" {
			sent := n.SentAt
			nv.SentAt = &sent
		}
		v.Notices = append(v.Notices, nv)
	}
	if c := r.Closed; c != nil {
		v.Closure = &closureView{At: c.At, By: c.By, Outcome: string(c.Outcome), Ground: c.Ground, Reasons: c.Reasons, OnTime: c.OnTime}
	}
	if !r.RetentionDue.IsZero() {
		due := r.RetentionDue
		v.RetentionDue = &due
	}
	return v
}

func fanOutViewOf(f *domain.FanOut) *fanOutView {
	if f == nil {
		return nil
	}
	v := &fanOutView{Verb: f.Verb, StartedAt: f.StartedAt, Complete: f.Settled(), Services: []stepView{}}
	for _, s := range f.Steps {
		sv := stepView{Service: s.Service, State: string(s.State), Attempts: s.Attempts, LastError: s.LastError,
			LastTriedAt: s.LastTriedAt, AnsweredAt: s.AnsweredAt}
		if s.State == domain.StepPending {
			next := s.NextAttemptAt
			sv.NextAttemptAt = &next
		}
		v.Services = append(v.Services, sv)
	}
	return v
}

// disclosuresShown are a service's logged disclosures as the contract shows them
// (RecordDisclosure): without in_place, which only decides internally that a recipient
// reading the record as now held (the public register) is owed no Article 19 notice.
func disclosuresShown(ds []rights.Disclosure) []rights.Disclosure {
	if ds == nil {
		return nil
	}
	out := make([]rights.Disclosure, len(ds))
	for i, d := range ds {
		d.InPlace = false
		out[i] = d
	}
	return out
}
