package domain

import "casework.dev/pkg/casework"

// Data subject rights on a complaint (UK GDPR Art 16 and 17), asked by the council's rights
// service on the complainant's behalf.

// ErasureRefusal is why the complaint's personal data may not be erased on request now, or
// nil: a legal hold, or a complaint still being handled (the Ombudsman's stage included).
func (c *Complaint) ErasureRefusal() error {
	open := ""
	if c.Status != StatusClosed {
		open = "is still being handled (" + casework.Readable(c.Status) + ")"
	}
	return casework.ErasureRefusal(c.Reference, c.LegalHold != nil, open)
}

// EraseOnRequest erases the complainant's personal data as retention would, unless the
// notice's ground to refuse applies; the anonymous facts stay for statistics. Already erased
// reports false: a repeated request changes nothing.
func (c *Complaint) EraseOnRequest(a Actor) (Event, bool, error) {
	if c.Erased() {
		return Event{}, false, nil
	}
	if err := c.ErasureRefusal(); err != nil {
		return Event{}, false, err
	}
	c.erasePersonalData(a)
	return Event{Type: "rights.erased", Stage: c.Stage}, true, nil
}

// Rectify corrects one of the complainant's details: name, address, phone or email. The
// complaint is answered by name, by one way to reply at least. It reports false when the
// value is already the one held, so a repeated request changes nothing.
func (c *Complaint) Rectify(field, value string) (Event, bool, error) {
	if c.Erased() {
		return Event{}, false, ErrErased
	}
	p := &c.Complainant
	required := func(v string) error {
		if v == "" {
			return &casework.ValidationError{Field: field, Detail: "is required to answer the complaint"}
		}
		return nil
	}
	// replyRemains refuses to blank the last way to reply, the others being these.
	replyRemains := func(others ...*string) func(string) error {
		return func(v string) error {
			if v == "" && *others[0] == "" && *others[1] == "" {
				return &casework.ValidationError{Field: field, Detail: "at least one way to reply (address, phone or email) must remain"}
			}
			return nil
		}
	}
	changed, err := casework.Rectify([]casework.Detail{
		{Name: "name", Value: &p.Name, Max: 200, Check: required},
		{Name: "address", Value: &p.Address, Max: 1000, Check: replyRemains(&p.Phone, &p.Email)},
		{Name: "phone", Value: &p.Phone, Max: 50, Check: replyRemains(&p.Address, &p.Email)},
		{Name: "email", Value: &p.Email, Max: 320, Check: replyRemains(&p.Address, &p.Phone)},
	}, field, value)
	if err != nil || !changed {
		return Event{}, false, err
	}
	return Event{Type: "rights.rectified", Stage: c.Stage, Detail: map[string]any{"field": field}}, true, nil
}
