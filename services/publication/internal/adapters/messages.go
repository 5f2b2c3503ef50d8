package adapters

import (
	"encoding/json"
	"fmt"

	"casework.dev/contracts/events"
	"casework.dev/pkg/messaging"
	"casework.dev/services/publication/internal/app"
	"casework.dev/services/publication/internal/domain"
)

// messagesFor turns one change into its outbox messages: the domain event carrying the
// status event as its companion (one outbox row for both; neither with personal data) and
// any disclosure.
func messagesFor(d *domain.Decision, ch app.Change) ([]messaging.Message, error) {
	e := ch.Event
	str := func(k string) string { s, _ := e.Detail[k].(string); return s }
	eventID := messaging.NewID()
	takedownOn := ""
	if d.Status == domain.StatusPublished && d.Takedown != nil {
		takedownOn = d.Takedown.On.String()
	}
	outcome := ""
	if d.Draft != nil {
		outcome = string(d.Draft.Outcome)
	}
	domainEvent := events.PublicationEvent{EventID: eventID, Type: e.Type, OccurredAt: ch.At, DecisionID: d.ID,
		Reference: d.Reference, Status: string(d.Status), Outcome: outcome, TakedownOn: takedownOn,
		TakedownReason: str("takedown_reason"), PressReleaseID: str("press_release_id")}
	status := events.PublicationStatus{EventID: messaging.NewID(), At: ch.At, DecisionID: d.ID, Reference: d.Reference,
		Status: string(d.Status), Change: e.Type, TakedownOn: takedownOn}
	domainMsg, err := outboxMessage(eventID, events.PublicationEventsPrefix+e.Type, domainEvent)
	if err != nil {
		return nil, err
	}
	statusMsg, err := outboxMessage(status.EventID, events.PublicationStatusPrefix+string(d.Status), status)
	if err != nil {
		return nil, err
	}
	domainMsg.Companions = []messaging.Message{statusMsg}
	msgs := []messaging.Message{domainMsg}
	if dl := ch.Disclosure; dl != nil {
		msg, err := outboxMessage(dl.ID, dl.Subject, events.PublicationDisclosure{DisclosureID: dl.ID, Recipient: dl.Recipient,
			Purpose: dl.Purpose, Condition: dl.Condition, NoticeVersion: dl.NoticeVersion, Reference: d.Reference,
			DisclosedAt: ch.At, Data: dl.Data})
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, msg)
	}
	return msgs, nil
}

func outboxMessage(id, subject string, payload any) (messaging.Message, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return messaging.Message{}, fmt.Errorf("marshal %s: %w", subject, err)
	}
	return messaging.Message{ID: id, Subject: subject, Payload: body}, nil
}
