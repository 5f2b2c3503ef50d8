package adapters

import (
	"casework.dev/contracts/events"
	"casework.dev/pkg/messaging"
	"casework.dev/services/investigations/internal/app"
	"casework.dev/services/investigations/internal/domain"
)

// messagesFor turns a change into outbox messages: for each event a domain event with its
// status event as companion (one outbox row; neither with personal data), and for each
// disclosure its share message.
func messagesFor(c *domain.Investigation, ch app.Change) ([]messaging.Message, error) {
	msgs := make([]messaging.Message, 0, len(ch.Events)+len(ch.Disclosures))
	for _, e := range ch.Events {
		id := messaging.NewID()
		m, err := messaging.EventMessage(id, events.InvestigationsEventsPrefix+e.Type, events.InvestigationEvent{
			EventID: id, Type: e.Type, OccurredAt: ch.At, InvestigationID: c.ID, Reference: c.Reference,
			Area: c.Area, Status: string(c.Status), Outcome: e.Outcome, Recipient: e.Recipient, Count: e.Count,
		})
		if err != nil {
			return nil, err
		}
		statusID := messaging.NewID()
		status, err := messaging.EventMessage(statusID, events.InvestigationsStatusPrefix+c.Area, events.InvestigationStatus{
			EventID: statusID, At: ch.At, InvestigationID: c.ID, Reference: c.Reference, Area: c.Area,
			Status: string(c.Status), Change: e.Type, Assigned: len(c.Assigned), ASBReview: c.ASBReview != nil,
			LegalHold: c.LegalHold != nil,
		})
		if err != nil {
			return nil, err
		}
		m.Companions = []messaging.Message{status}
		msgs = append(msgs, m)
	}
	for _, d := range ch.Disclosures {
		m, err := messaging.EventMessage(d.ID, d.Subject, events.InvestigationDisclosure{
			DisclosureID: d.ID, Recipient: d.Recipient, Purpose: d.Purpose, Condition: d.Condition,
			NoticeVersion: d.NoticeVersion, Reference: c.Reference, Area: c.Area, DisclosedAt: ch.At, Data: d.Data,
		})
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}
