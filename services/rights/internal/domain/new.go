package domain

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
)

// NewRequest is a request as the DPO's team logs it.
type NewRequest struct {
	Kind           Kind
	ReceivedAt     time.Time
	Requester      Person
	Subject        rights.Identifiers
	Representative *Representative
	// IdentityMethod is how identity was checked when the request arrived; empty when proof
	// of identity is still awaited (the clock then starts when it arrives).
	IdentityMethod string
	Details        string
	Rectification  *Rectification
}

// Received is the rights request's one calendar month, counted as the ICO counts it: from
// the day of receipt (whether or not a working day) to the corresponding day of the next
// month, the last day of that month when it is shorter (31 January: the last day of
// February), moved to the next working day when it falls on a weekend or bank holiday
// (ICO, "Right of access: how long do we have to comply?", updated 8 December 2025; UK
// GDPR Art 12(3) and 12A). When proof of identity or a representative's authority is still
// awaited, the clock stops at once and the month runs from the day it arrives.
func Received(in NewRequest, a Actor) (*Request, Event, error) {
	if err := in.validate(a.Now); err != nil {
		return nil, Event{}, err
	}
	deadline, err := a.Cal.AddCalendarMonths(in.ReceivedAt, 1)
	if err != nil {
		return nil, Event{}, calendarRefusal("received_at", err)
	}
	r := &Request{Kind: in.Kind, Status: StatusOpen, Phase: PhaseNew, ReceivedAt: in.ReceivedAt.UTC(),
		Requester: in.Requester, Subject: in.Subject, Representative: in.Representative,
		Details: in.Details, Rectification: in.Rectification, Deadline: deadline}
	if in.IdentityMethod != "" {
		at := a.Now
		r.Identity = Identity{Verified: true, Method: in.IdentityMethod, VerifiedAt: &at, VerifiedBy: a.Officer}
	}
	switch {
	case !r.Identity.Verified:
		err = r.stop(AwaitingIdentity, in.ReceivedAt, a)
	case r.Representative != nil && r.Representative.Authority == "":
		err = r.stop(AwaitingAuthority, in.ReceivedAt, a)
	}
	if err != nil {
		return nil, Event{}, err
	}
	return r, Event{Type: "request.received", Detail: map[string]any{"kind": string(r.Kind), "status": string(r.Status),
		"due_date": r.Deadline.DueDate.String(), "on_behalf": r.Representative != nil}}, nil
}

// MaxAgeYears bounds a subject's date of birth: UK GDPR rights are a living person's, and
// no one alive was born more than this many years ago.
const MaxAgeYears = 125

func (in NewRequest) validate(now time.Time) error {
	if !slices.Contains(Kinds, in.Kind) {
		return &ValidationError{Field: "kind", Detail: fmt.Sprintf("unknown kind %q", in.Kind)}
	}
	if err := happened("received_at", in.ReceivedAt, now, GDPRApplied); err != nil {
		return err
	}
	if trimmed(in.Requester.Name) == "" {
		return &ValidationError{Field: "requester/name", Detail: "is required"}
	}
	if blank(in.Requester.Email) && blank(in.Requester.Address) {
		return &ValidationError{Field: "requester", Detail: "needs an email or postal address to send the answer to"}
	}
	if in.Requester.Email != "" {
		if _, err := mail.ParseAddress(in.Requester.Email); err != nil {
			return &ValidationError{Field: "requester/email", Detail: "is not an email address"}
		}
	}
	s := in.Subject
	if trimmed(s.Name) == "" {
		return &ValidationError{Field: "subject/name", Detail: "is required: the person the request is about"}
	}
	for i, ref := range s.References {
		if blank(ref) {
			return &ValidationError{Field: fmt.Sprintf("subject/references/%d", i), Detail: "is blank: give the reference, or leave it out"}
		}
	}
	if blank(s.Email) && blank(s.Phone) && blank(s.Address) && blank(s.Postcode) && s.DateOfBirth == "" && len(s.References) == 0 {
		return &ValidationError{Field: "subject", Detail: "needs at least one identifier besides the name (email, phone, address, postcode, date of birth or a reference)"}
	}
	if s.DateOfBirth != "" {
		born, err := calendar.ParseDate(s.DateOfBirth)
		received := calendar.DateOf(in.ReceivedAt)
		switch {
		case err != nil:
			return &ValidationError{Field: "subject/date_of_birth", Detail: "is not a date (YYYY-MM-DD)"}
		case born.After(received):
			return &ValidationError{Field: "subject/date_of_birth", Detail: "is after the request was received"}
		case received.Year-born.Year > MaxAgeYears:
			return &ValidationError{Field: "subject/date_of_birth", Detail: fmt.Sprintf("is more than %d years before the request: UK GDPR rights are a living person's", MaxAgeYears)}
		}
	}
	if in.Representative != nil && trimmed(in.Representative.Name) == "" {
		return &ValidationError{Field: "representative/name", Detail: "is required when someone asks for the person"}
	}
	// Given, each is the record that identity or authority was seen; white space alone
	// would record it seen with no word of how.
	if in.IdentityMethod != "" && blank(in.IdentityMethod) {
		return &ValidationError{Field: "identity_method", Detail: "is blank: say how identity was checked, or leave it out while proof of identity is awaited"}
	}
	if in.Representative != nil && in.Representative.Authority != "" && blank(in.Representative.Authority) {
		return &ValidationError{Field: "representative/authority", Detail: "is blank: describe the form of authority seen, or leave it out while it is awaited"}
	}
	switch {
	case in.Representative != nil && sameName(in.Representative.Name, s.Name):
		return &ValidationError{Field: "representative", Detail: "is for someone who asks on the person's behalf: the person asks for themselves, so leave it out"}
	case in.Representative != nil && !sameName(in.Representative.Name, in.Requester.Name):
		return &ValidationError{Field: "representative/name", Detail: "is the requester's: the representative is who asks, and the answer goes to them once their authority is seen"}
	}
	if in.Representative == nil && !sameName(in.Requester.Name, s.Name) {
		// Corporate privacy notice: a request is made by the person the information is about
		// or their authorised representative.
		return &ValidationError{Field: "representative", Detail: "is required: the requester is not the person the request is about, " +
			"so they ask as that person's representative, whose authority to act is then awaited"}
	}
	switch {
	case in.Kind == KindRectification && in.Rectification == nil:
		return &ValidationError{Field: "rectification", Detail: "is required for a rectification: the field and its correct value"}
	case in.Kind != KindRectification && in.Rectification != nil:
		return &ValidationError{Field: "rectification", Detail: "is only for a rectification"}
	case in.Rectification != nil && !slices.Contains(RectifiableFields, in.Rectification.Field):
		return &ValidationError{Field: "rectification/field", Detail: fmt.Sprintf("must be one of %v", RectifiableFields)}
	case in.Rectification != nil && trimmed(in.Rectification.Value) == "":
		return &ValidationError{Field: "rectification/value", Detail: "is required"}
	}
	return nil
}

// sameName compares two names as a person would write them: case, spacing and the Unicode
// form of an accented letter aside.
func sameName(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(norm.NFKC.String(a)), " "), strings.Join(strings.Fields(norm.NFKC.String(b)), " "))
}

// calendarRefusal turns a date the holiday table cannot count from into a validation error
// naming the field it came from.
func calendarRefusal(field string, err error) error {
	var o *calendar.OutsideTableError
	if errors.As(err, &o) {
		return &ValidationError{Field: field, Detail: o.Reason()}
	}
	return err
}
