// Package app holds the publication use cases, one file each. It orchestrates the domain,
// the notice engine and the calendar, and leaves transactions to the repository.
package app

import (
	"context"
	"time"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/publication/internal/domain"
)

// Disclosure is personal data leaving for one recipient, already decided and minimised.
type Disclosure = casework.Disclosure

// Change is what one use case did: its event (published, audited) and any disclosure,
// written in the same transaction as the new state. Disclosure goes out as a message on its
// share subject (the press release); Register is logged alone, as the register itself
// shows the entry to the public.
type Change struct {
	Actor      string
	At         time.Time
	Event      domain.Event
	Disclosure *Disclosure
	Register   *Disclosure
}

// RegisterRow is an entry the register may show today with the fields its disclosure to
// the public register let go when it was published.
type RegisterRow struct {
	Conviction domain.Conviction
	Fields     []string
}

// Filter narrows the decision list.
type Filter struct {
	Status string
	Limit  int
	After  string // reference to page after
}

// Summary is a decision in a list: no personal data.
type Summary struct {
	ID             string         `json:"id"`
	Reference      string         `json:"reference"`
	Status         string         `json:"status"`
	Source         string         `json:"source"`
	Team           string         `json:"team"`
	ConvictionDate calendar.Date  `json:"conviction_date"`
	Outcome        string         `json:"outcome"`
	TakedownOn     *calendar.Date `json:"takedown_on"`
	Erased         bool           `json:"erased"`
}

// HistoryEntry is one line of a decision's audit trail.
type HistoryEntry = audit.HistoryEntry

// Repository persists decisions. Add and Update write the state, the outbox messages, the
// disclosure log and the audit row in one transaction (the caller's, when the context
// carries one: a consumed event commits with the record that it was processed).
type Repository interface {
	// Add stores a new decision unless key was used before (casestore.Store.Add): then it
	// stores nothing and returns the id of the decision the key opened, or refuses a key
	// reused with another request (casework.ErrIdempotencyKeyReused).
	Add(ctx context.Context, d *domain.Decision, key casework.IdempotencyKey, ch Change) (existingID string, err error)
	Update(ctx context.Context, id string, fn func(d *domain.Decision) (Change, error)) (*domain.Decision, error)
	Read(ctx context.Context, id, reader string, at time.Time) (*domain.Decision, error)
	List(ctx context.Context, f Filter) ([]Summary, error)
	History(ctx context.Context, id string) ([]HistoryEntry, error)
	// Register lists the entries showing on a day: published to the register, before their
	// takedown date, not held for their sentence to be amended, and not restricted.
	Register(ctx context.Context, today calendar.Date) ([]RegisterRow, error)
	DueForTakedown(ctx context.Context, today calendar.Date, limit int) ([]string, error)
	DueForErasure(ctx context.Context, today calendar.Date, limit int) ([]string, error)
	// CheckDisclosure refuses with a *casework.RestrictedError a decision whose offender
	// asked to restrict its processing.
	CheckDisclosure(ctx context.Context, id string) error
	// The restriction register and the disclosure log, as answers to the rights service
	// read and change them.
	rightsdata.Store
	// FindOffenders returns the ids of at most limit decisions whose offender's name may
	// match w (normalised), or whose own or prosecuting team's reference is among w's;
	// erased decisions are not among them.
	FindOffenders(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error)
	// DecisionFromDisclosure returns the id of the decision opened from the investigations
	// disclosure disclosureID, or "" when none was (in the caller's transaction when the
	// context carries one).
	DecisionFromDisclosure(ctx context.Context, disclosureID string) (string, error)
}
