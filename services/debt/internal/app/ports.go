// Package app holds the debt recovery use cases, one file each. It orchestrates the domain,
// the notice engine and the calendar, and leaves transactions to the repository.
package app

import (
	"context"
	"time"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/debt/internal/domain"
)

// Disclosure is personal data leaving for one recipient, already decided and minimised.
type Disclosure = casework.Disclosure

// Change is what one use case did to a case: its event and any disclosures, written in the
// same statement as the new state.
type Change struct {
	Actor       string
	At          time.Time
	Event       domain.Event
	Disclosures []Disclosure
	// DataSubject is whose data the disclosures carry when it is one joint debtor's only
	// (dataSubject of their record); empty for the case's debtors.
	DataSubject string
}

// Filter narrows the case list; ClientID is always set for a client's own user.
type Filter struct {
	ClientID string
	Status   string
	Stage    string
	// ArrangementReview, when set, keeps the open cases whose breached arrangement awaits
	// an officer's review (true) or the others (false).
	ArrangementReview *bool
	Limit             int
	After             string // reference to page after
}

// Summary is a case in a list: no personal data.
type Summary struct {
	ID              string    `json:"id"`
	Reference       string    `json:"reference"`
	ClientID        string    `json:"client_id"`
	ClientReference string    `json:"client_reference"`
	DebtType        string    `json:"debt_type"`
	Stage           string    `json:"stage"`
	Status          string    `json:"status"`
	ReferredAt      time.Time `json:"referred_at"`
	Returned        string    `json:"returned,omitempty"`
	Hold            bool      `json:"vulnerability_hold"`
	// ArrangementReview: the case's instalment arrangement was breached and awaits an
	// officer's decision (enforcement is held until then).
	ArrangementReview bool `json:"arrangement_review_pending"`
	Erased            bool `json:"erased"`
}

// HistoryEntry is one line of a case's audit trail.
type HistoryEntry = audit.HistoryEntry

// DisclosureRecord is one row of the disclosure log.
type DisclosureRecord struct {
	ID            string    `json:"id"`
	Recipient     string    `json:"recipient"`
	Purpose       string    `json:"purpose"`
	Condition     string    `json:"condition"`
	Categories    []string  `json:"categories"`
	NoticeVersion string    `json:"notice_version"`
	DisclosedAt   time.Time `json:"disclosed_at"`
	DisclosedBy   string    `json:"disclosed_by"`
	// Necessity is the officer's recorded finding the disclosure rested on, when it rested
	// on one (recorded_necessity) and the finding is still held (erasure deletes it).
	Necessity *NecessityRecord `json:"necessity,omitempty"`
}

// NecessityRecord is an officer's recorded finding of necessity: who, when and why.
type NecessityRecord struct {
	FoundBy string    `json:"found_by"`
	FoundAt time.Time `json:"found_at"`
	Reason  string    `json:"reason"`
}

// RemittanceLine is what was collected for one client in one month (Europe/London).
type RemittanceLine struct {
	Month            string `json:"month" db:"month"`
	Payments         int    `json:"payments" db:"payments"`
	CollectedPence   int64  `json:"collected_pence" db:"collected_pence"`
	DebtPence        int64  `json:"debt_pence" db:"debt_pence"`
	FeesPence        int64  `json:"fees_pence" db:"fees_pence"`
	CompliancePence  int64  `json:"compliance_fee_pence" db:"compliance_pence"`
	EnforcementPence int64  `json:"enforcement_fee_pence" db:"enforcement_pence"`
	SalePence        int64  `json:"sale_fee_pence" db:"sale_pence"`
	RefundedPence    int64  `json:"refunded_pence" db:"refunded_pence"`
}

// StatsRow is one client and stage's anonymous figures before suppression.
type StatsRow struct {
	ClientID       string `db:"client_id"`
	Stage          string `db:"stage"`
	Cases          int    `db:"cases"`
	DebtPence      int64  `db:"debt_pence"`
	CollectedPence int64  `db:"collected_pence"`
}

// Repository persists debt cases. Every write stores the state, the outbox messages, the
// disclosure log rows and the audit row in one statement.
type Repository interface {
	Client(ctx context.Context, id string) (domain.Client, error)
	// IsClientCouncil reports whether recipient is the council of some client.
	IsClientCouncil(ctx context.Context, recipient string) (bool, error)
	ExistingReferences(ctx context.Context, clientID string, refs []string) (map[string]string, error)
	// AddMany stores new cases and their first events; ErrDuplicate if a client reference
	// was taken meanwhile (nothing is stored then).
	AddMany(ctx context.Context, cases []*domain.Case, changes []Change) error
	NextReferences(ctx context.Context, year, n int) ([]string, error)
	Update(ctx context.Context, id string, fn func(c *domain.Case) (Change, error)) (*domain.Case, error)
	Read(ctx context.Context, id string) (*domain.Case, error)
	// Audit appends to the case's trail on its own (an audited read, or a refused attempt).
	Audit(ctx context.Context, id, actor, action string, at time.Time, detail map[string]any) error
	List(ctx context.Context, f Filter) ([]Summary, error)
	History(ctx context.Context, id string) ([]HistoryEntry, error)
	Disclosures(ctx context.Context, id string) ([]DisclosureRecord, error)
	Remittance(ctx context.Context, clientID string, from, to time.Time) ([]RemittanceLine, error)
	Statistics(ctx context.Context, clientID string, from, to time.Time) ([]StatsRow, error)
	InstalmentChecksBefore(ctx context.Context, today calendar.Date, limit int) ([]string, error)
	PastControlLimit(ctx context.Context, today calendar.Date, limit int) ([]string, error)
	// RunningNoticePeriodsCountedWithOtherTable lists open cases still in the compliance stage
	// whose notice period was counted with a bank holiday table other than version.
	RunningNoticePeriodsCountedWithOtherTable(ctx context.Context, version string, limit int) ([]string, error)
	DueForErasure(ctx context.Context, today calendar.Date, limit int) ([]string, error)
	// CheckDisclosure refuses with a *casework.RestrictedError a case whose debtor asked to
	// restrict its processing.
	CheckDisclosure(ctx context.Context, caseID string) error
	// The restriction register and the disclosure log, as answers to the rights service
	// read and change them.
	rightsdata.Store
	// LoggedDisclosuresOf reads the disclosure log rows of any of the data subjects, oldest
	// first.
	LoggedDisclosuresOf(ctx context.Context, dataSubjects []string) ([]rightsdata.Disclosure, error)
	// FindDebtors returns the ids of at most limit cases whose debtors' details may match w
	// (normalised), or whose case, client or order reference is among w's; erased cases
	// are not among them.
	FindDebtors(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error)
}
