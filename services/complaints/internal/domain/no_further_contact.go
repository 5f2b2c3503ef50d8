package domain

import "casework.dev/pkg/calendar"

// ClosureNoFurtherContact is the closure reason recorded when the sweep closes a complaint
// the council answered and the complainant took no further: a controlled value, unlike an
// officer's free-text reason (contracts/openapi/complaints.yaml, closure_reason).
const ClosureNoFurtherContact = "no_further_contact"

// NoFurtherContactMonths is how long an answered complaint stays open with nothing
// happening before it is closed: the Ombudsman normally takes a complaint only within 12
// months of the complainant knowing of the matter (DESIGN.md, Time), and a closed
// complaint may still be referred (AllowedActions), so closing loses the complainant
// nothing and starts retention as an officer's closure would.
const NoFurtherContactMonths = 12

// NoFurtherContactPeriod is the period after which an answered complaint with no later
// change is closed: the 12 months beginning with the day of the current stage's response,
// or of the last change since (a consent, a legal hold, a disclosure), computed by the
// calendar. ok is false when the complaint is not awaiting the complainant after a stage 1
// or 2 response (escalated, referred, closed) or is erased.
func (c *Complaint) NoFurtherContactPeriod(cal *calendar.Calendar) (period calendar.Deadline, ok bool) {
	if c.Status != StatusStage1Responded && c.Status != StatusStage2Responded || c.Erased() {
		return calendar.Deadline{}, false
	}
	r := c.Responses[c.Stage]
	if r == nil {
		return calendar.Deadline{}, false
	}
	from := r.RespondedAt
	if c.ChangedAt.After(from) {
		from = c.ChangedAt
	}
	return cal.MonthsBeginningWith(from, NoFurtherContactMonths), true
}

// CloseNoFurtherContact closes, as the system, a complaint whose NoFurtherContactPeriod
// has ended at a.Now, exactly as an officer's closure after a response (Close) with the
// reason ClosureNoFurtherContact; retention runs from here. It reports false, changing
// nothing, for a complaint not (or no longer) due, so a second sweep closes nothing.
func (c *Complaint) CloseNoFurtherContact(a Actor, retentionEnds calendar.Date) (Event, bool, error) {
	period, ok := c.NoFurtherContactPeriod(a.Cal)
	if !ok || !period.IsOverdue(a.Now) {
		return Event{}, false, nil
	}
	e, err := c.Close(a, ClosureNoFurtherContact, retentionEnds)
	if err != nil {
		return Event{}, false, err
	}
	// How the period was computed, for the audit trail (no personal data in it).
	e.Detail["reason"] = ClosureNoFurtherContact
	e.Detail["no_further_contact_period"] = period
	return e, true, nil
}
