package domain_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

// The whole journey: stage 1 -> respond -> escalate -> stage 2 -> respond -> close.
func TestHappyPath(t *testing.T) {
	c := logged(t)
	if c.Status != domain.StatusStage1Received {
		t.Fatalf("Status = %s, want stage1_received", c.Status)
	}
	assertAllowed(t, c, domain.ActionAcknowledge, domain.ActionReferLGO, domain.ActionClose)

	// Acknowledged Tue 7 Apr: respond by the 10th working day after, Tue 21 Apr
	// (8, 9, 10, 13, 14, 15, 16, 17, 20, 21).
	e, err := c.Acknowledge(actor(t, officerA, ack1At))
	if err != nil {
		t.Fatalf("Acknowledge stage 1: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage1.acknowledged", Stage: 1, Deadline: "stage1.respond", DueAt: ptr(utc(2026, 4, 21, 23, 0)),
		Detail: map[string]any{"on_time": true, "respond_due_date": "2026-04-21"}})
	assertStatus(t, c, 1, domain.StatusStage1Acknowledged)
	assertAllowed(t, c, domain.ActionExtend, domain.ActionRespond, domain.ActionReferLGO, domain.ActionClose)
	assertDeadline(t, c, 1, domain.DeadlineAcknowledge, calendar.NewDate(2026, 4, 10), utc(2026, 4, 10, 23, 0), &ack1At)
	assertDeadline(t, c, 1, domain.DeadlineRespond, calendar.NewDate(2026, 4, 21), utc(2026, 4, 21, 23, 0), nil)
	respond1 := c.Deadline(1, domain.DeadlineRespond).Computed
	if respond1.Amount != 10 || !respond1.Start.Equal(ack1At) {
		t.Errorf("stage 1 respond computed from %s + %d, want %s + 10", respond1.Start, respond1.Amount, ack1At)
	}
	assertOpenKeys(t, c, "stage1.respond")

	e, err = c.Respond(actor(t, officerA, respond1At), domain.OutcomePartlyUpheld, "We missed your bin.", []string{"apology"})
	if err != nil {
		t.Fatalf("Respond stage 1: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage1.responded", Stage: 1, Outcome: domain.OutcomePartlyUpheld,
		Detail: map[string]any{"outcome": "partly_upheld", "on_time": true, "remedies": 1}})
	assertStatus(t, c, 1, domain.StatusStage1Responded)
	assertAllowed(t, c, domain.ActionEscalate, domain.ActionReferLGO, domain.ActionClose)
	assertDeadline(t, c, 1, domain.DeadlineRespond, calendar.NewDate(2026, 4, 21), utc(2026, 4, 21, 23, 0), &respond1At)
	assertResponse(t, c, 1, domain.Response{Outcome: domain.OutcomePartlyUpheld, Summary: "We missed your bin.",
		Remedies: []string{"apology"}, RespondedAt: respond1At, RespondedBy: officerA, OnTime: true})
	assertOpenKeys(t, c)

	// Escalated Mon 27 Apr: acknowledge by Tue 5 May (28, 29, 30, 1 May, [4 May bank holiday], 5).
	e, err = c.Escalate(actor(t, officerA, escalateAt), "The apology is not enough.", officerB)
	if err != nil {
		t.Fatalf("Escalate: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage2.received", Stage: 2, Deadline: "stage2.acknowledge", DueAt: ptr(utc(2026, 5, 5, 23, 0)),
		Detail: map[string]any{"handler": officerB, "acknowledge_due_date": "2026-05-05"}})
	assertStatus(t, c, 2, domain.StatusStage2Received)
	assertAllowed(t, c, domain.ActionAcknowledge, domain.ActionReferLGO, domain.ActionClose)
	assertDeadline(t, c, 2, domain.DeadlineAcknowledge, calendar.NewDate(2026, 5, 5), utc(2026, 5, 5, 23, 0), nil)
	if c.Stage2Details != "The apology is not enough." || c.Stage2Handler != officerB || c.Handler() != officerB || c.Stage1Handler != officerA {
		t.Errorf("after escalation: Stage2Details %q, Stage2Handler %q, Handler() %q, Stage1Handler %q",
			c.Stage2Details, c.Stage2Handler, c.Handler(), c.Stage1Handler)
	}
	assertOpenKeys(t, c, "stage2.acknowledge")

	// Acknowledged 23:30 BST Tue 5 May, half an hour inside the deadline: respond by the
	// 20th working day after, Wed 3 Jun (25 May, spring bank holiday, skipped).
	e, err = c.Acknowledge(actor(t, officerB, ack2At))
	if err != nil {
		t.Fatalf("Acknowledge stage 2: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage2.acknowledged", Stage: 2, Deadline: "stage2.respond", DueAt: ptr(utc(2026, 6, 3, 23, 0)),
		Detail: map[string]any{"on_time": true, "respond_due_date": "2026-06-03"}})
	assertStatus(t, c, 2, domain.StatusStage2Acknowledged)
	assertAllowed(t, c, domain.ActionExtend, domain.ActionRespond, domain.ActionReferLGO, domain.ActionClose)
	assertDeadline(t, c, 2, domain.DeadlineAcknowledge, calendar.NewDate(2026, 5, 5), utc(2026, 5, 5, 23, 0), &ack2At)
	assertDeadline(t, c, 2, domain.DeadlineRespond, calendar.NewDate(2026, 6, 3), utc(2026, 6, 3, 23, 0), nil)
	if got := c.Deadline(2, domain.DeadlineRespond).Computed.Amount; got != 20 {
		t.Errorf("stage 2 respond Amount = %d, want 20", got)
	}

	e, err = c.Respond(actor(t, officerB, respond2At), domain.OutcomeUpheld, "Collections are now weekly.", []string{"refund", "apology"})
	if err != nil {
		t.Fatalf("Respond stage 2: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage2.responded", Stage: 2, Outcome: domain.OutcomeUpheld,
		Detail: map[string]any{"outcome": "upheld", "on_time": true, "remedies": 2}})
	assertStatus(t, c, 2, domain.StatusStage2Responded)
	assertAllowed(t, c, domain.ActionReferLGO, domain.ActionClose)
	assertDeadline(t, c, 2, domain.DeadlineRespond, calendar.NewDate(2026, 6, 3), utc(2026, 6, 3, 23, 0), &respond2At)
	assertResponse(t, c, 2, domain.Response{Outcome: domain.OutcomeUpheld, Summary: "Collections are now weekly.",
		Remedies: []string{"refund", "apology"}, RespondedAt: respond2At, RespondedBy: officerB, OnTime: true})
	assertResponse(t, c, 1, domain.Response{Outcome: domain.OutcomePartlyUpheld, Summary: "We missed your bin.",
		Remedies: []string{"apology"}, RespondedAt: respond1At, RespondedBy: officerA, OnTime: true})

	e, err = c.Close(actor(t, officerB, closeAt), "", retentionTo)
	if err != nil {
		t.Fatalf("Close: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "closed", Stage: 2, Detail: map[string]any{"after_response": true, "retention_due": "2032-06-05"}})
	assertStatus(t, c, 2, domain.StatusClosed)
	assertAllowed(t, c, domain.ActionReferLGO)
	assertInstant(t, "ClosedAt", c.ClosedAt, &closeAt)
	if c.ClosureReason != "" || c.RetentionDue != retentionTo {
		t.Errorf("ClosureReason %q RetentionDue %s, want empty and %s", c.ClosureReason, c.RetentionDue, retentionTo)
	}
	if len(c.Deadlines) != 4 {
		t.Errorf("Deadlines = %d, want 4", len(c.Deadlines))
	}
	assertOpenKeys(t, c)
}

// Acknowledging at the instant the deadline ends is late; a nanosecond before is on time.
// The response clock runs from the London date of acknowledgement.
func TestAcknowledgeOnTimeBoundary(t *testing.T) {
	due := utc(2026, 4, 10, 23, 0) // end of Fri 10 Apr 2026, London
	tests := []struct {
		name        string
		at          time.Time
		onTime      bool
		respondDate calendar.Date
	}{
		// From Fri 10 Apr: 13-17, 20-24 Apr.
		{"last nanosecond", due.Add(-time.Nanosecond), true, calendar.NewDate(2026, 4, 24)},
		// From Sat 11 Apr: the same ten working days.
		{"at the deadline", due, false, calendar.NewDate(2026, 4, 24)},
		// From Mon 13 Apr: 14-17, 20-24, 27 Apr.
		{"next Monday", london(2026, 4, 13, 9, 0), false, calendar.NewDate(2026, 4, 27)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := logged(t)
			e, err := c.Acknowledge(actor(t, officerA, tt.at))
			if err != nil {
				t.Fatalf("Acknowledge: %v", err)
			}
			respondDue := tt.respondDate.EndOfDay()
			assertEvent(t, e, domain.Event{Type: "stage1.acknowledged", Stage: 1, Deadline: "stage1.respond", DueAt: &respondDue,
				Detail: map[string]any{"on_time": tt.onTime, "respond_due_date": tt.respondDate.String()}})
			assertDeadline(t, c, 1, domain.DeadlineRespond, tt.respondDate, respondDue, nil)
		})
	}
}

// statusFixture builds a complaint in a status, with an instant at which every action that
// status allows is still in time.
type statusFixture struct {
	status domain.Status
	build  func(*testing.T) *domain.Complaint
	now    time.Time
}

var statusFixtures = []statusFixture{
	{domain.StatusStage1Received, logged, receivedAt.Add(2 * time.Hour)},
	{domain.StatusStage1Acknowledged, acknowledged1, ack1At.Add(time.Hour)},
	{domain.StatusStage1Responded, responded1, respond1At.Add(time.Hour)},
	{domain.StatusStage2Received, received2, escalateAt.Add(time.Hour)},
	{domain.StatusStage2Acknowledged, acknowledged2, ack2At.Add(time.Hour)},
	{domain.StatusStage2Responded, responded2, respond2At.Add(time.Hour)},
	{domain.StatusClosed, closedAfterStage2, closeAt.Add(time.Hour)},
}

var allActions = []domain.Action{domain.ActionAcknowledge, domain.ActionExtend, domain.ActionRespond, domain.ActionEscalate, domain.ActionClose}

// wantAllowed is the state machine, written out independently of the code.
var wantAllowed = map[domain.Status][]domain.Action{
	domain.StatusStage1Received:     {domain.ActionAcknowledge, domain.ActionReferLGO, domain.ActionClose},
	domain.StatusStage1Acknowledged: {domain.ActionExtend, domain.ActionRespond, domain.ActionReferLGO, domain.ActionClose},
	domain.StatusStage1Responded:    {domain.ActionEscalate, domain.ActionReferLGO, domain.ActionClose},
	domain.StatusStage2Received:     {domain.ActionAcknowledge, domain.ActionReferLGO, domain.ActionClose},
	domain.StatusStage2Acknowledged: {domain.ActionExtend, domain.ActionRespond, domain.ActionReferLGO, domain.ActionClose},
	domain.StatusStage2Responded:    {domain.ActionReferLGO, domain.ActionClose},
	domain.StatusClosed:             {domain.ActionReferLGO}, // the fixture closed after a response
}

// perform does an action with valid arguments, as an officer who handles neither stage.
func perform(c *domain.Complaint, action domain.Action, a domain.Actor) (domain.Event, error) {
	switch action {
	case domain.ActionAcknowledge:
		return c.Acknowledge(a)
	case domain.ActionExtend:
		return c.Extend(a, 5, "awaiting a contractor's report")
	case domain.ActionRespond:
		return c.Respond(a, domain.OutcomeNotUpheld, "The collection was made.", nil)
	case domain.ActionEscalate:
		return c.Escalate(a, "Still unhappy.", officerB)
	case domain.ActionClose:
		return c.Close(a, "withdrawn by the complainant", retentionTo)
	}
	panic("unknown action " + action)
}

func TestEveryStatusAndAction(t *testing.T) {
	for _, fx := range statusFixtures {
		for _, action := range allActions {
			t.Run(fmt.Sprintf("%s/%s", fx.status, action), func(t *testing.T) {
				c := fx.build(t)
				if c.Status != fx.status {
					t.Fatalf("fixture status = %s, want %s", c.Status, fx.status)
				}
				assertAllowed(t, c, wantAllowed[fx.status]...)
				stage, deadlines, responses := c.Stage, len(c.Deadlines), len(c.Responses)
				e, err := perform(c, action, actor(t, officerC, fx.now))
				if slices.Contains(wantAllowed[fx.status], action) {
					if err != nil {
						t.Fatalf("%s at %s: %v, want it allowed", action, fx.status, err)
					}
					return
				}
				var te *domain.TransitionError
				if !errors.As(err, &te) {
					t.Fatalf("err = %v (%T), want *TransitionError", err, err)
				}
				if te.Action != action || te.Status != fx.status || !slices.Equal(te.Allowed, wantAllowed[fx.status]) {
					t.Errorf("TransitionError = {%s %s %v}, want {%s %s %v}", te.Action, te.Status, te.Allowed, action, fx.status, wantAllowed[fx.status])
				}
				assertNoEvent(t, e)
				if c.Status != fx.status || c.Stage != stage || len(c.Deadlines) != deadlines || len(c.Responses) != responses {
					t.Errorf("refused %s changed the complaint: %s stage %d, %d deadlines, %d responses", action, c.Status, c.Stage, len(c.Deadlines), len(c.Responses))
				}
			})
		}
	}
}

func TestTransitionErrorMessage(t *testing.T) {
	tests := []struct {
		build func(*testing.T) *domain.Complaint
		want  string
	}{
		{logged, "cannot respond a complaint that is stage1_received; allowed now: acknowledge, refer_lgo, close"},
		{closedAfterStage2, "cannot respond a complaint that is closed; allowed now: refer_lgo"},
	}
	for _, tt := range tests {
		c := tt.build(t)
		_, err := c.Respond(actor(t, officerC, closeAt), domain.OutcomeUpheld, "x", nil)
		if err == nil || err.Error() != tt.want {
			t.Errorf("err = %v, want %q", err, tt.want)
		}
	}
}

// A caller editing the list it was given must not change the state machine.
func TestAllowedActionsIsACopy(t *testing.T) {
	c := logged(t)
	got := c.AllowedActions()
	got[0] = domain.ActionRespond
	_, err := c.Escalate(actor(t, officerA, ack1At), "x", officerB)
	var te *domain.TransitionError
	if !errors.As(err, &te) {
		t.Fatalf("Escalate: %v, want *TransitionError", err)
	}
	te.Allowed[1] = domain.ActionEscalate
	assertAllowed(t, logged(t), domain.ActionAcknowledge, domain.ActionReferLGO, domain.ActionClose)
	if _, err := c.Respond(actor(t, officerA, ack1At), domain.OutcomeUpheld, "x", nil); err == nil {
		t.Error("Respond at stage1_received was allowed after editing AllowedActions()")
	}
}

func TestEscalationHandlerMustDiffer(t *testing.T) {
	tests := []struct {
		name    string
		handler string
	}{
		{"same officer", officerA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := responded1(t)
			e, err := c.Escalate(actor(t, officerB, escalateAt), "Still unhappy.", tt.handler)
			assertRule(t, err, "stage2_handler_must_differ")
			assertNoEvent(t, e)
			assertStatus(t, c, 1, domain.StatusStage1Responded)
			if c.Stage2Handler != "" || c.Stage2Details != "" || len(c.Deadlines) != 2 {
				t.Errorf("refused escalation changed the complaint: handler %q details %q deadlines %d", c.Stage2Handler, c.Stage2Details, len(c.Deadlines))
			}
		})
	}
}

func TestEscalationValidation(t *testing.T) {
	tests := []struct {
		name, details, handler, field string
	}{
		{"no further details", " ", officerB, "further_details"},
		{"no handler", "Still unhappy.", "  ", "handler"},
		// An officer's id is refused, never trimmed, with white space around it.
		{"handler with white space around it", "Still unhappy.", "  officer.b ", "handler"},
		{"the stage 1 handler with white space around it", "Still unhappy.", "  officer.a ", "handler"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := responded1(t)
			_, err := c.Escalate(actor(t, officerA, escalateAt), tt.details, tt.handler)
			assertValidation(t, err, tt.field)
			assertStatus(t, c, 1, domain.StatusStage1Responded)
		})
	}
}

// The rule compares with the named stage 1 handler, not with whoever logged the complaint.
func TestEscalationComparesWithNamedStage1Handler(t *testing.T) {
	in := validNew()
	in.Handler = "officer.h"
	c, _, err := domain.Log("c-1", "CMP-1", in, actor(t, officerA, receivedAt))
	if err != nil {
		t.Fatalf("Log: %v", err)
	}
	mustOK(t, "acknowledge", func() (domain.Event, error) { return c.Acknowledge(actor(t, "officer.h", ack1At)) })
	mustOK(t, "respond", func() (domain.Event, error) {
		return c.Respond(actor(t, "officer.h", respond1At), domain.OutcomeNotUpheld, "No fault found.", nil)
	})
	_, err = c.Escalate(actor(t, officerA, escalateAt), "Still unhappy.", "officer.h")
	assertRule(t, err, "stage2_handler_must_differ")
	if _, err := c.Escalate(actor(t, officerA, escalateAt), "Still unhappy.", officerA); err != nil {
		t.Fatalf("Escalate to the logging officer: %v", err)
	}
	if c.Stage2Handler != officerA {
		t.Errorf("Stage2Handler = %q, want %q", c.Stage2Handler, officerA)
	}
}

// At stage 2 the stage 1 handler may not acknowledge, extend or respond; anyone else may.
func TestStage2ActionsRefusedToStage1Handler(t *testing.T) {
	tests := []struct {
		action domain.Action
		build  func(*testing.T) *domain.Complaint
		now    time.Time
		after  domain.Status
	}{
		{domain.ActionAcknowledge, received2, escalateAt.Add(time.Hour), domain.StatusStage2Acknowledged},
		{domain.ActionExtend, acknowledged2, ack2At.Add(time.Hour), domain.StatusStage2Acknowledged},
		{domain.ActionRespond, acknowledged2, ack2At.Add(time.Hour), domain.StatusStage2Responded},
	}
	for _, tt := range tests {
		t.Run(string(tt.action), func(t *testing.T) {
			c := tt.build(t)
			before := c.Status
			e, err := perform(c, tt.action, actor(t, officerA, tt.now))
			assertRule(t, err, "stage2_handler_must_differ")
			assertNoEvent(t, e)
			if c.Status != before {
				t.Errorf("refused %s moved status to %s", tt.action, c.Status)
			}
			for _, officer := range []string{officerB, officerC} {
				c := tt.build(t)
				if _, err := perform(c, tt.action, actor(t, officer, tt.now)); err != nil {
					t.Errorf("%s by %s: %v", tt.action, officer, err)
				}
				if c.Status != tt.after {
					t.Errorf("%s by %s: Status = %s, want %s", tt.action, officer, c.Status, tt.after)
				}
			}
		})
	}
}

// At stage 1 the rule does not apply: the stage 1 handler does the work.
func TestStage1ActionsByStage1Handler(t *testing.T) {
	c := logged(t)
	for _, action := range []domain.Action{domain.ActionAcknowledge, domain.ActionExtend, domain.ActionRespond} {
		if _, err := perform(c, action, actor(t, officerA, ack1At)); err != nil {
			t.Fatalf("%s by the stage 1 handler: %v", action, err)
		}
	}
	assertStatus(t, c, 1, domain.StatusStage1Responded)
}

func assertStatus(t *testing.T, c *domain.Complaint, stage int, status domain.Status) {
	t.Helper()
	if c.Stage != stage || c.Status != status {
		t.Errorf("complaint at stage %d %s, want stage %d %s", c.Stage, c.Status, stage, status)
	}
}

func assertResponse(t *testing.T, c *domain.Complaint, stage int, want domain.Response) {
	t.Helper()
	got := c.Responses[stage]
	if got == nil {
		t.Fatalf("no stage %d response", stage)
	}
	if !got.RespondedAt.Equal(want.RespondedAt) {
		t.Errorf("stage %d RespondedAt = %s, want %s", stage, got.RespondedAt, want.RespondedAt)
	}
	g := *got
	g.RespondedAt = want.RespondedAt
	if !reflect.DeepEqual(g, want) {
		t.Errorf("stage %d response = %+v, want %+v", stage, g, want)
	}
}

func assertOpenKeys(t *testing.T, c *domain.Complaint, want ...string) {
	t.Helper()
	var got []string
	for _, d := range c.OpenDeadlines() {
		got = append(got, d.Key())
	}
	if !slices.Equal(got, want) {
		t.Errorf("OpenDeadlines() = %v, want %v", got, want)
	}
}
