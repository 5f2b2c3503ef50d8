package domain_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

func TestExtendRefusesInvalidInput(t *testing.T) {
	tests := []struct {
		name   string
		build  func(*testing.T) *domain.Complaint
		now    time.Time
		days   int
		reason string
		field  string
		detail string
	}{
		{"stage 1 zero days", acknowledged1, ack1At, 0, "waiting", "working_days", "a stage 1 extension is 1 to 10 working days"},
		{"stage 1 negative days", acknowledged1, ack1At, -1, "waiting", "working_days", "a stage 1 extension is 1 to 10 working days"},
		{"stage 1 eleven days", acknowledged1, ack1At, 11, "waiting", "working_days", "a stage 1 extension is 1 to 10 working days"},
		{"stage 2 zero days", acknowledged2, ack2At, 0, "waiting", "working_days", "a stage 2 extension is 1 to 20 working days"},
		{"stage 2 twenty-one days", acknowledged2, ack2At, 21, "waiting", "working_days", "a stage 2 extension is 1 to 20 working days"},
		{"no reason", acknowledged1, ack1At, 5, "", "reason", "an extension needs a reason (at most 2000 characters)"},
		{"blank reason", acknowledged1, ack1At, 5, " \t ", "reason", "an extension needs a reason (at most 2000 characters)"},
		{"reason too long", acknowledged1, ack1At, 5, strings.Repeat("r", 2001), "reason", "an extension needs a reason (at most 2000 characters)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build(t)
			stage := c.Stage
			before := c.Deadline(stage, domain.DeadlineRespond).Computed.DueDate
			e, err := c.Extend(actor(t, officerB, tt.now.Add(time.Hour)), tt.days, tt.reason)
			assertValidation(t, err, tt.field)
			if err.Error() != tt.field+": "+tt.detail {
				t.Errorf("err = %q, want %q", err, tt.field+": "+tt.detail)
			}
			assertNoEvent(t, e)
			d := c.Deadline(stage, domain.DeadlineRespond)
			if d.Computed.DueDate != before || len(d.Computed.Extensions) != 0 {
				t.Errorf("refused extension changed the deadline: %s, %d extensions", d.Computed.DueDate, len(d.Computed.Extensions))
			}
		})
	}
}

// The extension counts n more working days after the current due date.
func TestExtendMovesDueDate(t *testing.T) {
	tests := []struct {
		name    string
		build   func(*testing.T) *domain.Complaint
		officer string
		now     time.Time
		days    int
		from    calendar.Date
		want    calendar.Date
	}{
		// From Tue 21 Apr 2026: 22.
		{"stage 1 by one day", acknowledged1, officerA, ack1At, 1, calendar.NewDate(2026, 4, 21), calendar.NewDate(2026, 4, 22)},
		// 22, 23, 24, 27, 28, 29, 30, 1 May, [Mon 4 May bank holiday], 5, 6.
		{"stage 1 by the maximum ten", acknowledged1, officerA, ack1At, 10, calendar.NewDate(2026, 4, 21), calendar.NewDate(2026, 5, 6)},
		// From Wed 3 Jun 2026: 4, 5, 8-12, 15-19, 22-26, 29, 30, 1 Jul.
		{"stage 2 by the maximum twenty", acknowledged2, officerB, ack2At, 20, calendar.NewDate(2026, 6, 3), calendar.NewDate(2026, 7, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build(t)
			stage := c.Stage
			e, err := c.Extend(actor(t, tt.officer, tt.now.Add(time.Hour)), tt.days, "  awaiting the contractor's report ")
			if err != nil {
				t.Fatalf("Extend: %v", err)
			}
			due := tt.want.EndOfDay()
			key := map[int]string{1: "stage1.respond", 2: "stage2.respond"}[stage]
			wantType := map[int]string{1: "stage1.extended", 2: "stage2.extended"}[stage]
			assertEvent(t, e, domain.Event{Type: wantType, Stage: stage, Deadline: key, DueAt: &due,
				Detail: map[string]any{"working_days": tt.days, "respond_due_date": tt.want.String()}})
			assertDeadline(t, c, stage, domain.DeadlineRespond, tt.want, due, nil)
			wantExt := []calendar.Extension{{Amount: tt.days, Reason: "  awaiting the contractor's report ", FromDueDate: tt.from}} // kept as sent
			if got := c.Deadline(stage, domain.DeadlineRespond).Computed.Extensions; !reflect.DeepEqual(got, wantExt) {
				t.Errorf("Extensions = %+v, want %+v", got, wantExt)
			}
			if c.Status != map[int]domain.Status{1: domain.StatusStage1Acknowledged, 2: domain.StatusStage2Acknowledged}[stage] {
				t.Errorf("Status = %s after an extension", c.Status)
			}
		})
	}
}

func TestExtendOncePerStage(t *testing.T) {
	c := acknowledged1(t)
	if _, err := c.Extend(actor(t, officerA, ack1At), 2, "awaiting report"); err != nil {
		t.Fatalf("first Extend: %v", err)
	}
	e, err := c.Extend(actor(t, officerA, ack1At.Add(time.Hour)), 1, "still waiting")
	assertRule(t, err, "one_extension_per_stage")
	assertNoEvent(t, e)
	// 22, 23 Apr: unchanged by the refused second extension.
	assertDeadline(t, c, 1, domain.DeadlineRespond, calendar.NewDate(2026, 4, 23), utc(2026, 4, 23, 23, 0), nil)
	if n := len(c.Deadline(1, domain.DeadlineRespond).Computed.Extensions); n != 1 {
		t.Errorf("Extensions = %d, want 1", n)
	}
}

// A stage 1 extension does not use up stage 2's.
func TestExtendOncePerStageNotPerComplaint(t *testing.T) {
	c := acknowledged1(t)
	mustOK(t, "extend stage 1", func() (domain.Event, error) { return c.Extend(actor(t, officerA, ack1At), 1, "waiting") })
	mustOK(t, "respond stage 1", func() (domain.Event, error) {
		return c.Respond(actor(t, officerA, respond1At), domain.OutcomeNotUpheld, "No fault.", nil)
	})
	mustOK(t, "escalate", func() (domain.Event, error) { return c.Escalate(actor(t, officerA, escalateAt), "Unhappy.", officerB) })
	mustOK(t, "acknowledge stage 2", func() (domain.Event, error) { return c.Acknowledge(actor(t, officerB, ack2At)) })
	if _, err := c.Extend(actor(t, officerB, ack2At), 20, "complex case"); err != nil {
		t.Fatalf("stage 2 Extend after a stage 1 extension: %v", err)
	}
	assertDeadline(t, c, 2, domain.DeadlineRespond, calendar.NewDate(2026, 7, 1), utc(2026, 7, 1, 23, 0), nil)
}

// An extension must be agreed before the deadline passes: at Due it is too late.
func TestExtendBeforeDeadline(t *testing.T) {
	due := utc(2026, 4, 21, 23, 0) // end of Tue 21 Apr 2026, London
	c := acknowledged1(t)
	e, err := c.Extend(actor(t, officerA, due), 1, "waiting")
	assertRule(t, err, "extension_before_deadline")
	assertNoEvent(t, e)
	assertDeadline(t, c, 1, domain.DeadlineRespond, calendar.NewDate(2026, 4, 21), due, nil)

	c = acknowledged1(t)
	if _, err := c.Extend(actor(t, officerA, due.Add(-time.Nanosecond)), 1, "waiting"); err != nil {
		t.Fatalf("Extend in the deadline's last nanosecond: %v", err)
	}
	assertDeadline(t, c, 1, domain.DeadlineRespond, calendar.NewDate(2026, 4, 22), utc(2026, 4, 22, 23, 0), nil)
}

// A response after the original due date but within the extension is on time.
func TestRespondOnTimeWithinExtension(t *testing.T) {
	c := acknowledged1(t)
	mustOK(t, "extend", func() (domain.Event, error) { return c.Extend(actor(t, officerA, ack1At), 5, "waiting") })
	// 22, 23, 24, 27, 28 Apr.
	assertDeadline(t, c, 1, domain.DeadlineRespond, calendar.NewDate(2026, 4, 28), utc(2026, 4, 28, 23, 0), nil)
	at := london(2026, 4, 27, 12, 0)
	e, err := c.Respond(actor(t, officerA, at), domain.OutcomeUpheld, "Sorry.", []string{"apology"})
	if err != nil {
		t.Fatalf("Respond: %v", err)
	}
	if e.Detail["on_time"] != true || !c.Responses[1].OnTime {
		t.Errorf("on_time = %v / %v, want true within the extension", e.Detail["on_time"], c.Responses[1].OnTime)
	}
}
