// Package app holds the complaints use cases, one file each. It orchestrates the domain,
// the notice engine and the calendar, and leaves transactions to the repository.
package app

import (
	"context"
	"time"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/complaints/internal/domain"
)

// Disclosure is personal data leaving for one recipient, already decided and minimised.
type Disclosure = casework.Disclosure

// Change is what one use case did: the events to publish and audit, and any disclosures,
// all written in the same transaction as the new state.
type Change struct {
	Actor       string
	At          time.Time
	Events      []domain.Event
	Disclosures []Disclosure
}

// Filter narrows the case list.
type Filter struct {
	Status    string
	Stage     int
	Service   string
	Officer   string
	DueBefore *time.Time
	Overdue   *bool
	Limit     int
	After     string // reference to page after
}

// Summary is a case in a list: no personal data.
type Summary struct {
	ID         string     `json:"id"`
	Reference  string     `json:"reference"`
	Stage      int        `json:"stage"`
	Status     string     `json:"status"`
	Service    string     `json:"service"`
	Channel    string     `json:"channel"`
	Handler    string     `json:"handler"`
	ReceivedAt time.Time  `json:"received_at"`
	NextDueAt  *time.Time `json:"next_due_at"`
	NextDue    string     `json:"next_due"`
	Overdue    bool       `json:"overdue"`
	LegalHold  bool       `json:"legal_hold"`
	Erased     bool       `json:"erased"`
}

// HistoryEntry is one line of a case's audit trail.
type HistoryEntry = audit.HistoryEntry

// DeadlineRef identifies one running deadline.
type DeadlineRef struct {
	ComplaintID string              `db:"complaint_id"`
	Stage       int                 `db:"stage"`
	Kind        domain.DeadlineKind `db:"kind"`
}

// StatsCell is one cell of the statistics before small counts are suppressed: complaints
// received (Outcome empty) or responses given, by month of receipt, service and stage.
type StatsCell struct {
	Month   string `db:"month"`
	Service string `db:"service"`
	Stage   int    `db:"stage"`
	Outcome string `db:"outcome"`
	Count   int    `db:"count"`
	OnTime  int    `db:"on_time"`
}

// Repository persists complaints. Add and Update write the state, the outbox messages,
// the disclosure log and the audit rows in one transaction.
type Repository interface {
	Add(ctx context.Context, c *domain.Complaint, key casework.IdempotencyKey, ch Change) (existingID string, err error)
	Update(ctx context.Context, id string, fn func(c *domain.Complaint) (Change, error)) (*domain.Complaint, error)
	Read(ctx context.Context, id, reader string, at time.Time, audited bool) (*domain.Complaint, error)
	// Audit appends an entry to the audit chain of the complaint e.Subject names (an
	// attempt refused before any change, so in its own transaction).
	Audit(ctx context.Context, e audit.Entry) error
	List(ctx context.Context, f Filter, now time.Time) ([]Summary, error)
	History(ctx context.Context, id string) ([]HistoryEntry, error)
	Statistics(ctx context.Context, from, to time.Time) (received, responses []StatsCell, err error)
	RunningDeadlinesDue(ctx context.Context, now time.Time, limit int) ([]DeadlineRef, error)
	DueForErasure(ctx context.Context, today calendar.Date, limit int) ([]string, error)
	// RespondedUnchangedSince lists, oldest change first, complaints awaiting the
	// complainant after a stage 1 or 2 response, not erased, last changed before before.
	RespondedUnchangedSince(ctx context.Context, before time.Time, limit int) ([]string, error)
	Disclosures(ctx context.Context, id string) ([]DisclosureRecord, error)
	// DisclosuresOfPerson takes a Person already Normalised.
	DisclosuresOfPerson(ctx context.Context, p Person, reader string, at time.Time) ([]PersonComplaint, []PersonDisclosure, error)
	RunningDeadlinesComputedWithOtherTable(ctx context.Context, holidayTableVersion string, limit int) ([]string, error)
	// ReferredDeadlinesToSettle lists complaints with deadlines saved before referrals to
	// the Ombudsman stopped clocks, that one has not yet settled.
	ReferredDeadlinesToSettle(ctx context.Context, limit int) ([]string, error)
	// CheckDisclosure refuses with a *casework.RestrictedError a complaint whose
	// complainant asked to restrict its processing.
	CheckDisclosure(ctx context.Context, id string) error
	// The restriction register and the disclosure log, as answers to the rights service
	// read and change them.
	rightsdata.Store
	// FindComplainants returns the ids of at most limit complaints whose complainant or
	// reference may match w (normalised); erased complaints are not among them.
	FindComplainants(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error)
}
