// Package app holds the information rights use cases, one file each. It orchestrates the
// domain, the notice engine, the calendar and the other services' answers, and leaves
// transactions to the repository.
package app

import (
	"context"
	"time"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/rights/internal/domain"
)

// Disclosure is personal data leaving for one recipient, already decided and minimised.
type Disclosure struct {
	ID            string
	Recipient     string
	Purpose       string
	Condition     string
	Categories    []string
	NoticeVersion string
	Subject       string // the NATS subject
	DataSubject   string // whose data, for the disclosure log
	Data          map[string]any
}

// Change is what one use case did: its events (published, audited) and any disclosures,
// written in the same transaction as the new state.
type Change struct {
	Actor       string
	At          time.Time
	Events      []domain.Event
	Disclosures []Disclosure
}

// Filter narrows a list.
type Filter struct {
	Status string
	Kind   string
	Limit  int
	After  string // reference to page after
}

// Summary is a request in a list: no personal data.
type Summary struct {
	ID        string    `json:"id"`
	Reference string    `json:"reference"`
	Kind      string    `json:"kind"`
	Status    string    `json:"status"`
	Phase     string    `json:"phase"`
	DueAt     time.Time `json:"due_at"`
	DueDate   string    `json:"due_date"`
	Overdue   bool      `json:"overdue"`
	Erased    bool      `json:"erased"`
}

// HistoryEntry is one line of a case's audit trail.
type HistoryEntry = audit.HistoryEntry

// Requests persists rights requests. Add and Update write the state, the outbox messages,
// the disclosure log rows and the audit rows in one transaction.
type Requests interface {
	Add(ctx context.Context, r *domain.Request, ch Change) error
	// Update locks the request, lets fn change it and saves it with fn's change; when fn
	// fails nothing is written.
	Update(ctx context.Context, id string, fn func(r *domain.Request) (Change, error)) (*domain.Request, error)
	// Read loads a request with its personal data and audits the read.
	Read(ctx context.Context, id, reader string, at time.Time) (*domain.Request, error)
	// Load loads a request for the system's own work (the fan-out), unaudited.
	Load(ctx context.Context, id string) (*domain.Request, error)
	List(ctx context.Context, f Filter, now time.Time) ([]Summary, error)
	History(ctx context.Context, id string) ([]HistoryEntry, error)
	DueForRetry(ctx context.Context, now time.Time, limit int) ([]string, error)
	DueForOverdue(ctx context.Context, now time.Time, limit int) ([]string, error)
	DueForErasure(ctx context.Context, now time.Time, limit int) ([]string, error)
	// DueForLapse lists requests whose clock has waited for the requester long enough to
	// lapse (domain.Request.Lapse).
	DueForLapse(ctx context.Context, now time.Time, limit int) ([]string, error)
	// DueForRecompute lists open requests whose month was counted with a bank-holiday table
	// other than version.
	DueForRecompute(ctx context.Context, version string, limit int) ([]string, error)
}

// OwnRecords is what the service's answers about its own records (OwnRecordsHolder) read and
// change beside its requests: the first filter of a search, and the restriction register and
// disclosure log every service keeps (casework.dev/pkg/rightsdata).
type OwnRecords interface {
	rightsdata.Store
	// FindRequests lists the rights requests, other than except, whose requester or subject
	// w (normalised) may be, or whose reference it quotes; FindFOI the FOI/EIR requests whose
	// requester it may be; FindBreaches the breaches it reported or affected. Erased ones are
	// not listed.
	FindRequests(ctx context.Context, w rightsdata.Wanted, except string, limit int) ([]string, error)
	FindFOI(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error)
	FindBreaches(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error)
}

// Responders asks the other services on the council's NATS: rights.<service>.<verb>.
type Responders interface {
	// Ask sends request (a rights.FindRequest, RecordsRequest or RectifyRequest) to service
	// for verb. It returns *ServiceRefusal when the service refuses the request as a whole,
	// and any other error when no answer came.
	Ask(ctx context.Context, service, verb string, request any) (domain.Answer, error)
}

// ServiceRefusal is a service refusing a fan-out request as a whole: it will never answer.
type ServiceRefusal struct{ Reason string }

func (e *ServiceRefusal) Error() string { return "refused: " + e.Reason }

// BreachSummary is a breach in a list: no personal data.
type BreachSummary struct {
	ID             string         `json:"id"`
	Reference      string         `json:"reference"`
	Status         string         `json:"status"`
	Confirmed      bool           `json:"confirmed"`
	AwareAt        time.Time      `json:"aware_at"`
	ReportDueAt    time.Time      `json:"report_due_at"`
	PeopleAffected int            `json:"people_affected"`
	Reported       bool           `json:"reported"`
	ReviewDue      *calendar.Date `json:"review_due"`
}

// Breaches persists the breach register, as Requests does requests.
type Breaches interface {
	Add(ctx context.Context, b *domain.Breach, ch Change) error
	Update(ctx context.Context, id string, fn func(b *domain.Breach) (Change, error)) (*domain.Breach, error)
	Read(ctx context.Context, id, reader string, at time.Time) (*domain.Breach, error)
	List(ctx context.Context, f Filter) ([]BreachSummary, error)
	History(ctx context.Context, id string) ([]HistoryEntry, error)
	DueForOverdue(ctx context.Context, now time.Time, limit int) ([]string, error)
	DueForReview(ctx context.Context, now time.Time, limit int) ([]string, error)
}

// FOISummary is a request for information in a list: no personal data.
type FOISummary struct {
	ID        string    `json:"id"`
	Reference string    `json:"reference"`
	Regime    string    `json:"regime"`
	Status    string    `json:"status"`
	DueAt     time.Time `json:"due_at"`
	Summary   string    `json:"summary"`
}

// DisclosureLogEntry is one released response in the public disclosure log: never who asked.
type DisclosureLogEntry struct {
	Reference   string              `json:"reference"`
	Regime      string              `json:"regime"`
	ReceivedOn  calendar.Date       `json:"received_on"`
	RespondedOn calendar.Date       `json:"responded_on"`
	Request     string              `json:"request"`
	Parts       []DisclosureLogPart `json:"parts"`
}

// DisclosureLogPart is what was decided for one part of a published request.
type DisclosureLogPart struct {
	Description string `json:"description"`
	Outcome     string `json:"outcome"`
	Exemption   string `json:"exemption,omitempty"`
}

// FOIRequests persists requests for information and their reviews.
type FOIRequests interface {
	Add(ctx context.Context, f *domain.FOIRequest, ch Change) error
	Update(ctx context.Context, id string, fn func(f *domain.FOIRequest) (Change, error)) (*domain.FOIRequest, error)
	Read(ctx context.Context, id, reader string, at time.Time) (*domain.FOIRequest, error)
	List(ctx context.Context, f Filter) ([]FOISummary, error)
	History(ctx context.Context, id string) ([]HistoryEntry, error)
	DisclosureLog(ctx context.Context, limit int) ([]DisclosureLogEntry, error)
	DueForOverdue(ctx context.Context, now time.Time, limit int) ([]string, error)
	DueForErasure(ctx context.Context, now time.Time, limit int) ([]string, error)
	// DueForLapse lists requests whose clarification was asked for long enough ago to lapse.
	DueForLapse(ctx context.Context, now time.Time, limit int) ([]string, error)
	// DueForRecompute lists requests whose running response or review deadline was counted
	// with a bank-holiday table other than version.
	DueForRecompute(ctx context.Context, version string, limit int) ([]string, error)
}
