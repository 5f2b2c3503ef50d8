package domain

import (
	"fmt"
	"time"

	"casework.dev/contracts/rights"
)

// Article19Notice is one recipient told of what was done to the person's data it received
// from one disclosure (UK GDPR Art 19). It holds no personal data: the notice itself went
// out as a disclosure, logged.
type Article19Notice struct {
	ID                   string // the disclosure id of the notice
	Service              string // the service whose disclosure it follows
	OriginalDisclosureID string
	OriginalDisclosedAt  time.Time
	Recipient            string
	Action               string // rectified, erased, restricted, restriction lifted
	SentAt               time.Time
	// Refused holds the rights notice's reason when it does not allow telling this
	// recipient: nothing was sent and the DPO must act.
	Refused        string
	AcknowledgedAt *time.Time
	AcknowledgedBy string
}

// Past tense of each action verb, as a notice says what was done.
var actionDone = map[string]string{rights.Erase: "erased", rights.Rectify: "rectified", rights.Restrict: "restricted", rights.Object: "restricted",
	rights.Lift: "restriction lifted"}

// ActionDone is what a notice says was done for an action verb.
func ActionDone(verb string) string { return actionDone[verb] }

// Owed lists, once per recipient, original disclosure and action, the notices the outcomes
// just recorded for service call for: every record that was acted on, for every recipient
// its disclosure log shows received the person's data. Notices already sent for the action
// are not owed again; a recipient told of a restriction is told of its lifting too, so it
// may use the data again. An objection that ended direct marketing restricted nothing, and
// Art 19 asks for none.
func (r *Request) Owed(service, verb string) []Article19Notice {
	if !r.Kind.TellsRecipients() {
		return nil
	}
	sent := map[string]bool{}
	for _, n := range r.Notices {
		sent[n.Service+"|"+n.OriginalDisclosureID+"|"+n.Recipient+"|"+n.Action] = true
	}
	var out []Article19Notice
	for _, o := range r.Outcomes {
		if o.Service != service || o.Verb != verb || !o.Done || o.Verb == rights.Object && !o.Restricted() {
			continue
		}
		for _, d := range o.Disclosures {
			key := service + "|" + d.DisclosureID + "|" + d.Recipient + "|" + actionDone[verb]
			if sent[key] || d.InPlace { // it reads the record as now held: told by the change itself
				continue
			}
			sent[key] = true
			out = append(out, Article19Notice{Service: service, OriginalDisclosureID: d.DisclosureID, OriginalDisclosedAt: d.DisclosedAt,
				Recipient: d.Recipient, Action: actionDone[verb]})
		}
	}
	return out
}

// RecordNotice records a notice sent (or refused by the notice) to one recipient.
func (r *Request) RecordNotice(n Article19Notice) Event {
	r.Notices = append(r.Notices, n)
	outcome := "sent"
	if n.Refused != "" {
		outcome = "refused_by_notice"
	}
	return Event{Type: "request.article19." + outcome, Recipient: n.Recipient, Service: n.Service,
		Detail: map[string]any{"notice_id": n.ID, "original_disclosure_id": n.OriginalDisclosureID, "action": n.Action}}
}

// AcknowledgeNotice records that the recipient acknowledged notice id.
func (r *Request) AcknowledgeNotice(id string, a Actor) (Event, error) {
	if r.Erased() {
		return Event{}, ErrErased
	}
	for i := range r.Notices {
		n := &r.Notices[i]
		if n.ID != id {
			continue
		}
		switch {
		case n.Refused != "":
			return Event{}, &RuleError{Rule: "notice_not_sent", Detail: "this notice was not sent: " + n.Refused}
		case n.AcknowledgedAt != nil:
			return Event{}, &RuleError{Rule: "already_acknowledged", Detail: fmt.Sprintf("acknowledged on %s", n.AcknowledgedAt.Format(time.RFC3339))}
		}
		at := a.Now
		n.AcknowledgedAt, n.AcknowledgedBy = &at, a.Officer
		return Event{Type: "request.article19.acknowledged", Recipient: n.Recipient, Service: n.Service,
			Detail: map[string]any{"notice_id": id}}, nil
	}
	return Event{}, &ValidationError{Field: "notice_id", Detail: "no Article 19 notice with this id on the request"}
}
