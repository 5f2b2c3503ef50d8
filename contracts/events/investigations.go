package events

import "time"

// Subjects of the community protection investigations service.
const (
	InvestigationsEventsPrefix = "investigations.events."
	InvestigationsStatusPrefix = "status.investigations."

	InvestigationReceived           = "investigations.events.received"
	InvestigationOutcomeRecorded    = "investigations.events.outcome.recorded"
	InvestigationASBReviewTriggered = "investigations.events.asb_review.triggered"
	InvestigationClosed             = "investigations.events.closed"

	// InvestigationsPublicationSubject carries, on a conviction, what the publication
	// service needs to decide on publishing it (an InvestigationDisclosure whose Data is a
	// PublicationOutcome's fields).
	InvestigationsPublicationSubject = "share.publication-service.investigations.publication_decision"
)

// InvestigationEvent is the payload of every investigations domain event; the subject is
// InvestigationsEventsPrefix + Type. No personal data: ids, area, status and outcomes only.
type InvestigationEvent struct {
	EventID         string    `json:"event_id" vocab:"message_id"`
	Type            string    `json:"type" vocab:"event_type"`
	OccurredAt      time.Time `json:"occurred_at"`
	InvestigationID string    `json:"investigation_id" vocab:"case_id"`
	Reference       string    `json:"reference" vocab:"case_reference"`
	Area            string    `json:"area" vocab:"notice_case_type"`
	Status          string    `json:"status" vocab:"status"`
	Outcome         string    `json:"outcome,omitempty" vocab:"outcome"`
	Recipient       string    `json:"recipient,omitempty" vocab:"notice_recipient"` // for referrals: who, never what
	Count           int       `json:"count,omitempty"`                              // for ASB case reviews: reports counted
}

// InvestigationStatus is what managers see on status.investigations.<area>.
type InvestigationStatus struct {
	EventID         string    `json:"event_id" vocab:"message_id"`
	At              time.Time `json:"at"`
	InvestigationID string    `json:"investigation_id" vocab:"case_id"`
	Reference       string    `json:"reference" vocab:"case_reference"`
	Area            string    `json:"area" vocab:"notice_case_type"`
	Status          string    `json:"status" vocab:"status"`
	Change          string    `json:"change" vocab:"event_type"`
	Assigned        int       `json:"assigned_officers"`
	ASBReview       bool      `json:"asb_review"`
	LegalHold       bool      `json:"legal_hold"`
}

// InvestigationDisclosure is the envelope of personal data sent to one recipient on
// share.<recipient>.investigations.<purpose>: only what the notice allows.
type InvestigationDisclosure struct {
	DisclosureID  string         `json:"disclosure_id"`
	Recipient     string         `json:"recipient"`
	Purpose       string         `json:"purpose"`
	Condition     string         `json:"condition"`
	NoticeVersion string         `json:"notice_version"`
	Reference     string         `json:"reference"`
	Area          string         `json:"area"`
	DisclosedAt   time.Time      `json:"disclosed_at"`
	Data          map[string]any `json:"data"`
}

// PublicationOutcome is the Data of a disclosure on InvestigationsPublicationSubject.
type PublicationOutcome struct {
	Name     string `json:"name"`
	Town     string `json:"town"`
	Offence  string `json:"offence"`
	Court    string `json:"court"`
	Date     string `json:"date"` // YYYY-MM-DD, date of conviction
	Sentence string `json:"sentence"`
}
