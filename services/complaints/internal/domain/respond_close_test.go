package domain_test

import (
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

func TestRespondRefusesInvalidInput(t *testing.T) {
	tooMany := make([]string, 21)
	for i := range tooMany {
		tooMany[i] = "remedy"
	}
	tests := []struct {
		name     string
		outcome  domain.Outcome
		summary  string
		remedies []string
		field    string
	}{
		{"unknown outcome", "dismissed", "Summary.", nil, "outcome"},
		{"no outcome", "", "Summary.", nil, "outcome"},
		{"outcome in capitals", "UPHELD", "Summary.", nil, "outcome"},
		{"empty summary", domain.OutcomeUpheld, "", nil, "summary"},
		{"blank summary", domain.OutcomeUpheld, "  \n", nil, "summary"},
		{"summary too long", domain.OutcomeUpheld, strings.Repeat("s", 20001), nil, "summary"},
		{"not upheld with a remedy", domain.OutcomeNotUpheld, "No fault.", []string{"apology"}, "remedies"},
		{"blank remedy", domain.OutcomeUpheld, "Sorry.", []string{"apology", " "}, "remedies/1"},
		{"remedy too long", domain.OutcomePartlyUpheld, "Sorry.", []string{strings.Repeat("r", 2001)}, "remedies/0"},
		{"twenty-one remedies", domain.OutcomeUpheld, "Sorry.", tooMany, "remedies"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := acknowledged1(t)
			e, err := c.Respond(actor(t, officerA, respond1At), tt.outcome, tt.summary, tt.remedies)
			assertValidation(t, err, tt.field)
			assertNoEvent(t, e)
			assertStatus(t, c, 1, domain.StatusStage1Acknowledged)
			if len(c.Responses) != 0 {
				t.Errorf("refused response recorded: %+v", c.Responses)
			}
			assertDeadline(t, c, 1, domain.DeadlineRespond, calendar.NewDate(2026, 4, 21), utc(2026, 4, 21, 23, 0), nil)
		})
	}
}

func TestRespondAcceptsEdgeInput(t *testing.T) {
	twenty := make([]string, 20)
	for i := range twenty {
		twenty[i] = "remedy"
	}
	tests := []struct {
		name     string
		outcome  domain.Outcome
		remedies []string
	}{
		{"not upheld without remedies", domain.OutcomeNotUpheld, nil},
		{"not upheld with an empty list", domain.OutcomeNotUpheld, []string{}},
		{"upheld without remedies", domain.OutcomeUpheld, nil},
		{"twenty remedies", domain.OutcomePartlyUpheld, twenty},
		{"remedy of 2000 characters", domain.OutcomeUpheld, []string{strings.Repeat("r", 2000)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := acknowledged1(t)
			e, err := c.Respond(actor(t, officerA, respond1At), tt.outcome, "Summary.", tt.remedies)
			if err != nil {
				t.Fatalf("Respond: %v", err)
			}
			assertEvent(t, e, domain.Event{Type: "stage1.responded", Stage: 1, Outcome: tt.outcome,
				Detail: map[string]any{"outcome": string(tt.outcome), "on_time": true, "remedies": len(tt.remedies)}})
		})
	}
}

// Responding at the instant the deadline ends is late; a nanosecond before is on time.
func TestRespondOnTime(t *testing.T) {
	due := utc(2026, 4, 21, 23, 0) // end of Tue 21 Apr 2026, London
	tests := []struct {
		name   string
		at     time.Time
		onTime bool
	}{
		{"well before", respond1At, true},
		{"last nanosecond", due.Add(-time.Nanosecond), true},
		{"at the deadline", due, false},
		{"a week late", due.Add(7 * 24 * time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := acknowledged1(t)
			e, err := c.Respond(actor(t, officerA, tt.at), domain.OutcomeUpheld, "Sorry.", []string{"apology"})
			if err != nil {
				t.Fatalf("Respond: %v", err)
			}
			assertEvent(t, e, domain.Event{Type: "stage1.responded", Stage: 1, Outcome: domain.OutcomeUpheld,
				Detail: map[string]any{"outcome": "upheld", "on_time": tt.onTime, "remedies": 1}})
			assertResponse(t, c, 1, domain.Response{Outcome: domain.OutcomeUpheld, Summary: "Sorry.", Remedies: []string{"apology"},
				RespondedAt: tt.at, RespondedBy: officerA, OnTime: tt.onTime})
			assertDeadline(t, c, 1, domain.DeadlineRespond, calendar.NewDate(2026, 4, 21), due, &tt.at)
		})
	}
}

func TestRespondLateAtStage2(t *testing.T) {
	c := acknowledged2(t)
	at := utc(2026, 6, 3, 23, 0) // the stage 2 response deadline
	e, err := c.Respond(actor(t, officerB, at), domain.OutcomeNotUpheld, "No fault.", nil)
	if err != nil {
		t.Fatalf("Respond: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage2.responded", Stage: 2, Outcome: domain.OutcomeNotUpheld,
		Detail: map[string]any{"outcome": "not_upheld", "on_time": false, "remedies": 0}})
	if c.Responses[2].OnTime || !c.Responses[1].OnTime {
		t.Errorf("OnTime stage 1 %v stage 2 %v, want true and false", c.Responses[1].OnTime, c.Responses[2].OnTime)
	}
}

// Closing before a response (e.g. withdrawn) needs a reason; after a response it does not.
func TestClose(t *testing.T) {
	tests := []struct {
		build     func(*testing.T) *domain.Complaint
		now       time.Time
		responded bool
		stage     int
	}{
		{logged, receivedAt.Add(2 * time.Hour), false, 1},
		{acknowledged1, ack1At.Add(time.Hour), false, 1},
		{responded1, respond1At.Add(time.Hour), true, 1},
		{received2, escalateAt.Add(time.Hour), false, 2},
		{acknowledged2, ack2At.Add(time.Hour), false, 2},
		{responded2, respond2At.Add(time.Hour), true, 2},
	}
	retention := calendar.NewDate(2032, 4, 2)
	for _, tt := range tests {
		status := tt.build(t).Status
		t.Run(string(status)+"/no reason", func(t *testing.T) {
			c := tt.build(t)
			e, err := c.Close(actor(t, officerC, tt.now), "  ", retention)
			if !tt.responded {
				assertValidation(t, err, "reason")
				assertNoEvent(t, e)
				if c.Status != status || c.ClosedAt != nil || !c.RetentionDue.IsZero() {
					t.Errorf("refused close changed the complaint: %s, ClosedAt %v, RetentionDue %s", c.Status, c.ClosedAt, c.RetentionDue)
				}
				return
			}
			if err != nil {
				t.Fatalf("Close: %v", err)
			}
			assertEvent(t, e, domain.Event{Type: "closed", Stage: tt.stage,
				Detail: map[string]any{"after_response": true, "retention_due": "2032-04-02"}})
			assertClosed(t, c, tt.now, "  ", retention) // optional after a response, and kept as sent
		})
		t.Run(string(status)+"/with reason", func(t *testing.T) {
			c := tt.build(t)
			e, err := c.Close(actor(t, officerC, tt.now), " withdrawn by the complainant ", retention)
			if err != nil {
				t.Fatalf("Close: %v", err)
			}
			assertEvent(t, e, domain.Event{Type: "closed", Stage: tt.stage,
				Detail: map[string]any{"after_response": tt.responded, "retention_due": "2032-04-02"}})
			assertClosed(t, c, tt.now, " withdrawn by the complainant ", retention) // kept as sent
			assertStatus(t, c, tt.stage, domain.StatusClosed)
		})
	}
}

func TestCloseReasonTooLong(t *testing.T) {
	for _, build := range []func(*testing.T) *domain.Complaint{logged, responded2} {
		c := build(t)
		status := c.Status
		_, err := c.Close(actor(t, officerC, closeAt), strings.Repeat("x", 2001), retentionTo)
		assertValidation(t, err, "reason")
		if c.Status != status {
			t.Errorf("refused close moved %s to %s", status, c.Status)
		}
	}
}

func assertClosed(t *testing.T, c *domain.Complaint, at time.Time, reason string, retention calendar.Date) {
	t.Helper()
	if c.Status != domain.StatusClosed {
		t.Errorf("Status = %s, want closed", c.Status)
	}
	assertInstant(t, "ClosedAt", c.ClosedAt, &at)
	if c.ClosureReason != reason {
		t.Errorf("ClosureReason = %q, want %q", c.ClosureReason, reason)
	}
	if c.RetentionDue != retention {
		t.Errorf("RetentionDue = %s, want %s", c.RetentionDue, retention)
	}
	switch {
	case c.Stage == 1 && len(c.Responses) > 0: // closed after the stage 1 response: stage 2 may still be asked for
		assertAllowed(t, c, domain.ActionEscalate, domain.ActionReferLGO)
	case len(c.Responses) > 0: // closed after a response: the complainant may still go to the Ombudsman
		assertAllowed(t, c, domain.ActionReferLGO)
	default:
		assertAllowed(t, c)
	}
}
