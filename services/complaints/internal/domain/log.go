package domain

import (
	"net/mail"
	"slices"
	"strings"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// NewComplaint is what an officer records when a complaint arrives.
type NewComplaint struct {
	Complainant        Complainant
	Details            string
	SpecialDetails     string
	Service            string
	Channel            string
	ReceivedAt         time.Time // zero means now
	AnonymityRequested bool
	Handler            string // stage 1 handler; the logging officer when empty
	ConsentTo          []string
}

// Log opens a stage 1 complaint and starts its acknowledgement clock.
func Log(id, reference string, in NewComplaint, a Actor) (*Complaint, Event, error) {
	if err := validateNew(in, a.Now); err != nil {
		return nil, Event{}, err
	}
	received, receivedField := in.ReceivedAt, "received_at"
	if received.IsZero() {
		received, receivedField = a.Now, ""
	}
	handler := in.Handler // checked by validateNew: never trimmed
	if handler == "" {
		handler = a.Officer
	}
	c := &Complaint{
		ID: id, Reference: reference, Stage: 1, Status: StatusStage1Received,
		Service: in.Service, Channel: in.Channel, ReceivedAt: received,
		Complainant: in.Complainant, Details: in.Details, SpecialDetails: in.SpecialDetails, AnonymityRequested: in.AnonymityRequested,
		Stage1Handler: handler, Responses: map[int]*Response{}, Consents: map[string]Consent{},
	}
	for _, r := range in.ConsentTo {
		c.Consents[r] = Consent{Recipient: r, GivenAt: a.Now, RecordedBy: a.Officer}
	}
	computed, err := a.Cal.AddWorkingDays(received, AcknowledgeWorkingDays)
	if err != nil {
		return nil, Event{}, calendarRefusal(receivedField, err)
	}
	ack := Deadline{Stage: 1, Kind: DeadlineAcknowledge, Computed: computed}
	c.Deadlines = []Deadline{ack}
	due := ack.Computed.Due
	return c, Event{Type: "stage1.received", Stage: 1, Deadline: ack.Key(), DueAt: &due,
		Detail: map[string]any{"channel": in.Channel, "service": in.Service, "handler": handler,
			"acknowledge_due_date": ack.Computed.DueDate.String(), "consents": len(in.ConsentTo)}}, nil
}

// validateNew refuses what cannot be logged; it changes nothing of in.
func validateNew(in NewComplaint, now time.Time) error {
	// The name and address are free text, kept as sent; the phone and e-mail are what the
	// complainant is found by, refused rather than trimmed when they carry white space
	// around them.
	p := in.Complainant
	if blank(p.Name) {
		return &casework.ValidationError{Field: "complainant/name", Detail: "is required to log and answer the complaint"}
	}
	if blank(p.Address) && blank(p.Phone) && blank(p.Email) {
		return &casework.ValidationError{Field: "complainant", Detail: "at least one way to reply (address, phone or email) is required"}
	}
	if err := checkIdentifier("complainant/phone", p.Phone); err != nil {
		return err
	}
	if err := checkIdentifier("complainant/email", p.Email); err != nil {
		return err
	}
	if p.Email != "" {
		if addr, err := mail.ParseAddress(p.Email); err != nil || addr.Address != p.Email {
			return &casework.ValidationError{Field: "complainant/email", Detail: "is not an e-mail address"}
		}
	}
	if err := checkText("details", in.Details, true); err != nil {
		return err
	}
	if err := checkText("special_details", in.SpecialDetails, false); err != nil {
		return err
	}
	if blank(in.Service) {
		return &casework.ValidationError{Field: "service", Detail: "name the council service complained about"}
	}
	if err := checkIdentifier("service", in.Service); err != nil {
		return err
	}
	// The stage 1 handler is an officer's id: left out, the logging officer.
	if err := checkIdentifier("handler", in.Handler); err != nil {
		return err
	}
	if !slices.Contains(Channels, in.Channel) {
		return &casework.ValidationError{Field: "channel", Detail: "must be one of " + strings.Join(Channels, ", ")}
	}
	if !in.ReceivedAt.IsZero() {
		// A complaint is logged when it arrives, or soon after: a year back is the furthest
		// a late-found letter can be, and its deadlines are long past by then.
		if err := calendar.Happened(in.ReceivedAt, now, calendar.Limit{Date: calendar.YearsFrom(calendar.DateOf(now), -1), Name: "12 months ago"}); err != nil {
			return &casework.ValidationError{Field: "received_at", Detail: err.Error()}
		}
	}
	return nil
}

// checkDate refuses a date outside [from, to] as a validation error on field.
func checkDate(field string, d calendar.Date, from, to calendar.Limit) error {
	if err := calendar.Within(d, from, to); err != nil {
		return &casework.ValidationError{Field: field, Detail: err.Error()}
	}
	return nil
}
