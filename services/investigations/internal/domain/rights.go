package domain

import (
	"slices"
	"time"

	"casework.dev/pkg/casework"
)

// Data subject rights of one person in an investigation (UK GDPR Art 16 and 17), asked by
// the council's rights service: a reporter, witness, victim or the person investigated
// answers for their own entry only.

// ErasureRefusal is why people's data in the case may not be erased on request now, or nil:
// a legal hold, or an investigation or enforcement still under way.
func (c *Investigation) ErasureRefusal() error {
	open := ""
	if c.Status != StatusClosed {
		open = "is still open (" + casework.Readable(c.Status) + ")"
	}
	return casework.ErasureRefusal(c.Reference, c.LegalHold != nil, open)
}

// ErasePerson erases one person's entry (keeping their id and role, so the case still says
// someone was involved) with the statements, items and special category data linked to
// them and the e-mails they sent (the notice's "personal data sent via e-mail"), unless the
// notice's ground to refuse applies; the matter and the others' entries stay. address
// compares e-mail addresses as the access answer does (Email.SentBy), so the erasure takes
// what that answer shows as theirs. Already erased reports false: a repeated request changes
// nothing.
func (c *Investigation) ErasePerson(personID string, now time.Time, address Address) (Event, bool, error) {
	p := c.Person(personID)
	if p == nil {
		return Event{}, false, notFound("person " + personID)
	}
	var sent []int // e-mails still held from them: on their own clock, they may outlive the case file
	for i, m := range c.Emails {
		if m.ErasedAt == nil && m.SentBy(*p, address) {
			sent = append(sent, i)
		}
	}
	if (c.Erased() || *p == (Person{ID: p.ID, Role: p.Role})) && len(sent) == 0 {
		return Event{}, false, nil
	}
	if err := c.ErasureRefusal(); err != nil {
		return Event{}, false, err
	}
	for _, i := range sent {
		m := &c.Emails[i]
		m.PersonID, m.From, m.Subject, m.Body, m.ErasedAt = p.ID, "", "", "", &now
	}
	*p = Person{ID: p.ID, Role: p.Role}
	for i := range c.Evidence {
		if e := &c.Evidence[i]; e.PersonID == personID && e.ErasedAt == nil {
			e.Description, e.StorageRef, e.ErasedAt = "", "", &now
		}
	}
	for i := range c.Special {
		if s := &c.Special[i]; s.PersonID == personID && s.ErasedAt == nil {
			s.Details, s.ErasedAt = "", &now
		}
	}
	return Event{Type: "rights.person_erased", Detail: map[string]any{"person_id": personID, "role": string(p.Role)}}, true, nil
}

// RectifyPerson corrects one detail of a person's entry: name, address, town, phone, email,
// date_of_birth or vehicle_registration, with the checks the detail had when recorded
// (AddPerson). It reports false when the value is already the one held, so a repeated
// request changes nothing. A new e-mail address leaves what the person sent from the old
// one theirs (address compares addresses, as in ErasePerson).
func (c *Investigation) RectifyPerson(personID, field, value string, now time.Time, address Address) (Event, bool, error) {
	p := c.Person(personID)
	if p == nil {
		return Event{}, false, notFound("person " + personID)
	}
	if c.Erased() {
		return Event{}, false, ErrErased
	}
	details := []casework.Detail{
		{Name: "name", Value: &p.Name, Max: 500, Check: func(v string) error {
			if Blank(v) { // required when the person is recorded (AddPerson), so never blanked after
				return &casework.ValidationError{Field: field, Detail: "a person needs a name"}
			}
			return nil
		}}, {Name: "address", Value: &p.Address, Max: 1000}, {Name: "town", Value: &p.Town, Max: 200},
		{Name: "phone", Value: &p.Phone, Max: 50}, {Name: "email", Value: &p.Email, Max: 320},
		{Name: "date_of_birth", Value: &p.DateOfBirth, Check: func(v string) error { return checkBirth(field, v, now) }},
		{Name: "vehicle_registration", Value: &p.VehicleRegistration, Max: 20},
	}
	// casework.Rectify trims the value it stores: one with white space at an end would be
	// stored otherwise than sent, so it is refused here instead.
	if EdgeSpace(value) && slices.ContainsFunc(details, func(d casework.Detail) bool { return d.Name == field }) {
		return Event{}, false, &casework.ValidationError{Field: field, Detail: "begins or ends with white space: send it without, as it is stored exactly as sent"}
	}
	before := *p
	changed, err := casework.Rectify(details, field, value)
	if err != nil || !changed {
		return Event{}, false, err
	}
	if field == "email" {
		c.tieEmails(before, address) // sent from the old address, which no longer names them
	}
	return Event{Type: "rights.rectified", Detail: map[string]any{"person_id": personID, "field": field}}, true, nil
}

// tieEmails ties to the person the e-mails still held that they sent, before the address
// on their entry is erased or changed: what they sent stays theirs, for their access
// answer and their erasure, once the address no longer says so.
func (c *Investigation) tieEmails(p Person, address Address) {
	for i := range c.Emails {
		if m := &c.Emails[i]; m.ErasedAt == nil && m.PersonID == "" && m.SentBy(p, address) {
			m.PersonID = p.ID
		}
	}
}
