package events

import "time"

// Subjects of the debt recovery service.
const (
	DebtEventsPrefix = "debt.events."
	DebtStatusPrefix = "status.debt."

	DebtCaseReferred     = "debt.events.case.referred"
	DebtVisitRecorded    = "debt.events.visit.recorded"
	DebtPaymentReceived  = "debt.events.payment.received"
	DebtInstalmentMissed = "debt.events.arrangement.instalment_missed"
	// A breach flags the arrangement for an officer's review; only the officer's decision
	// ends it (defaulted) or keeps it (continued).
	DebtArrangementBreached  = "debt.events.arrangement.breached"
	DebtArrangementDefault   = "debt.events.arrangement.defaulted"
	DebtArrangementContinued = "debt.events.arrangement.continued"
	DebtCaseReturned         = "debt.events.case.returned"
)

// DebtEvent is the payload of every debt domain event: ids, stages, dates and outcomes,
// never a debtor's personal data or the amounts of their debt.
type DebtEvent struct {
	EventID    string    `json:"event_id" vocab:"message_id"`
	Type       string    `json:"type" vocab:"event_type"`
	OccurredAt time.Time `json:"occurred_at"`
	CaseID     string    `json:"case_id" vocab:"case_id"`
	Reference  string    `json:"reference" vocab:"case_reference"`
	ClientID   string    `json:"client_id" vocab:"client"`
	Stage      string    `json:"stage" vocab:"stage"`
	Status     string    `json:"status" vocab:"status"`
	Returned   string    `json:"returned,omitempty" vocab:"outcome"`           // the reason, when the case went back to the client
	Recipient  string    `json:"recipient,omitempty" vocab:"notice_recipient"` // for disclosure events: who, never what
	Instalment int       `json:"instalment,omitempty"`                         // for arrangement events
}

// DebtStatus is what managers see on status.debt.<stage>. It carries no vulnerability
// flag: the status stream reaches every manager on the shared account, and a flag per case
// says a debtor's health is at issue (special category data by inference). For the same
// reason Change, the domain event's type otherwise, never names a vulnerability: a
// vulnerability flagged is "enforcement.held", one reviewed with enforcement going on
// "enforcement.resumed", and one that sends the case back to the client "case.returned",
// as any other return is (the reason is on the domain event only).
type DebtStatus struct {
	EventID             string    `json:"event_id" vocab:"message_id"`
	At                  time.Time `json:"at"`
	CaseID              string    `json:"case_id" vocab:"case_id"`
	Reference           string    `json:"reference" vocab:"case_reference"`
	ClientID            string    `json:"client_id" vocab:"client"`
	Stage               string    `json:"stage" vocab:"stage"`
	Status              string    `json:"status" vocab:"status"`
	EarliestControlDate string    `json:"earliest_control_date" vocab:"date"`
	ControlLimitDate    string    `json:"control_limit_date" vocab:"date"`
	Arrangement         bool      `json:"arrangement"`
	// ArrangementReviewPending: the instalment arrangement was breached and awaits an
	// officer's decision to end it or keep it; enforcement is held until then.
	ArrangementReviewPending bool   `json:"arrangement_review_pending"`
	Change                   string `json:"change" vocab:"event_type"`
}

// DebtDisclosure is the Disclosure sent to one recipient on
// share.<recipient>.debt.<purpose>: only the fields the notice allows.
type DebtDisclosure Disclosure
