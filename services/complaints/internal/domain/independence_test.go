package domain_test

import (
	"slices"
	"testing"
	"time"

	"casework.dev/services/complaints/internal/domain"
)

// actedOnStage1By is a complaint logged and assigned to officer A whose stage 1 was
// acknowledged, extended and responded to by the officers given (A is the assigned handler
// throughout).
func actedOnStage1By(t *testing.T, acknowledger, extender, responder string) *domain.Complaint {
	t.Helper()
	c := logged(t)
	mustOK(t, "acknowledge", func() (domain.Event, error) { return c.Acknowledge(actor(t, acknowledger, ack1At)) })
	mustOK(t, "extend", func() (domain.Event, error) {
		return c.Extend(actor(t, extender, ack1At.Add(time.Hour)), 5, "awaiting a contractor's report")
	})
	mustOK(t, "respond", func() (domain.Event, error) {
		return c.Respond(actor(t, responder, respond1At), domain.OutcomeNotUpheld, "The collection was made.", nil)
	})
	return c
}

// Whoever acknowledged, extended or responded at stage 1 may not handle stage 2, whoever
// was assigned stage 1: the escalation naming them is refused and changes nothing.
func TestStage2HandlerMayNotHaveActedOnStage1(t *testing.T) {
	const acknowledger, extender, responder = "officer.ack", "officer.ext", "officer.resp"
	for _, handler := range []string{officerA, acknowledger, extender, responder} {
		t.Run(handler, func(t *testing.T) {
			c := actedOnStage1By(t, acknowledger, extender, responder)
			if got, want := c.ActedAt(1), []string{acknowledger, extender, responder}; !slices.Equal(got, want) {
				t.Fatalf("ActedAt(1) = %v, want %v", got, want)
			}
			e, err := c.Escalate(actor(t, officerA, escalateAt), "Still unhappy.", handler)
			assertRule(t, err, "stage2_handler_must_differ")
			assertNoEvent(t, e)
			assertStatus(t, c, 1, domain.StatusStage1Responded)
			if c.Stage2Handler != "" || len(c.Deadlines) != 2 {
				t.Errorf("refused escalation changed the complaint: handler %q, %d deadlines", c.Stage2Handler, len(c.Deadlines))
			}
		})
	}
	c := actedOnStage1By(t, acknowledger, extender, responder)
	if _, err := c.Escalate(actor(t, officerA, escalateAt), "Still unhappy.", officerC); err != nil {
		t.Fatalf("escalation to an officer who did not act on stage 1: %v", err)
	}
}

// Once at stage 2 (under an independent handler), an officer who acted on stage 1 may not
// acknowledge, extend or respond either; the named handler may.
func TestStage2ActionsRefusedToWhoeverActedOnStage1(t *testing.T) {
	const acknowledger, extender, responder = "officer.ack", "officer.ext", "officer.resp"
	escalated := func(t *testing.T) *domain.Complaint {
		c := actedOnStage1By(t, acknowledger, extender, responder)
		mustOK(t, "escalate", func() (domain.Event, error) {
			return c.Escalate(actor(t, officerA, escalateAt), "Still unhappy.", officerC)
		})
		return c
	}
	acknowledged := func(t *testing.T) *domain.Complaint {
		c := escalated(t)
		mustOK(t, "acknowledge stage 2", func() (domain.Event, error) { return c.Acknowledge(actor(t, officerC, escalateAt.Add(time.Hour))) })
		return c
	}
	at := escalateAt.Add(2 * time.Hour)
	for _, tt := range []struct {
		action domain.Action
		build  func(*testing.T) *domain.Complaint
	}{
		{domain.ActionAcknowledge, escalated},
		{domain.ActionExtend, acknowledged},
		{domain.ActionRespond, acknowledged},
	} {
		for _, officer := range []string{acknowledger, extender, responder} {
			t.Run(string(tt.action)+"/"+officer, func(t *testing.T) {
				c := tt.build(t)
				before := c.Status
				e, err := perform(c, tt.action, actor(t, officer, at))
				assertRule(t, err, "stage2_handler_must_differ")
				assertNoEvent(t, e)
				if c.Status != before || slices.Contains(c.ActedAt(2), officer) {
					t.Errorf("refused %s by %s changed the complaint: %s, stage 2 actors %v", tt.action, officer, c.Status, c.ActedAt(2))
				}
			})
		}
		c := tt.build(t)
		if _, err := perform(c, tt.action, actor(t, officerC, at)); err != nil {
			t.Errorf("%s by the stage 2 handler: %v", tt.action, err)
		}
	}
}

// Each stage's actors are recorded on the deadline their action met or extended.
func TestDeadlinesRecordWhoActed(t *testing.T) {
	c := actedOnStage1By(t, "officer.ack", "officer.ext", "officer.resp")
	ack, respond := c.Deadline(1, domain.DeadlineAcknowledge), c.Deadline(1, domain.DeadlineRespond)
	if ack.MetBy != "officer.ack" || ack.ExtendedBy != "" || respond.MetBy != "officer.resp" || respond.ExtendedBy != "officer.ext" {
		t.Errorf("acknowledge met by %q extended by %q; respond met by %q extended by %q",
			ack.MetBy, ack.ExtendedBy, respond.MetBy, respond.ExtendedBy)
	}
	if got := c.ActedAt(2); got != nil {
		t.Errorf("ActedAt(2) before stage 2 = %v, want none", got)
	}
}
