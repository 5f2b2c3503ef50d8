// Package app holds the investigations use cases. It orchestrates the domain, the notice
// engine and the calendar, and leaves transactions to the repository.
package app

import (
	"context"
	"time"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/investigations/internal/domain"
)

// Disclosure is personal data leaving for one recipient, already decided and minimised.
type Disclosure = casework.Disclosure

// Change is what one use case did: at most one event to publish and audit, and any
// disclosures, written in the same statement as the new state.
type Change struct {
	Actor       string
	At          time.Time
	Events      []domain.Event
	Disclosures []Disclosure
	// Carried names, by disclosure id, the people whose data each disclosure carried.
	Carried map[string][]string
	// PurgeShares deletes the case's share messages still in the outbox (kept there for
	// replay after a broker loss, or not yet relayed), so erasure leaves no copy there.
	PurgeShares bool
	// PurgeOf limits PurgeShares to the messages that carried this person's data (and
	// those whose people were not recorded): erasing a witness must not stop a referral
	// about the subject still waiting to be relayed.
	PurgeOf string
}

// Filter narrows the case list.
type Filter struct {
	Status string
	Area   string
	Limit  int
	After  string // reference to page after
}

// Summary is a case in a list: no personal data.
type Summary struct {
	ID         string    `json:"id" db:"id"`
	Reference  string    `json:"reference" db:"reference"`
	Area       string    `json:"area" db:"area"`
	Scope      string    `json:"scope" db:"scope"`
	Status     string    `json:"status" db:"status"`
	NeedToKnow bool      `json:"need_to_know" db:"need_to_know"`
	ReceivedAt time.Time `json:"received_at" db:"received_at"`
	LegalHold  bool      `json:"legal_hold" db:"legal_hold"`
	Erased     bool      `json:"erased" db:"erased"`
}

// Repository persists investigations. Add and Update write the state, the outbox
// messages, the disclosure log and the audit row in one statement.
type Repository interface {
	Add(ctx context.Context, c *domain.Investigation, key casework.IdempotencyKey, ch Change) (existingID string, err error)
	Update(ctx context.Context, id string, fn func(c *domain.Investigation) (Change, error)) (*domain.Investigation, error)
	Load(ctx context.Context, id string) (*domain.Investigation, error)
	Audit(ctx context.Context, e audit.Entry) error
	List(ctx context.Context, f Filter, who domain.Caller) ([]Summary, error)
	DueForErasure(ctx context.Context, today calendar.Date, limit int) ([]string, error)
	// CountASB counts reports with the key received in [from, to], and whether one of them
	// already triggered a review.
	CountASB(ctx context.Context, key ASBKey, from, to time.Time) (int, bool, error)
	// CheckDisclosure refuses with a *casework.RestrictedError a case in which someone
	// asked to restrict the processing of their data.
	CheckDisclosure(ctx context.Context, caseID string) error
	// The restriction register and the disclosure log, as answers to the rights service
	// read and change them.
	rightsdata.Store
	// CarriedPeople names, by disclosure id, the people whose data the case's disclosures
	// carried; a disclosure made before they were recorded is not in it.
	CarriedPeople(ctx context.Context, caseID string) (map[string][]string, error)
	// PublicationWithheld reports whether the case's conviction was recorded while someone
	// in it was restricted (its event's "publication" detail PublicationRestricted) and no
	// disclosure to the publication service has been logged for it since.
	PublicationWithheld(ctx context.Context, caseID string) (bool, error)
	// FindPeople returns the ids of at most limit cases holding someone who may match w
	// (normalised), or whose reference is among w's; erased case files are not among them.
	FindPeople(ctx context.Context, w rightsdata.Wanted, limit int) ([]string, error)
}

// ASBKey is what anti-social behaviour reports are counted by: one of the two is set.
type ASBKey struct {
	Location string
	Subject  string
}
