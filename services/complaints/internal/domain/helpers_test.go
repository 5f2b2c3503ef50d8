package domain_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/services/complaints/internal/domain"
)

// Officers: A logs and handles stage 1, B handles stage 2, C is anyone else.
const (
	officerA = "officer.a"
	officerB = "officer.b"
	officerC = "officer.c"
)

// The happy path's instants, all London wall-clock times in spring 2026 (BST, UTC+1).
// Good Friday is 3 April, Easter Monday 6 April, early May bank holiday 4 May and the
// spring bank holiday 25 May.
var (
	receivedAt  = london(2026, time.April, 1, 9, 0)  // Wed
	ack1At      = london(2026, time.April, 7, 10, 0) // Tue
	respond1At  = london(2026, time.April, 20, 14, 0)
	escalateAt  = london(2026, time.April, 27, 10, 0)  // Mon
	ack2At      = london(2026, time.May, 5, 23, 30)    // Tue, 30 minutes before its deadline ends
	respond2At  = london(2026, time.June, 3, 18, 0)    // Wed
	closeAt     = london(2026, time.June, 5, 11, 0)    // Fri
	retentionTo = calendar.NewDate(2032, time.June, 5) // six years after closure
)

// london is the UTC instant of a London wall-clock time.
func london(y int, m time.Month, d, hour, minute int) time.Time {
	return time.Date(y, m, d, hour, minute, 0, 0, calendar.London()).UTC()
}

func utc(y int, m time.Month, d, hour, minute int) time.Time {
	return time.Date(y, m, d, hour, minute, 0, 0, time.UTC)
}

// sharedCalendar is built once: a Calendar is safe for concurrent use and parsing the
// holiday table for every action would only slow the tests.
var sharedCalendar = sync.OnceValues(func() (*calendar.Calendar, error) { return calendar.New(calendar.Config{}) })

func newCalendar(t *testing.T) *calendar.Calendar {
	t.Helper()
	cal, err := sharedCalendar()
	if err != nil {
		t.Fatalf("calendar.New: %v", err)
	}
	return cal
}

func actor(t *testing.T, officer string, now time.Time) domain.Actor {
	t.Helper()
	return domain.Actor{Officer: officer, Now: now, Cal: newCalendar(t)}
}

func validNew() domain.NewComplaint {
	return domain.NewComplaint{
		Complainant: domain.Complainant{Name: "Jo Bloggs", Address: "1 High Street, Maidstone", Phone: "01622 000000", Email: "jo@example.com"},
		Details:     "My bin was not collected for three weeks.",
		Service:     "Waste collection",
		Channel:     "email",
		ReceivedAt:  receivedAt,
	}
}

// logged is a stage 1 complaint received at receivedAt and logged an hour later by officer A.
func logged(t *testing.T) *domain.Complaint {
	t.Helper()
	c, _, err := domain.Log("c-1", "CMP-2026-0001", validNew(), actor(t, officerA, receivedAt.Add(time.Hour)))
	if err != nil {
		t.Fatalf("Log: %v", err)
	}
	return c
}

func acknowledged1(t *testing.T) *domain.Complaint {
	t.Helper()
	c := logged(t)
	mustOK(t, "acknowledge stage 1", func() (domain.Event, error) { return c.Acknowledge(actor(t, officerA, ack1At)) })
	return c
}

func responded1(t *testing.T) *domain.Complaint {
	t.Helper()
	c := acknowledged1(t)
	mustOK(t, "respond stage 1", func() (domain.Event, error) {
		return c.Respond(actor(t, officerA, respond1At), domain.OutcomePartlyUpheld, "We missed your bin.", []string{"apology"})
	})
	return c
}

func received2(t *testing.T) *domain.Complaint {
	t.Helper()
	c := responded1(t)
	mustOK(t, "escalate", func() (domain.Event, error) {
		return c.Escalate(actor(t, officerA, escalateAt), "The apology is not enough.", officerB)
	})
	return c
}

func acknowledged2(t *testing.T) *domain.Complaint {
	t.Helper()
	c := received2(t)
	mustOK(t, "acknowledge stage 2", func() (domain.Event, error) { return c.Acknowledge(actor(t, officerB, ack2At)) })
	return c
}

func responded2(t *testing.T) *domain.Complaint {
	t.Helper()
	c := acknowledged2(t)
	mustOK(t, "respond stage 2", func() (domain.Event, error) {
		return c.Respond(actor(t, officerB, respond2At), domain.OutcomeUpheld, "Collections are now weekly.", []string{"refund", "apology"})
	})
	return c
}

func closedAfterStage2(t *testing.T) *domain.Complaint {
	t.Helper()
	c := responded2(t)
	mustOK(t, "close", func() (domain.Event, error) { return c.Close(actor(t, officerB, closeAt), "", retentionTo) })
	return c
}

func mustOK(t *testing.T, what string, f func() (domain.Event, error)) domain.Event {
	t.Helper()
	e, err := f()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return e
}

func ptr(t time.Time) *time.Time { return &t }

// assertEvent compares every field; instants with time.Equal.
func assertEvent(t *testing.T, got, want domain.Event) {
	t.Helper()
	if got.Type != want.Type || got.Stage != want.Stage || got.Outcome != want.Outcome || got.Deadline != want.Deadline {
		t.Errorf("event = {Type:%q Stage:%d Outcome:%q Deadline:%q}, want {Type:%q Stage:%d Outcome:%q Deadline:%q}",
			got.Type, got.Stage, got.Outcome, got.Deadline, want.Type, want.Stage, want.Outcome, want.Deadline)
	}
	assertInstant(t, "event DueAt", got.DueAt, want.DueAt)
	if !reflect.DeepEqual(got.Detail, want.Detail) {
		t.Errorf("event %s Detail = %#v, want %#v", got.Type, got.Detail, want.Detail)
	}
}

func assertInstant(t *testing.T, what string, got, want *time.Time) {
	t.Helper()
	switch {
	case got == nil && want == nil:
	case got == nil || want == nil:
		t.Errorf("%s = %v, want %v", what, got, want)
	case !got.Equal(*want):
		t.Errorf("%s = %s, want %s", what, got.UTC().Format(time.RFC3339Nano), want.UTC().Format(time.RFC3339Nano))
	}
}

// assertDeadline checks a deadline's due date and the instant it becomes overdue.
func assertDeadline(t *testing.T, c *domain.Complaint, stage int, kind domain.DeadlineKind, dueDate calendar.Date, due time.Time, metAt *time.Time) {
	t.Helper()
	d := c.Deadline(stage, kind)
	if d == nil {
		t.Fatalf("no stage %d %s deadline", stage, kind)
	}
	if d.Stage != stage || d.Kind != kind {
		t.Errorf("deadline = stage %d %s, want stage %d %s", d.Stage, d.Kind, stage, kind)
	}
	if d.Computed.DueDate != dueDate {
		t.Errorf("stage %d %s DueDate = %s, want %s", stage, kind, d.Computed.DueDate, dueDate)
	}
	if !d.Computed.Due.Equal(due) {
		t.Errorf("stage %d %s Due = %s, want %s", stage, kind, d.Computed.Due, due)
	}
	assertInstant(t, fmt.Sprintf("stage %d %s MetAt", stage, kind), d.MetAt, metAt)
}

func assertAllowed(t *testing.T, c *domain.Complaint, want ...domain.Action) {
	t.Helper()
	if got := c.AllowedActions(); !slices.Equal(got, want) {
		t.Errorf("AllowedActions() at %s = %v, want %v", c.Status, got, want)
	}
}

func assertValidation(t *testing.T, err error, field string) {
	t.Helper()
	var ve *casework.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v (%T), want *casework.ValidationError on %q", err, err, field)
	}
	if ve.Field != field {
		t.Errorf("ValidationError.Field = %q, want %q (%v)", ve.Field, field, err)
	}
}

func assertRule(t *testing.T, err error, rule string) {
	t.Helper()
	var re *casework.RuleError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v (%T), want *casework.RuleError %q", err, err, rule)
	}
	if re.Rule != rule {
		t.Errorf("RuleError.Rule = %q, want %q (%v)", re.Rule, rule, err)
	}
}

func assertNoEvent(t *testing.T, e domain.Event) {
	t.Helper()
	if !reflect.DeepEqual(e, domain.Event{}) {
		t.Errorf("refusal returned event %+v, want the zero Event", e)
	}
}
