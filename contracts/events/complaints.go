// Package events defines the subjects and payloads services exchange. Domain and status
// events carry ids, references, dates and outcomes only: never personal data.
package events

import "time"

// Subjects of the complaints service.
const (
	ComplaintsEventsPrefix = "complaints.events."
	ComplaintsStatusPrefix = "status.complaints."

	ComplaintReceived     = "complaints.events.stage1.received"
	ComplaintEscalated    = "complaints.events.stage2.received"
	ComplaintReferredLGO  = "complaints.events.stage3.referred"
	ComplaintClosed       = "complaints.events.closed"
	ComplaintDeadlineMiss = "complaints.events.deadline.overdue"
	ComplaintErased       = "complaints.events.erased"
)

// ComplaintEvent is the payload of every complaints domain event. Type names the change,
// e.g. "stage1.acknowledged"; the subject is ComplaintsEventsPrefix + Type.
type ComplaintEvent struct {
	EventID     string     `json:"event_id" vocab:"message_id"`
	Type        string     `json:"type" vocab:"event_type"`
	OccurredAt  time.Time  `json:"occurred_at"`
	ComplaintID string     `json:"complaint_id" vocab:"case_id"`
	Reference   string     `json:"reference" vocab:"case_reference"`
	Stage       int        `json:"stage"`
	Status      string     `json:"status" vocab:"status"`
	Service     string     `json:"service" vocab:"service_catalogue"`
	Outcome     string     `json:"outcome,omitempty" vocab:"outcome"`
	Deadline    string     `json:"deadline,omitempty" vocab:"deadline"` // which deadline, for overdue and extended events
	DueAt       *time.Time `json:"due_at,omitempty"`
	Recipient   string     `json:"recipient,omitempty" vocab:"notice_recipient"` // for disclosure events: who, never what
}

// ComplaintStatus is what managers and dashboards see on status.complaints.<stage>.
type ComplaintStatus struct {
	EventID          string     `json:"event_id" vocab:"message_id"`
	At               time.Time  `json:"at"`
	ComplaintID      string     `json:"complaint_id" vocab:"case_id"`
	Reference        string     `json:"reference" vocab:"case_reference"`
	Stage            int        `json:"stage"`
	Status           string     `json:"status" vocab:"status"`
	Team             string     `json:"team" vocab:"service_catalogue"` // the service's id: the team that answers for it
	AcknowledgeDueAt *time.Time `json:"acknowledge_due_at,omitempty"`
	RespondDueAt     *time.Time `json:"respond_due_at,omitempty"`
	// Stage 3: the earliest date the Ombudsman set that is still running (an enquiry
	// response or a remedy), and which deadline it is, e.g. "stage3.remedy:1".
	NextDueAt *time.Time `json:"next_due_at,omitempty"`
	NextDue   string     `json:"next_due,omitempty" vocab:"deadline"`
	Overdue   []string   `json:"overdue" vocab:"deadline"` // deadlines passed and not met
	Change    string     `json:"change" vocab:"event_type"`
}

// ComplaintDisclosure is the Disclosure sent to one recipient on
// share.<recipient>.complaints.<purpose>: only the fields the notice allows.
type ComplaintDisclosure Disclosure

// ShareSubject is where a disclosure to recipient for purpose is published.
func ShareSubject(recipient, service, purpose string) string {
	return "share." + recipient + "." + service + "." + purpose
}
