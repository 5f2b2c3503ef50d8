package domain_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

func TestLogRefusesInvalidInput(t *testing.T) {
	now := receivedAt.Add(time.Hour)
	tests := []struct {
		name   string
		change func(*domain.NewComplaint)
		field  string
	}{
		{"missing name", func(n *domain.NewComplaint) { n.Complainant.Name = "" }, "complainant/name"},
		{"blank name", func(n *domain.NewComplaint) { n.Complainant.Name = "   " }, "complainant/name"},
		{"no contact at all", func(n *domain.NewComplaint) {
			n.Complainant.Address, n.Complainant.Phone, n.Complainant.Email = "", " ", "\t"
		}, "complainant"},
		{"e-mail without @", func(n *domain.NewComplaint) { n.Complainant.Email = "jo.example.com" }, "complainant/email"},
		{"e-mail with display name", func(n *domain.NewComplaint) { n.Complainant.Email = "Jo <jo@example.com>" }, "complainant/email"},
		{"empty details", func(n *domain.NewComplaint) { n.Details = "" }, "details"},
		{"blank details", func(n *domain.NewComplaint) { n.Details = " \n " }, "details"},
		{"details too long", func(n *domain.NewComplaint) { n.Details = strings.Repeat("x", 20001) }, "details"},
		{"special details too long", func(n *domain.NewComplaint) { n.SpecialDetails = strings.Repeat("x", 20001) }, "special_details"},
		{"empty service", func(n *domain.NewComplaint) { n.Service = "" }, "service"},
		{"blank service", func(n *domain.NewComplaint) { n.Service = "  " }, "service"},
		// An identifier is refused, never trimmed, with white space around it.
		{"service with white space around it", func(n *domain.NewComplaint) { n.Service = "  Waste collection " }, "service"},
		{"handler with white space around it", func(n *domain.NewComplaint) { n.Handler = "  officer.h " }, "handler"},
		{"blank handler", func(n *domain.NewComplaint) { n.Handler = " \t" }, "handler"},
		{"e-mail with white space around it", func(n *domain.NewComplaint) { n.Complainant.Email = " jo@example.com\n" }, "complainant/email"},
		{"phone with white space around it", func(n *domain.NewComplaint) { n.Complainant.Phone = "01622 000000 " }, "complainant/phone"},
		{"details of 20001 characters of two bytes", func(n *domain.NewComplaint) { n.Details = strings.Repeat("é", 20001) }, "details"},
		{"unknown channel", func(n *domain.NewComplaint) { n.Channel = "fax" }, "channel"},
		{"no channel", func(n *domain.NewComplaint) { n.Channel = "" }, "channel"},
		{"received in the future, beyond the clock skew", func(n *domain.NewComplaint) {
			n.ReceivedAt = now.Add(calendar.ClockSkew + time.Microsecond)
		}, "received_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validNew()
			tt.change(&in)
			c, e, err := domain.Log("c-1", "CMP-1", in, actor(t, officerA, now))
			assertValidation(t, err, tt.field)
			if c != nil {
				t.Errorf("refused Log returned complaint %+v", c)
			}
			assertNoEvent(t, e)
		})
	}
}

func TestLogAcceptsEdgeInput(t *testing.T) {
	now := receivedAt.Add(time.Hour)
	tests := []struct {
		name   string
		change func(*domain.NewComplaint)
		want   domain.Complainant
	}{
		{"phone only", func(n *domain.NewComplaint) { n.Complainant = domain.Complainant{Name: "Jo", Phone: "07700 900000"} },
			domain.Complainant{Name: "Jo", Phone: "07700 900000"}},
		{"address only", func(n *domain.NewComplaint) { n.Complainant = domain.Complainant{Name: "Jo", Address: "1 High St"} },
			domain.Complainant{Name: "Jo", Address: "1 High St"}},
		// Free text is kept exactly as sent, white space around it included.
		{"name and address kept as sent", func(n *domain.NewComplaint) {
			n.Complainant = domain.Complainant{Name: "  Jo\t", Address: "\u00a01 High St\r\n", Email: "jo@example.com"}
		}, domain.Complainant{Name: "  Jo\t", Address: "\u00a01 High St\r\n", Email: "jo@example.com"}},
		{"received exactly now", func(n *domain.NewComplaint) {
			n.ReceivedAt = now
			n.Complainant = domain.Complainant{Name: "Jo", Email: "jo@example.com"}
		}, domain.Complainant{Name: "Jo", Email: "jo@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validNew()
			tt.change(&in)
			c, _, err := domain.Log("c-1", "CMP-1", in, actor(t, officerA, now))
			if err != nil {
				t.Fatalf("Log: %v", err)
			}
			if c.Complainant != tt.want {
				t.Errorf("Complainant = %+v, want %+v", c.Complainant, tt.want)
			}
		})
	}
}

// The acknowledgement is due 5 working days after the London date of receipt; the day of
// receipt does not count. Bank holidays from holidays/england-and-wales.json:
// 2026: Good Friday 3 Apr, Easter Monday 6 Apr, Christmas Day Fri 25 Dec, Boxing Day
// substitute Mon 28 Dec; 2027: New Year's Day Fri 1 Jan.
func TestLogAcknowledgeDeadline(t *testing.T) {
	sat, sun := "Saturday", "Sunday"
	christmasSkips := []calendar.SkippedDay{
		{Date: calendar.NewDate(2026, 12, 25), Reason: "Christmas Day (bank holiday)"},
		{Date: calendar.NewDate(2026, 12, 26), Reason: sat},
		{Date: calendar.NewDate(2026, 12, 27), Reason: sun},
		{Date: calendar.NewDate(2026, 12, 28), Reason: "Boxing Day (substitute bank holiday)"},
		{Date: calendar.NewDate(2027, 1, 1), Reason: "New Year's Day (bank holiday)"},
		{Date: calendar.NewDate(2027, 1, 2), Reason: sat},
		{Date: calendar.NewDate(2027, 1, 3), Reason: sun},
	}
	easterSkips := []calendar.SkippedDay{
		{Date: calendar.NewDate(2026, 4, 3), Reason: "Good Friday (bank holiday)"},
		{Date: calendar.NewDate(2026, 4, 4), Reason: sat},
		{Date: calendar.NewDate(2026, 4, 5), Reason: sun},
		{Date: calendar.NewDate(2026, 4, 6), Reason: "Easter Monday (bank holiday)"},
	}
	easterSkipsToMonday := append(slices.Clone(easterSkips),
		calendar.SkippedDay{Date: calendar.NewDate(2026, 4, 11), Reason: sat},
		calendar.SkippedDay{Date: calendar.NewDate(2026, 4, 12), Reason: sun})
	tests := []struct {
		name     string
		received time.Time
		dueDate  calendar.Date
		due      time.Time // London midnight ending dueDate, in UTC
		skipped  []calendar.SkippedDay
	}{
		// Thu 24 (1), Tue 29 (2), Wed 30 (3), Thu 31 (4), Mon 4 Jan (5).
		{"Wed 23 Dec 2026", london(2026, 12, 23, 10, 0), calendar.NewDate(2027, 1, 4), utc(2027, 1, 5, 0, 0), christmasSkips},
		// Tue 29 (1), Wed 30 (2), Thu 31 (3), Mon 4 Jan (4), Tue 5 Jan (5).
		{"Thu 24 Dec 2026", london(2026, 12, 24, 16, 0), calendar.NewDate(2027, 1, 5), utc(2027, 1, 6, 0, 0), christmasSkips},
		// Thu 2 (1), Tue 7 (2), Wed 8 (3), Thu 9 (4), Fri 10 (5).
		{"Wed 1 Apr 2026", london(2026, 4, 1, 9, 0), calendar.NewDate(2026, 4, 10), utc(2026, 4, 10, 23, 0), easterSkips},
		// Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4), Mon 13 (5).
		{"Thu 2 Apr 2026", london(2026, 4, 2, 12, 0), calendar.NewDate(2026, 4, 13), utc(2026, 4, 13, 23, 0), easterSkipsToMonday},
		// 23:30 UTC on Wed 1 Apr is 00:30 BST on Thu 2 Apr: the London date counts.
		{"late evening UTC is next London day", utc(2026, 4, 1, 23, 30), calendar.NewDate(2026, 4, 13), utc(2026, 4, 13, 23, 0), easterSkipsToMonday},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validNew()
			in.ReceivedAt = tt.received
			c, e, err := domain.Log("c-1", "CMP-1", in, actor(t, officerA, tt.received.Add(2*time.Hour)))
			if err != nil {
				t.Fatalf("Log: %v", err)
			}
			if len(c.Deadlines) != 1 {
				t.Fatalf("Deadlines = %+v, want exactly the stage 1 acknowledgement", c.Deadlines)
			}
			assertDeadline(t, c, 1, domain.DeadlineAcknowledge, tt.dueDate, tt.due, nil)
			ack := c.Deadlines[0].Computed
			if ack.Rule != calendar.RuleWorkingDays || ack.Amount != 5 || !ack.Start.Equal(tt.received) {
				t.Errorf("computed = rule %q amount %d start %s, want working_days 5 from %s", ack.Rule, ack.Amount, ack.Start, tt.received)
			}
			if !reflect.DeepEqual(ack.Skipped, tt.skipped) {
				t.Errorf("Skipped = %+v, want %+v", ack.Skipped, tt.skipped)
			}
			assertEvent(t, e, domain.Event{Type: "stage1.received", Stage: 1, Deadline: "stage1.acknowledge", DueAt: ptr(tt.due),
				Detail: map[string]any{"channel": "email", "service": "Waste collection", "handler": officerA,
					"acknowledge_due_date": tt.dueDate.String(), "consents": 0}})
		})
	}
}

func TestLogOpensStage1(t *testing.T) {
	now := receivedAt.Add(time.Hour)
	in := validNew()
	in.SpecialDetails = "I use a wheelchair."
	in.AnonymityRequested = true
	in.Service = "Waste collection"
	c, _, err := domain.Log("c-1", "CMP-2026-0001", in, actor(t, officerA, now))
	if err != nil {
		t.Fatalf("Log: %v", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"ID", c.ID, "c-1"},
		{"Reference", c.Reference, "CMP-2026-0001"},
		{"Stage", c.Stage, 1},
		{"Status", c.Status, domain.StatusStage1Received},
		{"Service", c.Service, "Waste collection"},
		{"Channel", c.Channel, "email"},
		{"Details", c.Details, "My bin was not collected for three weeks."},
		{"SpecialDetails", c.SpecialDetails, "I use a wheelchair."},
		{"AnonymityRequested", c.AnonymityRequested, true},
		{"Stage1Handler", c.Stage1Handler, officerA},
		{"Stage2Handler", c.Stage2Handler, ""},
		{"Handler()", c.Handler(), officerA},
		{"Responses", len(c.Responses), 0},
		{"Consents", len(c.Consents), 0},
		{"ClosedAt", c.ClosedAt == nil, true},
		{"RetentionDue", c.RetentionDue, calendar.Date{}},
		{"LegalHold", c.LegalHold == nil, true},
		{"Erased", c.Erased(), false},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %#v, want %#v", ch.name, ch.got, ch.want)
		}
	}
	if !c.ReceivedAt.Equal(receivedAt) {
		t.Errorf("ReceivedAt = %s, want %s", c.ReceivedAt, receivedAt)
	}
	assertAllowed(t, c, domain.ActionAcknowledge, domain.ActionReferLGO, domain.ActionClose)
}

func TestLogReceivedAtDefaultsToNow(t *testing.T) {
	now := london(2026, 4, 2, 12, 0)
	in := validNew()
	in.ReceivedAt = time.Time{}
	c, _, err := domain.Log("c-1", "CMP-1", in, actor(t, officerA, now))
	if err != nil {
		t.Fatalf("Log: %v", err)
	}
	if !c.ReceivedAt.Equal(now) {
		t.Errorf("ReceivedAt = %s, want now %s", c.ReceivedAt, now)
	}
	assertDeadline(t, c, 1, domain.DeadlineAcknowledge, calendar.NewDate(2026, 4, 13), utc(2026, 4, 13, 23, 0), nil)
}

func TestLogNamedHandlerAndConsents(t *testing.T) {
	now := receivedAt.Add(time.Hour)
	in := validNew()
	in.Handler = "officer.h"
	in.ConsentTo = []string{"housing_association", "councillor"}
	c, e, err := domain.Log("c-1", "CMP-1", in, actor(t, officerA, now))
	if err != nil {
		t.Fatalf("Log: %v", err)
	}
	if c.Stage1Handler != "officer.h" {
		t.Errorf("Stage1Handler = %q, want %q", c.Stage1Handler, "officer.h")
	}
	want := map[string]domain.Consent{
		"housing_association": {Recipient: "housing_association", GivenAt: now, RecordedBy: officerA},
		"councillor":          {Recipient: "councillor", GivenAt: now, RecordedBy: officerA},
	}
	if !reflect.DeepEqual(c.Consents, want) {
		t.Errorf("Consents = %+v, want %+v", c.Consents, want)
	}
	if !c.HasConsent("councillor") || c.HasConsent("police") {
		t.Errorf("HasConsent(councillor, police) = %v, %v; want true, false", c.HasConsent("councillor"), c.HasConsent("police"))
	}
	assertEvent(t, e, domain.Event{Type: "stage1.received", Stage: 1, Deadline: "stage1.acknowledge", DueAt: ptr(utc(2026, 4, 10, 23, 0)),
		Detail: map[string]any{"channel": "email", "service": "Waste collection", "handler": "officer.h",
			"acknowledge_due_date": "2026-04-10", "consents": 2}})
}
