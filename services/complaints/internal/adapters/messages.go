package adapters

import (
	"encoding/json"
	"fmt"
	"strconv"

	"casework.dev/contracts/events"
	"casework.dev/pkg/messaging"
	"casework.dev/services/complaints/internal/app"
	"casework.dev/services/complaints/internal/domain"
)

// messagesFor turns a change into outbox messages: for each event a domain event with its
// status event as companion (one outbox row; neither with personal data), and for each
// disclosure its share message.
func messagesFor(c *domain.Complaint, ch app.Change) ([]messaging.Message, error) {
	msgs := make([]messaging.Message, 0, len(ch.Events)+len(ch.Disclosures))
	for _, e := range ch.Events {
		id := messaging.NewID()
		domainEvent := events.ComplaintEvent{
			EventID: id, Type: e.Type, OccurredAt: ch.At, ComplaintID: c.ID, Reference: c.Reference,
			Stage: e.Stage, Status: string(c.Status), Service: c.Service, Outcome: string(e.Outcome),
			Deadline: e.Deadline, DueAt: e.DueAt,
		}
		if r, ok := e.Detail["recipient"].(string); ok {
			domainEvent.Recipient = r
		}
		m, err := messaging.EventMessage(id, events.ComplaintsEventsPrefix+e.Type, domainEvent)
		if err != nil {
			return nil, err
		}
		statusID := messaging.NewID()
		status, err := messaging.EventMessage(statusID, events.ComplaintsStatusPrefix+"stage"+strconv.Itoa(c.Stage), statusOf(statusID, c, ch, e))
		if err != nil {
			return nil, err
		}
		m.Companions = []messaging.Message{status}
		msgs = append(msgs, m)
	}
	for _, d := range ch.Disclosures {
		m, err := messaging.EventMessage(d.ID, d.Subject, events.ComplaintDisclosure{
			DisclosureID: d.ID, Recipient: d.Recipient, Purpose: d.Purpose, Condition: d.Condition,
			NoticeVersion: d.NoticeVersion, Reference: c.Reference, DisclosedAt: ch.At, Data: d.Data,
		})
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

func statusOf(id string, c *domain.Complaint, ch app.Change, e domain.Event) events.ComplaintStatus {
	s := events.ComplaintStatus{
		EventID: id, At: ch.At, ComplaintID: c.ID, Reference: c.Reference, Stage: c.Stage,
		Status: string(c.Status), Team: c.Service, Overdue: c.Overdue(ch.At), Change: e.Type,
	}
	// Only running deadlines: a stage's stopped clock (the Ombudsman has the complaint) is
	// neither due nor overdue on the board.
	for _, d := range c.RunningDeadlines() {
		due := d.Computed.Due
		if c.Stage == 3 {
			if s.NextDueAt == nil || due.Before(*s.NextDueAt) {
				s.NextDueAt, s.NextDue = &due, d.Key()
			}
			continue
		}
		if d.Kind == domain.DeadlineAcknowledge {
			s.AcknowledgeDueAt = &due
		} else {
			s.RespondDueAt = &due
		}
	}
	return s
}

func jsonOf(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("marshal %T: %v", v, err)) // only our own plain structs reach here
	}
	return b
}
