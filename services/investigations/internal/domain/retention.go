package domain

import (
	"fmt"
	"slices"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// SetLegalHold stops every erasure on the case until released.
func (c *Investigation) SetLegalHold(reason, officer string, at time.Time) (Event, error) {
	// Stored exactly as sent; white space only is no reason. 2000 characters, not bytes.
	if Blank(reason) || Chars(reason) > MaxReasonChars {
		return Event{}, &casework.ValidationError{Field: "reason", Detail: fmt.Sprintf("a legal hold needs a reason (at most %d characters)", MaxReasonChars)}
	}
	if c.LegalHold != nil {
		return Event{}, &casework.RuleError{Rule: "legal_hold_exists", Detail: fmt.Sprintf("%s is already under a legal hold", c.Reference)}
	}
	c.LegalHold = &LegalHold{Reason: reason, SetAt: at, SetBy: officer}
	return Event{Type: "legal_hold.set"}, nil
}

// ReleaseLegalHold lets retention run again.
func (c *Investigation) ReleaseLegalHold() (Event, error) {
	if c.LegalHold == nil {
		return Event{}, &casework.RuleError{Rule: "no_legal_hold", Detail: fmt.Sprintf("%s is not under a legal hold", c.Reference)}
	}
	c.LegalHold = nil
	return Event{Type: "legal_hold.released"}, nil
}

// NextErasureDue is the earliest date on which something still held may be erased; zero
// when nothing has a running clock.
func (c *Investigation) NextErasureDue() string {
	next := ""
	consider := func(r Retention, erased bool) {
		if !erased && r.Due != "" && (next == "" || r.Due < next) { // ISO dates sort as strings
			next = r.Due
		}
	}
	consider(c.Retention, c.Erased())
	for _, e := range c.Evidence {
		consider(e.Retention, e.ErasedAt != nil)
	}
	for _, m := range c.Emails {
		consider(m.Retention, m.ErasedAt != nil)
	}
	return next
}

func due(r Retention, today calendar.Date) bool { return r.Due != "" && r.Due <= today.String() }

// ended reports whether an item's retention has ended by today and no legal hold keeps it:
// the sweep erases it within the hour, if it has not yet, so it is held for no purpose.
func (c *Investigation) ended(r Retention, today calendar.Date) bool {
	return c.LegalHold == nil && due(r, today)
}

// HeldOn is the case as it holds personal data at now: a copy in which everything whose
// retention has ended by today (in London) is erased as EraseDue erases it, whether or not
// the sweep has run since. Disclosures and access answers read it, so nothing past its retention date
// goes, or is said to be held, between its date and the sweep.
func (c *Investigation) HeldOn(now time.Time, address Address) *Investigation {
	h := *c
	h.People, h.Evidence, h.Special, h.Emails = slices.Clone(c.People), slices.Clone(c.Evidence), slices.Clone(c.Special), slices.Clone(c.Emails)
	h.Actions, h.Conditions = slices.Clone(c.Actions), slices.Clone(c.Conditions)
	h.EraseDue(calendar.DateOf(now), now, address)
	return &h
}

// EraseDue erases every item whose own retention period has ended by today, unless a
// legal hold stops it: each e-mail and evidence item on its own clock, and the case file
// (people, the matter, special category items, the outcome's details) on the case's. An
// e-mail that outlives the case file is tied to the person who sent it (address compares
// addresses), as their entry's address goes.
func (c *Investigation) EraseDue(today calendar.Date, now time.Time, address Address) (Event, bool) {
	if c.LegalHold != nil {
		return Event{}, false
	}
	var erased []map[string]any
	for i := range c.Evidence {
		e := &c.Evidence[i]
		if e.ErasedAt == nil && due(e.Retention, today) {
			e.Description, e.StorageRef, e.ErasedAt = "", "", &now
			erased = append(erased, map[string]any{"item_id": e.ID, "kind": string(e.Kind), "rule": e.Retention.Rule})
		}
	}
	for i := range c.Emails {
		m := &c.Emails[i]
		if m.ErasedAt == nil && due(m.Retention, today) {
			m.From, m.Subject, m.Body, m.ErasedAt = "", "", "", &now
			erased = append(erased, map[string]any{"item_id": m.ID, "kind": "email", "rule": m.Retention.Rule})
		}
	}
	if !c.Erased() && due(c.Retention, today) {
		c.eraseCaseFile(now, address)
		erased = append(erased, map[string]any{"item_id": c.ID, "kind": "case_file", "rule": c.Retention.Rule})
	}
	if len(erased) == 0 {
		return Event{}, false
	}
	return Event{Type: "retention.erased", Detail: map[string]any{"erased": erased}}, true
}

func (c *Investigation) eraseCaseFile(now time.Time, address Address) {
	for i := range c.People {
		c.tieEmails(c.People[i], address)
	}
	for i := range c.People {
		c.People[i] = Person{ID: c.People[i].ID, Role: c.People[i].Role}
	}
	c.Matter = Matter{}
	for i := range c.Special {
		if c.Special[i].ErasedAt == nil {
			c.Special[i].Details, c.Special[i].ErasedAt = "", &now
		}
	}
	for i := range c.Actions {
		c.Actions[i].Notes = ""
	}
	for i := range c.Conditions {
		c.Conditions[i].Reason = ""
	}
	if o := c.Outcome; o != nil {
		c.Outcome = &Outcome{Kind: o.Kind, RecordedAt: o.RecordedAt, RecordedBy: o.RecordedBy, SentenceLength: o.SentenceLength}
	}
	c.ClosedReason = ""
	c.ErasedAt = &now
}
