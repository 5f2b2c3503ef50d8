package domain

import (
	"fmt"
	"time"

	"casework.dev/pkg/casework"
)

// RecordConsent records the complainant's consent to share with recipient, explicit when
// the complainant gave it explicitly. Explicit consent given where plain consent stands
// records the consent again, as explicit.
func (c *Complaint) RecordConsent(recipient string, explicit bool, a Actor) (Event, error) {
	if c.Erased() {
		return Event{}, ErrErased
	}
	if c.HasConsent(recipient) && (!explicit || c.HasExplicitConsent(recipient)) {
		kind := "consent"
		if explicit {
			kind = "explicit consent"
		}
		return Event{}, &casework.RuleError{Rule: "consent_already_recorded", Detail: fmt.Sprintf("%s to share %s with %s is already recorded", kind, c.Reference, recipient)}
	}
	if c.Consents == nil {
		c.Consents = map[string]Consent{}
	}
	c.Consents[recipient] = Consent{Recipient: recipient, GivenAt: a.Now, RecordedBy: a.Officer, Explicit: explicit}
	detail := map[string]any{"recipient": recipient}
	if explicit {
		detail["explicit"] = true
	}
	return Event{Type: "consent.recorded", Stage: c.Stage, Detail: detail}, nil
}

// WithdrawConsent records that consent no longer stands; later disclosures are refused.
func (c *Complaint) WithdrawConsent(recipient string, a Actor) (Event, error) {
	if c.Erased() {
		return Event{}, ErrErased
	}
	if _, recorded := c.Consents[recipient]; !recorded {
		return Event{}, notFound("consent to share with " + recipient)
	}
	if !c.HasConsent(recipient) {
		return Event{}, &casework.RuleError{Rule: "no_consent", Detail: fmt.Sprintf("no consent to share %s with %s is recorded", c.Reference, recipient)}
	}
	consent := c.Consents[recipient]
	at := a.Now
	consent.WithdrawnAt = &at
	c.Consents[recipient] = consent
	return Event{Type: "consent.withdrawn", Stage: c.Stage, Detail: map[string]any{"recipient": recipient}}, nil
}

// Disclosed records a disclosure in the case's trail.
func (c *Complaint) Disclosed(recipient, purpose string, categories []string, now time.Time) Event {
	return Event{Type: "disclosed", Stage: c.Stage,
		Detail: map[string]any{"recipient": recipient, "purpose": purpose, "categories": categories}}
}
