package events

import "time"

// Subjects of the information rights service. Its NATS request-reply protocol with the
// other services is in casework.dev/contracts/rights (rights.<service>.<verb>, never
// captured by a stream).
const (
	RightsEventsPrefix = "rights.events."
	RightsStatusPrefix = "status.rights."

	RightsRequestReceived = "rights.events.request.received"
	RightsRequestOverdue  = "rights.events.request.deadline.overdue"
	RightsRequestErased   = "rights.events.request.erased"

	// RightsArticle19Purpose is the purpose of the notice sent to a recipient of a person's
	// data after a rectification, erasure or restriction (UK GDPR Article 19), on
	// share.<recipient>.rights.article19 (a RightsDisclosure).
	RightsArticle19Purpose = "article19_notification"
	RightsArticle19Suffix  = "article19"
)

// RightsEvent is the payload of every rights domain event; the subject is
// RightsEventsPrefix + Type (e.g. "request.received", "breach.reported", "foi.responded").
// No personal data: ids, references, kinds, dates and counts.
type RightsEvent struct {
	EventID    string     `json:"event_id" vocab:"message_id"`
	Type       string     `json:"type" vocab:"event_type"`
	OccurredAt time.Time  `json:"occurred_at"`
	CaseID     string     `json:"case_id" vocab:"case_id"`
	Reference  string     `json:"reference" vocab:"case_reference"`
	Kind       string     `json:"kind" vocab:"kind"`     // e.g. access, erasure; breach; foi, eir; internal_review
	Status     string     `json:"status" vocab:"status"` // the case's status after the change
	DueAt      *time.Time `json:"due_at,omitempty"`
	Service    string     `json:"service,omitempty" vocab:"casework_service"`   // a fan-out step's service
	Recipient  string     `json:"recipient,omitempty" vocab:"notice_recipient"` // an Article 19 notice or report: who, never what
	Outcome    string     `json:"outcome,omitempty" vocab:"outcome"`
	Count      int        `json:"count,omitempty"` // e.g. candidates found, notices sent
}

// RightsStatus is what managers see on status.rights.<case type>: requests, breaches, foi.
type RightsStatus struct {
	EventID   string    `json:"event_id" vocab:"message_id"`
	At        time.Time `json:"at"`
	CaseID    string    `json:"case_id" vocab:"case_id"`
	Reference string    `json:"reference" vocab:"case_reference"`
	Kind      string    `json:"kind" vocab:"kind"`
	Status    string    `json:"status" vocab:"status"`
	Phase     string    `json:"phase,omitempty" vocab:"status"`
	// DueAt is the deadline the case has running, as the service computed it: a request's
	// or FOI's response (extensions included); a breach's report to the ICO (72 hours from
	// awareness, UK GDPR Art 33(1)) while one is owed, then, once its status is review_due,
	// the review of its record (the end of ReviewDueOn, London). Absent while none runs.
	DueAt *time.Time `json:"due_at,omitempty"`
	// Overdue says the service found DueAt passed and not met (a breach: its ICO report).
	Overdue bool `json:"overdue"`
	// ReviewDueOn is the date (YYYY-MM-DD) a breach record kept after closing is next
	// reviewed: the end of its retention, or the date a review that kept it set. Set while
	// the record is kept (closed or review_due); absent once erased and for other kinds.
	ReviewDueOn string `json:"review_due_on,omitempty" vocab:"date"`
	// Pending names the services that have not answered yet (rights requests).
	Pending []string `json:"pending" vocab:"casework_service"`
	Change  string   `json:"change" vocab:"event_type"`
}

// RightsDisclosure is the Disclosure sent to one recipient on
// share.<recipient>.rights.<purpose>: an Article 19 notice or a breach report to the ICO,
// only what the notice allows.
type RightsDisclosure Disclosure
