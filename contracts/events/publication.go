package events

import "time"

// Subjects of the publication decisions service.
const (
	PublicationEventsPrefix = "publication.events."
	PublicationStatusPrefix = "status.publication."

	PublicationReceived  = "publication.events.conviction.received"
	PublicationPublished = "publication.events.published"
	// PublicationTakenDown tells the website and the press that an entry is no longer
	// published (its period ended, the conviction became spent, an appeal succeeded, or a
	// manager took it down): remove it, and any copy of the press release, now.
	PublicationTakenDown = "publication.events.taken_down"

	// PublicationPressSubject carries a press release (a PublicationDisclosure) to the
	// press recipient the publication notice allows.
	PublicationPressSubject = "share.local-press.publication.press_release"
)

// PublicationEvent is the payload of every publication domain event; the subject is
// PublicationEventsPrefix + Type. No personal data: ids, dates, statuses and reasons by kind.
type PublicationEvent struct {
	EventID        string    `json:"event_id" vocab:"message_id"`
	Type           string    `json:"type" vocab:"event_type"`
	OccurredAt     time.Time `json:"occurred_at"`
	DecisionID     string    `json:"decision_id" vocab:"case_id"`
	Reference      string    `json:"reference" vocab:"case_reference"`
	Status         string    `json:"status" vocab:"status"`
	Outcome        string    `json:"outcome,omitempty" vocab:"outcome"`
	TakedownOn     string    `json:"takedown_on,omitempty" vocab:"date"`        // YYYY-MM-DD, while published
	TakedownReason string    `json:"takedown_reason,omitempty" vocab:"outcome"` // publication_period, spent, appeal, manual
	PressReleaseID string    `json:"press_release_id,omitempty" vocab:"message_id"`
}

// PublicationStatus is what managers see on status.publication.<status>.
type PublicationStatus struct {
	EventID    string    `json:"event_id" vocab:"message_id"`
	At         time.Time `json:"at"`
	DecisionID string    `json:"decision_id" vocab:"case_id"`
	Reference  string    `json:"reference" vocab:"case_reference"`
	Status     string    `json:"status" vocab:"status"`
	Change     string    `json:"change" vocab:"event_type"`
	TakedownOn string    `json:"takedown_on,omitempty" vocab:"date"`
}

// PublicationDisclosure is the Disclosure sent to one recipient on
// share.<recipient>.publication.<purpose>: only what the notice allows.
type PublicationDisclosure Disclosure
