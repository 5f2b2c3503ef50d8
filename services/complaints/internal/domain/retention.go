package domain

import (
	"fmt"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// maxLegalHoldReason is the contract's maxLength of a legal hold's reason, in characters.
const maxLegalHoldReason = 2000

// SetLegalHold pauses retention erasure; the reason is kept as sent.
func (c *Complaint) SetLegalHold(reason string, a Actor) (Event, error) {
	if err := checkRequiredText("reason", reason, maxLegalHoldReason, "a legal hold needs a reason (at most 2000 characters)"); err != nil {
		return Event{}, err
	}
	if c.LegalHold != nil {
		return Event{}, &casework.RuleError{Rule: "legal_hold_exists", Detail: fmt.Sprintf("%s is already under a legal hold", c.Reference)}
	}
	if c.Erased() {
		return Event{}, ErrErased
	}
	c.LegalHold = &LegalHold{Reason: reason, SetAt: a.Now, SetBy: a.Officer}
	return Event{Type: "legal_hold.set", Stage: c.Stage}, nil
}

// ReleaseLegalHold lets retention run again.
func (c *Complaint) ReleaseLegalHold(a Actor) (Event, error) {
	if c.LegalHold == nil {
		return Event{}, &casework.RuleError{Rule: "no_legal_hold", Detail: fmt.Sprintf("%s is not under a legal hold", c.Reference)}
	}
	c.LegalHold = nil
	return Event{Type: "legal_hold.released", Stage: c.Stage}, nil
}

// DueForErasure reports whether the retention period has ended on today and nothing holds it.
func (c *Complaint) DueForErasure(today calendar.Date) bool {
	return c.Status == StatusClosed && !c.Erased() && c.LegalHold == nil &&
		!c.RetentionDue.IsZero() && !today.Before(c.RetentionDue)
}

// Erase removes the personal data; the anonymous facts (stage, outcome, dates, service)
// remain for statistics.
func (c *Complaint) Erase(a Actor) (Event, error) {
	if !c.DueForErasure(calendar.DateOf(a.Now)) {
		return Event{}, &casework.RuleError{Rule: "not_due_for_erasure", Detail: fmt.Sprintf("%s is not due for erasure", c.Reference)}
	}
	c.erasePersonalData(a)
	return Event{Type: "erased", Stage: c.Stage, Detail: map[string]any{"retention_due": c.RetentionDue.String()}}, nil
}

// erasePersonalData removes the complainant's personal data and every free text that may
// hold it, and marks the complaint erased; retention and the complainant's own request
// (EraseOnRequest) erase alike.
func (c *Complaint) erasePersonalData(a Actor) {
	c.Complainant = Complainant{}
	c.Details, c.SpecialDetails, c.Stage2Details, c.ClosureReason = "", "", "", ""
	for _, r := range c.Responses {
		r.Summary, r.Remedies = "", nil
	}
	c.Consents = map[string]Consent{}
	c.eraseStage3()
	for i := range c.Deadlines { // extension reasons are free text and may hold personal data
		d := &c.Deadlines[i].Computed
		for j := range d.Extensions {
			d.Extensions[j].Reason = ""
		}
	}
	at := a.Now
	c.ErasedAt = &at
}
