package adapters

import (
	"encoding/json"
	"fmt"
	"time"

	"casework.dev/contracts/events"
	"casework.dev/pkg/messaging"
	"casework.dev/services/rights/internal/app"
	"casework.dev/services/rights/internal/domain"
)

// caseFacts is what every event and status of one case carries: no personal data.
type caseFacts struct {
	id, reference, kind, status, phase string
	due                                *time.Time
	overdue                            bool
	pending                            []string
	reviewDueOn                        string // a breach record's next review, YYYY-MM-DD: status only
}

// requestMessages turns one change of a request into its outbox messages.
func requestMessages(r *domain.Request, ch app.Change) ([]messaging.Message, error) {
	due := r.Deadline.Due
	var dueAt *time.Time
	if !r.IsClosed() && !r.Deadline.Stopped() {
		dueAt = &due
	}
	return caseMessages(caseFacts{id: r.ID, reference: r.Reference, kind: string(r.Kind), status: string(r.Status),
		phase: string(r.Phase), due: dueAt, overdue: r.OverdueAt != nil && !r.IsClosed(), pending: r.Pending()}, "requests", ch)
}

// caseMessages are a change's domain events, one status event on status.rights.<family>
// as the last domain event's companion (one outbox row for both; neither with personal
// data) and its disclosures.
func caseMessages(f caseFacts, family string, ch app.Change) ([]messaging.Message, error) {
	var msgs []messaging.Message
	add := func(id, subject string, payload any) error {
		body, err := json.Marshal(payload)
		if err != nil {
			return fmt.Errorf("marshal %s: %w", subject, err)
		}
		msgs = append(msgs, messaging.Message{ID: id, Subject: subject, Payload: body})
		return nil
	}
	for _, e := range ch.Events {
		outcome, _ := e.Detail["outcome"].(string)
		ev := events.RightsEvent{EventID: messaging.NewID(), Type: e.Type, OccurredAt: ch.At, CaseID: f.id, Reference: f.reference,
			Kind: f.kind, Status: f.status, DueAt: f.due, Service: e.Service, Recipient: e.Recipient, Outcome: outcome, Count: e.Count}
		if err := add(ev.EventID, events.RightsEventsPrefix+e.Type, ev); err != nil {
			return nil, err
		}
	}
	if len(ch.Events) > 0 {
		pending := f.pending
		if pending == nil {
			pending = []string{}
		}
		st := events.RightsStatus{EventID: messaging.NewID(), At: ch.At, CaseID: f.id, Reference: f.reference, Kind: f.kind,
			Status: f.status, Phase: f.phase, DueAt: f.due, Overdue: f.overdue, ReviewDueOn: f.reviewDueOn, Pending: pending,
			Change: ch.Events[len(ch.Events)-1].Type}
		body, err := json.Marshal(st)
		if err != nil {
			return nil, fmt.Errorf("marshal status: %w", err)
		}
		last := &msgs[len(msgs)-1] // the change's last domain event
		last.Companions = []messaging.Message{{ID: st.EventID, Subject: events.RightsStatusPrefix + family, Payload: body}}
	}
	for _, dl := range ch.Disclosures {
		if err := add(dl.ID, dl.Subject, events.RightsDisclosure{DisclosureID: dl.ID, Recipient: dl.Recipient, Purpose: dl.Purpose,
			Condition: dl.Condition, NoticeVersion: dl.NoticeVersion, Reference: f.reference, DisclosedAt: ch.At, Data: dl.Data}); err != nil {
			return nil, err
		}
	}
	return msgs, nil
}
