package adapters

import (
	"time"

	"casework.dev/contracts/events"
	"casework.dev/pkg/messaging"
	"casework.dev/services/debt/internal/app"
	"casework.dev/services/debt/internal/domain"
)

// messagesFor turns a change into outbox messages: a domain event carrying its status event
// as a companion (one outbox row for both; neither with personal data nor amounts, and the
// status event's change never names a vulnerability: domain.Event.StatusChange), and a
// share message per disclosure.
func messagesFor(c *domain.Case, ch app.Change) ([]messaging.Message, error) {
	id := messaging.NewID()
	e := events.DebtEvent{EventID: id, Type: ch.Event.Type, OccurredAt: ch.At, CaseID: c.ID, Reference: c.Reference,
		ClientID: c.ClientID, Stage: string(c.Stage), Status: string(c.Status)}
	if c.Returned != nil && c.Returned.At.Equal(ch.At) {
		e.Returned = c.Returned.Reason
	}
	if r, ok := ch.Event.Detail["recipient"].(string); ok {
		e.Recipient = r
	}
	if n, ok := ch.Event.Detail["instalment"].(int); ok {
		e.Instalment = n
	}
	domainMsg, err := messaging.EventMessage(id, events.DebtEventsPrefix+ch.Event.Type, e)
	if err != nil {
		return nil, err
	}
	statusID := messaging.NewID()
	status, err := messaging.EventMessage(statusID, events.DebtStatusPrefix+string(c.Stage), events.DebtStatus{EventID: statusID, At: ch.At,
		CaseID: c.ID, Reference: c.Reference, ClientID: c.ClientID, Stage: string(c.Stage), Status: string(c.Status),
		EarliestControlDate: c.Notice.EarliestControl.DueDate.String(), ControlLimitDate: c.Notice.ControlLimit.DueDate.String(),
		Arrangement: c.Arrangement.Active(), ArrangementReviewPending: c.ArrangementReviewPending(),
		Change: ch.Event.StatusChange()})
	if err != nil {
		return nil, err
	}
	domainMsg.Companions = []messaging.Message{status}
	msgs := []messaging.Message{domainMsg}
	for _, d := range ch.Disclosures {
		m, err := messaging.EventMessage(d.ID, d.Subject, events.DebtDisclosure{DisclosureID: d.ID, Recipient: d.Recipient, Purpose: d.Purpose,
			Condition: d.Condition, NoticeVersion: d.NoticeVersion, Reference: c.Reference, DisclosedAt: ch.At, Data: d.Data})
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
