package domain_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/services/complaints/internal/domain"
)

// Stage 2 asked for, and the Ombudsman's sending back, after the case was closed or decided.

var closedAfter1At = london(2026, time.April, 22, 11, 0) // Wed, two days after the stage 1 response

func closedAfterStage1(t *testing.T) *domain.Complaint {
	t.Helper()
	c := responded1(t)
	mustOK(t, "close", func() (domain.Event, error) { return c.Close(actor(t, officerA, closedAfter1At), "", retentionTo) })
	return c
}

// decidedPremature is a stage-1-only complaint the complainant took to the Ombudsman, who
// asked one enquiry (answered) and sent it back as premature.
func decidedPremature(t *testing.T) *domain.Complaint {
	t.Helper()
	c := responded1(t)
	mustOK(t, "refer", func() (domain.Event, error) {
		return c.ReferToLGO(actor(t, officerC, referAt), referral(calendar.NewDate(2026, 3, 20), false))
	})
	mustOK(t, "enquiry", func() (domain.Event, error) {
		return c.RecordEnquiry(actor(t, officerC, enquiryAt), "Has stage 2 been offered?", enquiryDue)
	})
	mustOK(t, "answer", func() (domain.Event, error) { return c.RespondToEnquiry(actor(t, officerC, answerAt), 1, nil, "d-1") })
	mustOK(t, "decide", func() (domain.Event, error) {
		return c.RecordDecision(actor(t, officerC, decideAt), domain.LGODecisionInput{Outcome: domain.LGOPremature, DecidedOn: decidedOn,
			Summary: "The council's stage 2 has not been used."})
	})
	return c
}

// Defect 1: a complainant dissatisfied with the stage 1 response asks for stage 2 after the
// case was closed. The case reopens at stage 2 with its deadlines and the handler rule.
func TestEscalateAfterClosedStage1Response(t *testing.T) {
	c := closedAfterStage1(t)
	assertAllowed(t, c, domain.ActionEscalate, domain.ActionReferLGO)

	// The stage 1 handler may not handle stage 2, closed or not; the refusal changes nothing.
	_, err := c.Escalate(actor(t, officerA, escalateAt), "The apology is not enough.", officerA)
	assertRule(t, err, "stage2_handler_must_differ")
	assertStatus(t, c, 1, domain.StatusClosed)

	e, err := c.Escalate(actor(t, officerA, escalateAt), "The apology is not enough.", officerB)
	if err != nil {
		t.Fatalf("Escalate a closed stage 1 complaint: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage2.received", Stage: 2, Deadline: "stage2.acknowledge", DueAt: ptr(utc(2026, 5, 5, 23, 0)),
		Detail: map[string]any{"handler": officerB, "acknowledge_due_date": "2026-05-05"}})
	assertStatus(t, c, 2, domain.StatusStage2Received)
	assertAllowed(t, c, domain.ActionAcknowledge, domain.ActionReferLGO, domain.ActionClose)
	assertDeadline(t, c, 2, domain.DeadlineAcknowledge, calendar.NewDate(2026, 5, 5), utc(2026, 5, 5, 23, 0), nil)
	if c.ClosedAt != nil || !c.RetentionDue.IsZero() || c.Stage2Handler != officerB {
		t.Errorf("reopened: ClosedAt %v RetentionDue %s Stage2Handler %q", c.ClosedAt, c.RetentionDue, c.Stage2Handler)
	}
	// Stage 2 runs as usual: the stage 1 handler may not acknowledge; B's acknowledgement
	// starts the 20 working day response clock.
	_, err = c.Acknowledge(actor(t, officerA, ack2At))
	assertRule(t, err, "stage2_handler_must_differ")
	mustOK(t, "acknowledge stage 2", func() (domain.Event, error) { return c.Acknowledge(actor(t, officerB, ack2At)) })
	assertDeadline(t, c, 2, domain.DeadlineRespond, calendar.NewDate(2026, 6, 3), utc(2026, 6, 3, 23, 0), nil)
	assertOpenKeys(t, c, "stage2.respond")
}

// Only a complaint closed after its stage 1 response, never at stage 2, may go to stage 2.
func TestEscalateClosedRefusals(t *testing.T) {
	withdrawn := logged(t)
	mustOK(t, "close", func() (domain.Event, error) {
		return withdrawn.Close(actor(t, officerA, ack1At), "withdrawn", retentionTo)
	})
	tests := []struct {
		name    string
		c       *domain.Complaint
		allowed []domain.Action
	}{
		{"closed before any response", withdrawn, nil},
		{"closed after stage 2", closedAfterStage2(t), []domain.Action{domain.ActionReferLGO}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stage := tt.c.Stage
			_, err := tt.c.Escalate(actor(t, officerA, closeAt.Add(time.Hour)), "Still unhappy.", officerC)
			var te *domain.TransitionError
			if !errors.As(err, &te) || te.Action != domain.ActionEscalate || te.Status != domain.StatusClosed || !reflect.DeepEqual(te.Allowed, tt.allowed) {
				t.Fatalf("err = %v, want a TransitionError allowing %v", err, tt.allowed)
			}
			assertStatus(t, tt.c, stage, domain.StatusClosed)
		})
	}
}

// Defect 2: sent back as premature, the council's process can be completed (stage 2), and
// the complainant can then go back to the Ombudsman; the earlier referral is kept.
func TestPrematureDecisionLetsTheProcessBeCompletedAndReferredAgain(t *testing.T) {
	c := decidedPremature(t)
	assertStatus(t, c, 3, domain.StatusStage3Decided)
	assertAllowed(t, c, domain.ActionEscalate, domain.ActionReferLGO, domain.ActionClose)

	escalated := decideAt.Add(time.Hour) // Tue 1 Sep: acknowledge by Tue 8 Sep (2, 3, 4, 7, 8)
	e, err := c.Escalate(actor(t, officerC, escalated), "Please review at stage 2.", officerB)
	if err != nil {
		t.Fatalf("Escalate after premature: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage2.received", Stage: 2, Deadline: "stage2.acknowledge", DueAt: ptr(utc(2026, 9, 8, 23, 0)),
		Detail: map[string]any{"handler": officerB, "acknowledge_due_date": "2026-09-08"}})
	assertStatus(t, c, 2, domain.StatusStage2Received)
	assertOpenKeys(t, c, "stage2.acknowledge")
	mustOK(t, "acknowledge stage 2", func() (domain.Event, error) { return c.Acknowledge(actor(t, officerB, escalated.Add(time.Hour))) })
	respondAt := escalated.Add(48 * time.Hour)
	mustOK(t, "respond stage 2", func() (domain.Event, error) {
		return c.Respond(actor(t, officerB, respondAt), domain.OutcomeNotUpheld, "No fault found.", nil)
	})
	assertAllowed(t, c, domain.ActionReferLGO, domain.ActionClose)

	referAgainAt := respondAt.Add(24 * time.Hour)
	in := referral(calendar.NewDate(2026, 3, 20), false) // the officer's word no longer decides
	in.LGOReference = "25 099 001"
	e, err = c.ReferToLGO(actor(t, officerC, referAgainAt), in)
	if err != nil {
		t.Fatalf("fresh referral: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage3.referred", Stage: 3,
		Detail: map[string]any{"from_status": "stage2_responded", "process_completed": true, "warnings": []string{}}})
	assertStatus(t, c, 3, domain.StatusStage3Referred)
	r := c.Stage3.Referral
	if r.LGOReference != "25 099 001" || !r.ProcessCompleted || r.FromStage != 2 || len(r.Warnings) != 0 || c.Stage3.Decision != nil {
		t.Errorf("fresh referral %+v decision %+v", r, c.Stage3.Decision)
	}
	if len(c.Stage3.Earlier) != 1 {
		t.Fatalf("Earlier = %d referrals, want 1", len(c.Stage3.Earlier))
	}
	old := c.Stage3.Earlier[0]
	if old.Referral.LGOReference != "25 012 345" || old.Referral.ProcessCompleted || old.Referral.FromStatus != domain.StatusStage1Responded ||
		old.Decision == nil || old.Decision.Outcome != domain.LGOPremature || old.Decision.DecidedOn != decidedOn {
		t.Errorf("earlier referral %+v decision %+v", old.Referral, old.Decision)
	}
	// Enquiries are numbered on, so each keeps its own deadline.
	e, err = c.RecordEnquiry(actor(t, officerC, referAgainAt.Add(time.Hour)), "Send the stage 2 response.", calendar.NewDate(2026, 10, 9))
	if err != nil {
		t.Fatalf("RecordEnquiry: %v", err)
	}
	if e.Deadline != "stage3.enquiry:2" || c.Deadline(3, domain.EnquiryKind(2)).Computed.DueDate != calendar.NewDate(2026, 10, 9) {
		t.Errorf("second referral's enquiry: %s", e.Deadline)
	}
}

// Closed after a premature decision, the case may still go to stage 2 or back to the Ombudsman.
func TestClosedAfterPrematureMayReturn(t *testing.T) {
	c := decidedPremature(t)
	closed := decideAt.Add(time.Hour)
	mustOK(t, "close", func() (domain.Event, error) { return c.Close(actor(t, officerC, closed), "", retentionTo) })
	assertAllowed(t, c, domain.ActionEscalate, domain.ActionReferLGO)

	e, err := c.ReferToLGO(actor(t, officerC, closed.Add(time.Hour)), referral(calendar.NewDate(2026, 3, 20), true))
	if err != nil {
		t.Fatalf("refer again after a premature decision and closure: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage3.referred", Stage: 3,
		Detail: map[string]any{"from_status": "closed", "process_completed": false, "warnings": []string{"process_not_exhausted"}}})
	if c.ClosedAt != nil || c.Stage3.Referral.FromStage != 1 || len(c.Stage3.Earlier) != 1 {
		t.Errorf("reopened: ClosedAt %v FromStage %d earlier %d", c.ClosedAt, c.Stage3.Referral.FromStage, len(c.Stage3.Earlier))
	}

	// A decision other than premature still ends the case's time with the Ombudsman.
	d := responded2(t)
	mustOK(t, "refer", func() (domain.Event, error) {
		return d.ReferToLGO(actor(t, officerC, referAt), referral(calendar.NewDate(2026, 3, 20), true))
	})
	mustOK(t, "decide", func() (domain.Event, error) {
		return d.RecordDecision(actor(t, officerC, decideAt), domain.LGODecisionInput{Outcome: domain.LGONotUpheld, DecidedOn: decidedOn, Summary: "No fault."})
	})
	assertAllowed(t, d, domain.ActionRecordCompliance, domain.ActionClose)
	mustOK(t, "close", func() (domain.Event, error) { return d.Close(actor(t, officerC, closed), "", retentionTo) })
	assertAllowed(t, d)
}

// Defect 3: the complainant may go to the Ombudsman while stage 1 or 2 is still running
// (for example over delay): allowed, with the warning.
func TestReferToLGOFromAnOpenStage(t *testing.T) {
	tests := []struct {
		status  domain.Status
		build   func(*testing.T) *domain.Complaint
		stage   int
		stopped string // the deadline whose clock the referral stops
	}{
		{domain.StatusStage1Received, logged, 1, "stage1.acknowledge"},
		{domain.StatusStage1Acknowledged, acknowledged1, 1, "stage1.respond"},
		{domain.StatusStage2Received, received2, 2, "stage2.acknowledge"},
		{domain.StatusStage2Acknowledged, acknowledged2, 2, "stage2.respond"},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			c := tt.build(t)
			e, err := c.ReferToLGO(actor(t, officerC, referAt), referral(calendar.NewDate(2026, 3, 20), false))
			if err != nil {
				t.Fatalf("ReferToLGO at %s: %v", tt.status, err)
			}
			assertEvent(t, e, domain.Event{Type: "stage3.referred", Stage: 3,
				Detail: map[string]any{"from_status": string(tt.status), "process_completed": false, "warnings": []string{"process_not_exhausted"},
					"clocks_stopped": []string{tt.stopped}}})
			assertStatus(t, c, 3, domain.StatusStage3Referred)
			want := []domain.Warning{{Code: "process_not_exhausted", Detail: notExhaustedWarning}}
			if r := c.Stage3.Referral; r.FromStatus != tt.status || r.FromStage != tt.stage || !reflect.DeepEqual(r.Warnings, want) {
				t.Errorf("referral from %s stage %d warnings %#v", r.FromStatus, r.FromStage, r.Warnings)
			}
			// Sent back as premature, the complaint returns to the stage that was running, so
			// the council can finish it; the decision stays on the stage 3 record.
			mustOK(t, "decide", func() (domain.Event, error) {
				return c.RecordDecision(actor(t, officerC, decideAt), domain.LGODecisionInput{Outcome: domain.LGOPremature, DecidedOn: decidedOn,
					Summary: "The council has not finished its own process."})
			})
			assertStatus(t, c, tt.stage, tt.status)
			if !c.SentBackPremature() || c.Stage3.Decision.Outcome != domain.LGOPremature {
				t.Errorf("the premature decision is not kept: %+v", c.Stage3.Decision)
			}
			if !slices.Contains(c.AllowedActions(), domain.ActionRespond) && !slices.Contains(c.AllowedActions(), domain.ActionAcknowledge) {
				t.Errorf("after a premature decision the council cannot go on: %v", c.AllowedActions())
			}
		})
	}
}

// Defect 4: whether the council's process was exhausted comes from the case (a stage 2
// response recorded), not from the officer's word.
func TestReferToLGOProcessCompletedComesFromTheRecord(t *testing.T) {
	c := closedAfterStage1(t)
	e, err := c.ReferToLGO(actor(t, officerC, referAt), referral(calendar.NewDate(2026, 3, 20), true))
	if err != nil {
		t.Fatalf("ReferToLGO: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage3.referred", Stage: 3,
		Detail: map[string]any{"from_status": "closed", "process_completed": false, "warnings": []string{"process_not_exhausted"}}})
	want := []domain.Warning{{Code: "process_not_exhausted", Detail: notExhaustedWarning}}
	if r := c.Stage3.Referral; r.ProcessCompleted || !reflect.DeepEqual(r.Warnings, want) {
		t.Errorf("stage-1-only referral stated complete: ProcessCompleted %v warnings %#v", r.ProcessCompleted, r.Warnings)
	}

	c = responded2(t) // stage 2 answered: exhausted, whatever the officer says
	if _, err := c.ReferToLGO(actor(t, officerC, referAt), referral(calendar.NewDate(2026, 3, 20), false)); err != nil {
		t.Fatalf("ReferToLGO: %v", err)
	}
	if r := c.Stage3.Referral; !r.ProcessCompleted || !reflect.DeepEqual(r.Warnings, []domain.Warning{}) {
		t.Errorf("stage 2 answered: ProcessCompleted %v warnings %#v", r.ProcessCompleted, r.Warnings)
	}
}

// Defect 5: the stage 2 acknowledgement clock runs from when the complainant's request
// arrived, recorded as the computation's start.
func TestEscalateFromWhenTheRequestArrived(t *testing.T) {
	c := responded1(t)
	requested := london(2026, time.April, 22, 9, 0) // Wed: acknowledge by Wed 29 Apr (23, 24, 27, 28, 29)
	e, err := c.EscalateReceived(actor(t, officerC, escalateAt), "The apology is not enough.", officerB, requested)
	if err != nil {
		t.Fatalf("EscalateReceived: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage2.received", Stage: 2, Deadline: "stage2.acknowledge", DueAt: ptr(utc(2026, 4, 29, 23, 0)),
		Detail: map[string]any{"handler": officerB, "acknowledge_due_date": "2026-04-29"}})
	assertDeadline(t, c, 2, domain.DeadlineAcknowledge, calendar.NewDate(2026, 4, 29), utc(2026, 4, 29, 23, 0), nil)
	computed := c.Deadline(2, domain.DeadlineAcknowledge).Computed
	if !computed.Start.Equal(requested) || computed.StartDate != calendar.NewDate(2026, 4, 22) || computed.Amount != 5 {
		t.Errorf("computed from %s (%s) + %d, want %s + 5", computed.Start, computed.StartDate, computed.Amount, requested)
	}

	// At the instant of the stage 1 response is the earliest it can be.
	c = responded1(t)
	if _, err := c.EscalateReceived(actor(t, officerC, escalateAt), "Still unhappy.", officerB, respond1At); err != nil {
		t.Fatalf("received at the stage 1 response: %v", err)
	}
	if got := c.Deadline(2, domain.DeadlineAcknowledge).Computed.Start; !got.Equal(respond1At) {
		t.Errorf("Start = %s, want %s", got, respond1At)
	}
}

func TestEscalateReceivedAtRefusals(t *testing.T) {
	tests := []struct {
		name     string
		received time.Time
		detail   string
	}{
		{"in the future", escalateAt.Add(time.Hour), "cannot be in the future"},
		{"before the stage 1 response", respond1At.Add(-time.Minute), "cannot be before the stage 1 response (2026-04-20T13:00:00Z)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := responded1(t)
			e, err := c.EscalateReceived(actor(t, officerC, escalateAt), "Still unhappy.", officerB, tt.received)
			assertValidation(t, err, "received_at")
			var ve *casework.ValidationError
			if errors.As(err, &ve) && ve.Detail != tt.detail {
				t.Errorf("Detail = %q, want %q", ve.Detail, tt.detail)
			}
			assertNoEvent(t, e)
			assertStatus(t, c, 1, domain.StatusStage1Responded)
			if c.Stage2Handler != "" || len(c.Deadlines) != 2 {
				t.Errorf("refused escalation changed the complaint: handler %q, %d deadlines", c.Stage2Handler, len(c.Deadlines))
			}
		})
	}
}
