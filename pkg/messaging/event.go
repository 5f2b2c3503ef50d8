package messaging

import (
	"encoding/json"
	"fmt"
)

// HeaderEventType names the message's kind for consumers that route on headers; it is the
// subject the message was written for.
const HeaderEventType = "Casework-Event-Type"

// EventMessage marshals payload as JSON under the given id, typed by its subject.
func EventMessage(id, subject string, payload any) (Message, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return Message{}, fmt.Errorf("marshal %s: %w", subject, err)
	}
	return Message{ID: id, Subject: subject, Payload: body, Headers: map[string]string{HeaderEventType: subject}}, nil
}
