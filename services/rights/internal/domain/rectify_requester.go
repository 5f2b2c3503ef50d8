package domain

import (
	"fmt"
	"net/mail"
	"slices"

	"casework.dev/pkg/casework"
)

// RectifyRequester corrects one of the requester's details (name, email, phone or address)
// at their request (UK GDPR Art 16) while the request is still being answered: the answer
// goes to them. One answered or refused is the record of what was received, and stays as
// it was (the notice's legal_obligation ground). changed is false when the detail already
// reads so.
func (r *Request) RectifyRequester(field, value string, a Actor) (e Event, changed bool, err error) {
	if r.Erased() {
		return Event{}, false, ErrErased
	}
	if r.IsClosed() {
		return Event{}, false, &casework.ErasureRefusedError{Ground: "legal_obligation", Fact: fmt.Sprintf(
			"the record shows the request as it was received; it was %s on %s", r.Status, r.Closed.At.Format("2006-01-02"))}
	}
	detail, err := personDetail(&r.Requester, field, value)
	if err != nil || *detail == value {
		return Event{}, false, err
	}
	*detail = value
	return Event{Type: "request.requester_rectified", Detail: map[string]any{"field": field}}, true, nil
}

// RectifyRequester corrects one of the requester's details as Request.RectifyRequester
// does, while the request for information is open or its clock stopped.
func (f *FOIRequest) RectifyRequester(field, value string, a Actor) (e Event, changed bool, err error) {
	if f.ErasedAt != nil {
		return Event{}, false, ErrFOIErased
	}
	if f.Status != FOIOpen && f.Status != FOIClockStopped {
		return Event{}, false, &casework.ErasureRefusedError{Ground: "legal_obligation", Fact: fmt.Sprintf(
			"the record shows the request as it was received; it is %s", f.Status)}
	}
	detail, err := personDetail(&f.Requester, field, value)
	if err != nil || *detail == value {
		return Event{}, false, err
	}
	*detail = value
	return Event{Type: "foi.requester_rectified", Detail: map[string]any{"field": field}}, true, nil
}

// personDetail is the detail of p a rectification names, once value is one it may hold.
func personDetail(p *Person, field, value string) (*string, error) {
	if !slices.Contains(RectifiableFields, field) {
		return nil, &casework.ValidationError{Field: "field", Detail: fmt.Sprintf("%q is not a detail a rectification corrects: one of %v", field, RectifiableFields)}
	}
	if blank(value) {
		return nil, &casework.ValidationError{Field: "value", Detail: "is blank"}
	}
	if field == "email" {
		if _, err := mail.ParseAddress(value); err != nil {
			return nil, &casework.ValidationError{Field: "value", Detail: "is not an email address"}
		}
	}
	return map[string]*string{"name": &p.Name, "email": &p.Email, "phone": &p.Phone, "address": &p.Address}[field], nil
}
