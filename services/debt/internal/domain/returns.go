package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// returnToClient closes the case with the reason it goes back to the client.
func (c *Case) returnToClient(reason string, a Actor) {
	c.Returned = &Return{Reason: reason, At: a.Now, By: a.Officer}
	at := a.Now
	c.ClosedAt = &at
	if reason == ReturnPaid {
		c.Status = StatusPaid
	} else {
		c.Status = StatusReturned
	}
}

// ReturnToClient is an officer returning the case with a reason.
func (c *Case) ReturnToClient(reason string, a Actor) (Event, error) {
	if err := c.refuseIfClosed("return"); err != nil {
		return Event{}, err
	}
	if !slices.Contains(OfficerReturnReasons, reason) {
		return Event{}, &casework.ValidationError{Field: "reason", Detail: "must be one of " + strings.Join(OfficerReturnReasons, ", ")}
	}
	// A return as vulnerable tells the client something about the debtor: it must rest on a
	// vulnerability flagged on the case or reported by the client.
	if reason == ReturnVulnerable && len(c.Vulnerabilities) == 0 && c.Debtor.ReportedVulnerability == "" {
		return Event{}, &casework.RuleError{Rule: "no_vulnerability_recorded",
			Detail: c.Reference + " records no vulnerability: flag it before returning the case as vulnerable"}
	}
	c.returnToClient(reason, a)
	return Event{Type: "case.returned", Detail: map[string]any{"reason": reason}}, nil
}

// Recall is the client taking its case back: everything stops.
func (c *Case) Recall(a Actor) (Event, error) {
	if err := c.refuseIfClosed("recall"); err != nil {
		return Event{}, err
	}
	c.returnToClient(ReturnRecalled, a)
	return Event{Type: "case.returned", Detail: map[string]any{"reason": ReturnRecalled}}, nil
}

// ControlLimitPassed reports whether the 12 months for taking control ended before today
// without control being taken. A case whose arrangement is being kept is not returned: the
// debtor is paying, and a breach starts the 12 months again (SI 2013/1894 reg 9(2)).
func (c *Case) ControlLimitPassed(today calendar.Date) bool {
	return !c.Closed() && c.GoodsControlled == nil && !c.Arrangement.Active() && today.After(c.Notice.ControlLimit.DueDate)
}

// ReturnPastControlLimit returns a case whose 12 months passed without control of goods
// (SI 2013/1894 reg 9): it cannot move to enforcement any more.
func (c *Case) ReturnPastControlLimit(a Actor) (Event, bool) {
	if !c.ControlLimitPassed(calendar.DateOf(a.Now)) {
		return Event{}, false
	}
	c.returnToClient(ReturnControlLimit, a)
	return Event{Type: "case.returned", Detail: map[string]any{"reason": ReturnControlLimit,
		"control_limit_date": c.Notice.ControlLimit.DueDate.String()}}, true
}

// SetRetention fixes the day the personal data is due for erasure, once the case closed.
func (c *Case) SetRetention(due calendar.Date) { c.RetentionDue = due }

// RetentionDue is the day a case closed at closedAt and kept keepYears is due for erasure.
// The retention schedule's "6+1 years" is the year the case closes in plus six: it is kept
// to the end of that year (London) and then keepYears more, and erased on the day after
// (closed on 2 January or 30 December 2026: kept to 31 December 2032, erased on 1 January
// 2033). The notice's period runs from closure, as its engine counts; the end of the year
// is this rule's, as the rights service's BreachReviewDate reads "plus the current year".
func RetentionDue(closedAt time.Time, keepYears int, cal *calendar.Calendar) calendar.Date {
	endOfYear := calendar.NewDate(calendar.DateOf(closedAt).Year, time.December, 31)
	return cal.AddYears(endOfYear.StartOfDay(), keepYears).DueDate.AddDays(1)
}

// SetLegalHold pauses retention erasure.
func (c *Case) SetLegalHold(reason string, a Actor) (Event, error) {
	// Stored exactly as sent; white space only is no reason. 2000 characters, not bytes.
	if Blank(reason) || Chars(reason) > 2000 {
		return Event{}, &casework.ValidationError{Field: "reason", Detail: "a legal hold needs a reason (at most 2000 characters)"}
	}
	if err := CheckText("reason", reason); err != nil {
		return Event{}, err
	}
	if c.LegalHold != nil {
		return Event{}, &casework.RuleError{Rule: "legal_hold_exists", Detail: fmt.Sprintf("%s is already under a legal hold", c.Reference)}
	}
	if c.Erased() {
		return Event{}, ErrErased
	}
	c.LegalHold = &LegalHold{Reason: reason, SetAt: a.Now, SetBy: a.Officer}
	return Event{Type: "legal_hold.set"}, nil
}

// ReleaseLegalHold lets retention run again.
func (c *Case) ReleaseLegalHold(a Actor) (Event, error) {
	if c.LegalHold == nil {
		return Event{}, &casework.RuleError{Rule: "no_legal_hold", Detail: fmt.Sprintf("%s is not under a legal hold", c.Reference)}
	}
	c.LegalHold = nil
	return Event{Type: "legal_hold.released"}, nil
}

// DueForErasure reports whether retention has ended on today and nothing holds it.
func (c *Case) DueForErasure(today calendar.Date) bool {
	return c.Closed() && !c.Erased() && c.LegalHold == nil && !c.RetentionDue.IsZero() && !today.Before(c.RetentionDue)
}

// Erase removes the personal data; the anonymous facts (amounts, stages, dates, client)
// stay for remittance and statistics.
func (c *Case) Erase(a Actor) (Event, error) {
	if !c.DueForErasure(calendar.DateOf(a.Now)) {
		return Event{}, &casework.RuleError{Rule: "not_due_for_erasure", Detail: fmt.Sprintf("%s is not due for erasure", c.Reference)}
	}
	c.erasePersonalData(a)
	return Event{Type: "erased", Detail: map[string]any{"retention_due": c.RetentionDue.String()}}, nil
}

// erasePersonalData removes the debtors' data, consents, the officers' reasons for their
// decisions on the arrangement and whose each vulnerability is and its nature, keeping the
// anonymous facts (the flags and their reviews among them).
func (c *Case) erasePersonalData(a Actor) {
	c.Debtor = Debtor{}
	c.Consents = nil
	c.Vulnerabilities = slices.Clone(c.Vulnerabilities)
	for i := range c.Vulnerabilities {
		c.Vulnerabilities[i].Debtor, c.Vulnerabilities[i].Nature = 0, ""
	}
	for i := range c.ArrangementReviews { // the officers' reasons are kept with the debtor's data
		c.ArrangementReviews[i].Reason = ""
	}
	at := a.Now
	c.ErasedAt = &at
}

// Disclosed is the event of a disclosure: who received which categories, never what.
func (c *Case) Disclosed(recipient, purpose string, categories []string) Event {
	return Event{Type: "disclosed", Detail: map[string]any{"recipient": recipient, "purpose": purpose, "categories": categories}}
}
