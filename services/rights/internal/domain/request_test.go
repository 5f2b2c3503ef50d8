package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
)

func testCalendar(t *testing.T) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(calendar.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func london(t *testing.T, s string) time.Time {
	t.Helper()
	ts, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.London())
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func actorAt(t *testing.T, cal *calendar.Calendar, s string) Actor {
	return Actor{Officer: "dora", Now: london(t, s), Cal: cal}
}

func aRequest(kind Kind, received time.Time) NewRequest {
	in := NewRequest{Kind: kind, ReceivedAt: received,
		Requester:      Person{Name: "Ann Applicant", Email: "ann@example.org"},
		Subject:        rights.Identifiers{Name: "Ann Applicant", Email: "ann@example.org", Postcode: "ME15 6JQ"},
		IdentityMethod: "passport and council tax bill seen"}
	if kind == KindRectification {
		in.Rectification = &Rectification{Field: "address", Value: "1 New Road, Maidstone ME14 1AA"}
	}
	return in
}

// One calendar month from the day of receipt, the month-end rule, moved off weekends and
// bank holidays (ICO right of access guidance).
func TestReceivedDeadline(t *testing.T) {
	cal := testCalendar(t)
	cases := []struct {
		name, received, want string
	}{
		{"31 January gives the last day of February, a Saturday here, so Monday", "2026-01-31 11:00", "2026-03-02"},
		{"31 January in a leap year gives 29 February", "2024-01-31 11:00", "2024-02-29"},
		{"31 January in a leap year, 29 February a Saturday", "2020-01-31 11:00", "2020-03-02"},
		{"31 January in 2027: 28 February is a Sunday", "2027-01-31 11:00", "2027-03-01"},
		{"30 January in a leap year", "2024-01-30 11:00", "2024-02-29"},
		{"the day of receipt is day one: 3 September gives 3 October", "2026-09-03 16:00", "2026-10-05"},
		{"Good Friday and Easter Monday are passed over", "2026-03-03 09:00", "2026-04-07"},
		{"received on a Sunday", "2026-03-08 20:00", "2026-04-08"},
	}
	for _, tc := range cases {
		r, e, err := Received(aRequest(KindAccess, london(t, tc.received)), actorAt(t, cal, tc.received))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if r.Deadline.DueDate.String() != tc.want || r.Status != StatusOpen || r.Phase != PhaseNew {
			t.Errorf("%s: due %s (%s), want %s", tc.name, r.Deadline.DueDate, r.Status, tc.want)
		}
		if e.Type != "request.received" || e.Detail["due_date"] != tc.want {
			t.Errorf("%s: event %+v", tc.name, e)
		}
		if r.Deadline.Rule != calendar.RuleCalendarMonths || r.Deadline.Amount != 1 || !strings.HasPrefix(r.Deadline.Description, "1 calendar month from") {
			t.Errorf("%s: the deadline does not explain itself: %+v", tc.name, r.Deadline)
		}
	}
}

// The month runs from the day proof of identity arrives (UK GDPR Art 12A).
func TestAwaitingIdentityStopsTheClockUntilItArrives(t *testing.T) {
	cal := testCalendar(t)
	in := aRequest(KindAccess, london(t, "2026-01-31 10:00"))
	in.IdentityMethod = ""
	r, _, err := Received(in, actorAt(t, cal, "2026-01-31 10:05"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusClockStopped || r.Awaiting != AwaitingIdentity || !r.Deadline.Stopped() {
		t.Fatalf("status %s awaiting %s stopped %v", r.Status, r.Awaiting, r.Deadline.Stopped())
	}
	if _, ok := r.MarkOverdue(london(t, "2026-04-01 00:00")); ok {
		t.Error("a request whose clock is stopped went overdue")
	}
	if _, err := r.StartSearch([]string{"complaints"}, actorAt(t, cal, "2026-02-02 09:00")); err == nil {
		t.Error("searched before the identity was verified")
	}
	a := actorAt(t, cal, "2026-02-12 09:00")
	_, err = r.RestartClock(Restart{ReceivedAt: london(t, "2026-02-10 14:00")}, a)
	var invalid *ValidationError
	if !errors.As(err, &invalid) || invalid.Field != "identity_method" {
		t.Errorf("restart without saying how identity was checked: %v", err)
	}
	e, err := r.RestartClock(Restart{ReceivedAt: london(t, "2026-02-10 14:00"), IdentityMethod: "driving licence and bank statement"}, a)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != StatusOpen || r.Deadline.DueDate.String() != "2026-03-10" || !r.Identity.Verified || r.Identity.Method != "driving licence and bank statement" {
		t.Errorf("after ID: %s due %s identity %+v", r.Status, r.Deadline.DueDate, r.Identity)
	}
	if e.Detail["awaited"] != "identity" || e.Detail["due_date"] != "2026-03-10" {
		t.Errorf("event %+v", e)
	}
	if !strings.Contains(r.Deadline.Description, "awaiting proof of identity, which arrived on 2026-02-10: the period runs from then (it ran from 2026-01-31)") {
		t.Errorf("description %q", r.Deadline.Description)
	}
}

// Clarification stops the clock; the days from asking to the answer do not count.
func TestClarificationStopsTheClock(t *testing.T) {
	cal := testCalendar(t)
	r, _, err := Received(aRequest(KindAccess, london(t, "2026-02-02 10:00")), actorAt(t, cal, "2026-02-02 10:00"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.StopClock(AwaitingClarification, actorAt(t, cal, "2026-02-04 11:00")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.StopClock(AwaitingClarification, actorAt(t, cal, "2026-02-05 11:00")); err == nil {
		t.Error("stopped a stopped clock")
	}
	if _, err := r.RestartClock(Restart{ReceivedAt: london(t, "2026-02-09 16:00")}, actorAt(t, cal, "2026-02-09 16:30")); err != nil {
		t.Fatal(err)
	}
	// 4 to 9 February (6 days) do not count: 2 March + 6 = Sunday 8 March, so Monday 9 March.
	if r.Deadline.DueDate.String() != "2026-03-09" || r.Deadline.Stops[0].NotCounted != 6 || r.Status != StatusOpen {
		t.Errorf("due %s, stops %+v", r.Deadline.DueDate, r.Deadline.Stops)
	}
}

// Up to two further months, counted from the start; the person told within the first month.
func TestExtension(t *testing.T) {
	cal := testCalendar(t)
	newReq := func() *Request {
		r, _, err := Received(aRequest(KindErasure, london(t, "2026-01-31 10:00")), actorAt(t, cal, "2026-01-31 10:00"))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := newReq()
	a := actorAt(t, cal, "2026-02-20 09:00")
	for _, tc := range []struct {
		in   ExtendRequest
		rule string
	}{
		{ExtendRequest{Months: 3, Reason: "r", ToldOn: calendar.NewDate(2026, 2, 20)}, "months"},
		{ExtendRequest{Months: 2, Reason: " ", ToldOn: calendar.NewDate(2026, 2, 20)}, "reason"},
		{ExtendRequest{Months: 2, Reason: "r", ToldOn: calendar.NewDate(2026, 2, 21)}, "told_on"},
	} {
		var invalid *ValidationError
		if _, err := r.Extend(tc.in, a); !errors.As(err, &invalid) || invalid.Field != tc.rule {
			t.Errorf("%+v: %v, want a refusal of %s", tc.in, err, tc.rule)
		}
	}
	e, err := r.Extend(ExtendRequest{Months: 2, Reason: "records in four services, some archived", ToldOn: calendar.NewDate(2026, 2, 20), ToldHow: "email"}, a)
	if err != nil {
		t.Fatal(err)
	}
	// Three months from 31 January: 30 April 2026, a Thursday.
	if r.Deadline.DueDate.String() != "2026-04-30" || r.Deadline.ExtendedBy() != 2 || e.Detail["due_date"] != "2026-04-30" {
		t.Errorf("extended due %s", r.Deadline.DueDate)
	}
	if strings.Contains(r.Deadline.Description, "archived") || r.Extension.Reason != "records in four services, some archived" {
		t.Error("the reason must be kept with the personal data, not in the deadline's description")
	}
	var rule *RuleError
	if _, err := r.Extend(ExtendRequest{Months: 1, Reason: "more", ToldOn: calendar.NewDate(2026, 2, 20)}, a); !errors.As(err, &rule) || rule.Rule != "already_extended" {
		t.Errorf("second extension: %v", err)
	}
	// After the first month ended (2 March) it is too late to tell the person.
	late := newReq()
	if _, err := late.Extend(ExtendRequest{Months: 2, Reason: "r", ToldOn: calendar.NewDate(2026, 3, 2)}, actorAt(t, cal, "2026-03-03 09:00")); !errors.As(err, &rule) || rule.Rule != "deadline_passed" {
		t.Errorf("extension after the month: %v", err)
	}
}

func TestOverdueOnce(t *testing.T) {
	cal := testCalendar(t)
	r, _, err := Received(aRequest(KindAccess, london(t, "2026-01-31 10:00")), actorAt(t, cal, "2026-01-31 10:00"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := r.MarkOverdue(london(t, "2026-03-02 23:59")); ok {
		t.Error("overdue on its due date")
	}
	e, ok := r.MarkOverdue(london(t, "2026-03-03 00:00"))
	if !ok || e.Type != "request.deadline.overdue" || e.Detail["due_date"] != "2026-03-02" {
		t.Fatalf("not overdue after the due date: %v %+v", ok, e)
	}
	if _, ok := r.MarkOverdue(london(t, "2026-03-04 00:00")); ok {
		t.Error("overdue raised twice")
	}
}

func TestNewRequestValidation(t *testing.T) {
	cal := testCalendar(t)
	a := actorAt(t, cal, "2026-03-02 10:00")
	for field, mutate := range map[string]func(*NewRequest){
		"kind":                  func(in *NewRequest) { in.Kind = "complaint" },
		"received_at":           func(in *NewRequest) { in.ReceivedAt = a.Now.Add(time.Hour) },
		"requester/name":        func(in *NewRequest) { in.Requester.Name = "" },
		"requester":             func(in *NewRequest) { in.Requester.Email = "" },
		"subject":               func(in *NewRequest) { in.Subject = rights.Identifiers{Name: "Ann"} },
		"subject/date_of_birth": func(in *NewRequest) { in.Subject.DateOfBirth = "1990-02-30" },
		"rectification":         func(in *NewRequest) { in.Rectification = &Rectification{Field: "email", Value: "x"} },
	} {
		in := aRequest(KindAccess, london(t, "2026-03-02 09:00"))
		mutate(&in)
		var invalid *ValidationError
		if _, _, err := Received(in, a); !errors.As(err, &invalid) || invalid.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
	in := aRequest(KindRectification, london(t, "2026-03-02 09:00"))
	in.Rectification.Field = "date_of_birth"
	var invalid *ValidationError
	if _, _, err := Received(in, a); !errors.As(err, &invalid) || invalid.Field != "rectification/field" {
		t.Errorf("rectification field: %v", err)
	}
}
