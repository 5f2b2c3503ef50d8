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
// them, unless the notice's ground to refuse applies; the matter and the others' entries
// stay. Already erased reports false: a repeated request changes nothing.
func (c *Investigation) ErasePerson(personID string, now time.Time) (Event, bool, error) {
	p := c.Person(personID)
	if p == nil {
		return Event{}, false, notFound("person " + personID)
	}
	if c.Erased() || *p == (Person{ID: p.ID, Role: p.Role}) {
		return Event{}, false, nil
	}
	if err := c.ErasureRefusal(); err != nil {
		return Event{}, false, err
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
// date_of_birth or vehicle_registration. It reports false when the value is already the
// one held, so a repeated request changes nothing.
func (c *Investigation) RectifyPerson(personID, field, value string) (Event, bool, error) {
	p := c.Person(personID)
	if p == nil {
		return Event{}, false, notFound("person " + personID)
	}
	if c.Erased() {
		return Event{}, false, ErrErased
	}
	details := []casework.Detail{
		{Name: "name", Value: &p.Name, Check: func(v string) error {
			if Blank(v) { // required when the person is recorded (AddPerson), so never blanked after
				return &casework.ValidationError{Field: field, Detail: "a person needs a name"}
			}
			return nil
		}}, {Name: "address", Value: &p.Address}, {Name: "town", Value: &p.Town},
		{Name: "phone", Value: &p.Phone}, {Name: "email", Value: &p.Email},
		{Name: "date_of_birth", Value: &p.DateOfBirth, Check: isDate(field)},
		{Name: "vehicle_registration", Value: &p.VehicleRegistration},
	}
	// casework.Rectify trims the value it stores: one with white space at an end would be
	// stored otherwise than sent, so it is refused here instead.
	if EdgeSpace(value) && slices.ContainsFunc(details, func(d casework.Detail) bool { return d.Name == field }) {
		return Event{}, false, &casework.ValidationError{Field: field, Detail: "begins or ends with white space: send it without, as it is stored exactly as sent"}
	}
	changed, err := casework.Rectify(details, field, value)
	if err != nil || !changed {
		return Event{}, false, err
	}
	return Event{Type: "rights.rectified", Detail: map[string]any{"person_id": personID, "field": field}}, true, nil
}

// isDate refuses a value that is neither empty nor a date, YYYY-MM-DD.
func isDate(field string) func(string) error {
	return func(v string) error {
		if _, err := time.Parse(time.DateOnly, v); v != "" && err != nil {
			return &casework.ValidationError{Field: field, Detail: "must be a date, YYYY-MM-DD"}
		}
		return nil
	}
}
