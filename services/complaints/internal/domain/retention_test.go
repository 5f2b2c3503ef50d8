package domain_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

// eraseAt is 23:30 UTC on Fri 4 Jun 2032: 00:30 BST on Sat 5 Jun, the London day
// retention ends (retentionTo).
var eraseAt = utc(2032, 6, 4, 23, 30)

func TestLegalHold(t *testing.T) {
	c := closedAfterStage2(t)
	setAt := closeAt.Add(time.Hour)
	e, err := c.SetLegalHold("  County court claim ", actor(t, officerC, setAt))
	if err != nil {
		t.Fatalf("SetLegalHold: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "legal_hold.set", Stage: 2})
	want := domain.LegalHold{Reason: "  County court claim ", SetAt: setAt, SetBy: officerC} // kept as sent
	if c.LegalHold == nil || *c.LegalHold != want {
		t.Errorf("LegalHold = %+v, want %+v", c.LegalHold, want)
	}

	e, err = c.SetLegalHold("Another claim", actor(t, officerA, setAt.Add(time.Hour)))
	assertRule(t, err, "legal_hold_exists")
	assertNoEvent(t, e)
	if *c.LegalHold != want {
		t.Errorf("refused second hold changed it to %+v", c.LegalHold)
	}

	e, err = c.ReleaseLegalHold(actor(t, officerC, setAt.Add(2*time.Hour)))
	if err != nil {
		t.Fatalf("ReleaseLegalHold: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "legal_hold.released", Stage: 2})
	if c.LegalHold != nil {
		t.Errorf("LegalHold = %+v after release", c.LegalHold)
	}

	e, err = c.ReleaseLegalHold(actor(t, officerC, setAt.Add(3*time.Hour)))
	assertRule(t, err, "no_legal_hold")
	assertNoEvent(t, e)
}

func TestLegalHoldRefusals(t *testing.T) {
	tests := []struct {
		name, reason string
	}{
		{"no reason", ""},
		{"blank reason", " \n\t"},
		{"reason too long", strings.Repeat("r", 2001)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := logged(t)
			_, err := c.SetLegalHold(tt.reason, actor(t, officerC, ack1At))
			assertValidation(t, err, "reason")
			if c.LegalHold != nil {
				t.Errorf("LegalHold = %+v after refusal", c.LegalHold)
			}
		})
	}
	// A hold may be set on a complaint still open.
	c := logged(t)
	if _, err := c.SetLegalHold(strings.Repeat("r", 2000), actor(t, officerC, ack1At)); err != nil {
		t.Errorf("SetLegalHold with 2000 characters on an open complaint: %v", err)
	}
}

func TestLegalHoldAfterErasure(t *testing.T) {
	c := erased(t)
	_, err := c.SetLegalHold("Late claim", actor(t, officerC, eraseAt))
	if !errors.Is(err, domain.ErrErased) {
		t.Errorf("SetLegalHold after erasure: %v, want ErrErased", err)
	}
	if c.LegalHold != nil {
		t.Errorf("LegalHold = %+v", c.LegalHold)
	}
}

func TestDueForErasure(t *testing.T) {
	onHold := closedAfterStage2(t)
	mustOK(t, "hold", func() (domain.Event, error) { return onHold.SetLegalHold("claim", actor(t, officerC, closeAt)) })
	tests := []struct {
		name  string
		c     *domain.Complaint
		today calendar.Date
		want  bool
	}{
		{"the day before retention ends", closedAfterStage2(t), calendar.NewDate(2032, 6, 4), false},
		{"the day retention ends", closedAfterStage2(t), calendar.NewDate(2032, 6, 5), true},
		{"years later", closedAfterStage2(t), calendar.NewDate(2040, 1, 1), true},
		{"under legal hold", onHold, calendar.NewDate(2040, 1, 1), false},
		{"still open", responded2(t), calendar.NewDate(2040, 1, 1), false},
		{"already erased", erased(t), calendar.NewDate(2040, 1, 1), false},
		{"closed without a retention date", closedWithoutRetention(t), calendar.NewDate(2040, 1, 1), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.DueForErasure(tt.today); got != tt.want {
				t.Errorf("DueForErasure(%s) = %v, want %v", tt.today, got, tt.want)
			}
		})
	}
}

func TestEraseRefused(t *testing.T) {
	tests := []struct {
		name  string
		build func(*testing.T) *domain.Complaint
		now   time.Time
	}{
		// 23:59 BST on Fri 4 Jun 2032 is still the day before retention ends.
		{"the London day before", closedAfterStage2, london(2032, 6, 4, 23, 59)},
		{"under legal hold", func(t *testing.T) *domain.Complaint {
			c := closedAfterStage2(t)
			mustOK(t, "hold", func() (domain.Event, error) { return c.SetLegalHold("claim", actor(t, officerC, closeAt)) })
			return c
		}, eraseAt},
		{"still open", responded2, eraseAt},
		{"already erased", erased, eraseAt.Add(time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.build(t)
			name, erasedAt := c.Complainant.Name, c.ErasedAt
			e, err := c.Erase(actor(t, "system:retention", tt.now))
			assertRule(t, err, "not_due_for_erasure")
			assertNoEvent(t, e)
			if c.Complainant.Name != name || c.ErasedAt != erasedAt {
				t.Errorf("refused erasure changed the complaint: name %q, ErasedAt %v", c.Complainant.Name, c.ErasedAt)
			}
		})
	}
}

func TestEraseAfterHoldReleased(t *testing.T) {
	c := closedAfterStage2(t)
	mustOK(t, "hold", func() (domain.Event, error) { return c.SetLegalHold("claim", actor(t, officerC, closeAt)) })
	mustOK(t, "release", func() (domain.Event, error) { return c.ReleaseLegalHold(actor(t, officerC, eraseAt)) })
	if _, err := c.Erase(actor(t, "system:retention", eraseAt)); err != nil {
		t.Fatalf("Erase after release: %v", err)
	}
}

// Erasure removes the personal data and keeps the anonymous facts for statistics.
func TestErase(t *testing.T) {
	c := retainedWithEverything(t)
	e, err := c.Erase(actor(t, "system:retention", eraseAt))
	if err != nil {
		t.Fatalf("Erase: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "erased", Stage: 2, Detail: map[string]any{"retention_due": "2032-06-05"}})
	assertInstant(t, "ErasedAt", c.ErasedAt, &eraseAt)
	if !c.Erased() {
		t.Error("Erased() = false")
	}

	// Gone.
	if c.Complainant != (domain.Complainant{}) {
		t.Errorf("Complainant = %+v, want zero", c.Complainant)
	}
	for name, v := range map[string]string{"Details": c.Details, "SpecialDetails": c.SpecialDetails,
		"Stage2Details": c.Stage2Details, "ClosureReason": c.ClosureReason} {
		if v != "" {
			t.Errorf("%s = %q, want erased", name, v)
		}
	}
	if len(c.Consents) != 0 || c.HasConsent("councillor") {
		t.Errorf("Consents = %+v, want none", c.Consents)
	}
	if len(c.Responses) != 2 {
		t.Fatalf("Responses = %d, want both stages kept", len(c.Responses))
	}
	assertResponse(t, c, 1, domain.Response{Outcome: domain.OutcomePartlyUpheld, RespondedAt: respond1At, RespondedBy: officerA, OnTime: true})
	assertResponse(t, c, 2, domain.Response{Outcome: domain.OutcomeUpheld, RespondedAt: respond2At, RespondedBy: officerB, OnTime: true})

	// Kept.
	assertStatus(t, c, 2, domain.StatusClosed)
	if c.ID != "c-1" || c.Reference != "CMP-2026-0001" || c.Service != "Waste collection" || c.Channel != "email" {
		t.Errorf("ID %q Reference %q Service %q Channel %q, want kept", c.ID, c.Reference, c.Service, c.Channel)
	}
	if !c.ReceivedAt.Equal(receivedAt) || c.RetentionDue != retentionTo || !c.AnonymityRequested {
		t.Errorf("ReceivedAt %s RetentionDue %s AnonymityRequested %v, want kept", c.ReceivedAt, c.RetentionDue, c.AnonymityRequested)
	}
	assertInstant(t, "ClosedAt", c.ClosedAt, &closeAt)
	if c.Stage1Handler != officerA || c.Stage2Handler != officerB {
		t.Errorf("handlers %q, %q, want kept", c.Stage1Handler, c.Stage2Handler)
	}
	assertDeadline(t, c, 1, domain.DeadlineAcknowledge, calendar.NewDate(2026, 4, 10), utc(2026, 4, 10, 23, 0), &ack1At)
	assertDeadline(t, c, 1, domain.DeadlineRespond, calendar.NewDate(2026, 4, 21), utc(2026, 4, 21, 23, 0), &respond1At)
	assertDeadline(t, c, 2, domain.DeadlineAcknowledge, calendar.NewDate(2026, 5, 5), utc(2026, 5, 5, 23, 0), &ack2At)
	assertDeadline(t, c, 2, domain.DeadlineRespond, calendar.NewDate(2026, 6, 3), utc(2026, 6, 3, 23, 0), &respond2At)
	if c.DueForErasure(calendar.NewDate(2040, 1, 1)) {
		t.Error("DueForErasure after erasure = true")
	}
}

// Erasing the complaint must not reach into the caller's remedies slice.
func TestEraseLeavesCallerRemedies(t *testing.T) {
	c := acknowledged1(t)
	remedies := []string{"apology"}
	mustOK(t, "respond", func() (domain.Event, error) {
		return c.Respond(actor(t, officerA, respond1At), domain.OutcomeUpheld, "Sorry.", remedies)
	})
	mustOK(t, "close", func() (domain.Event, error) { return c.Close(actor(t, officerA, closeAt), "", retentionTo) })
	mustOK(t, "erase", func() (domain.Event, error) { return c.Erase(actor(t, "system:retention", eraseAt)) })
	if remedies[0] != "apology" {
		t.Errorf("caller's remedies = %v", remedies)
	}
}

// retainedWithEverything has personal data in every field erasure must clear.
func retainedWithEverything(t *testing.T) *domain.Complaint {
	t.Helper()
	in := validNew()
	in.SpecialDetails = "I use a wheelchair."
	in.AnonymityRequested = true
	in.ConsentTo = []string{"councillor"}
	c, _, err := domain.Log("c-1", "CMP-2026-0001", in, actor(t, officerA, receivedAt.Add(time.Hour)))
	if err != nil {
		t.Fatalf("Log: %v", err)
	}
	steps := []func() (domain.Event, error){
		func() (domain.Event, error) { return c.Acknowledge(actor(t, officerA, ack1At)) },
		func() (domain.Event, error) {
			return c.Respond(actor(t, officerA, respond1At), domain.OutcomePartlyUpheld, "We missed your bin.", []string{"apology"})
		},
		func() (domain.Event, error) {
			return c.Escalate(actor(t, officerA, escalateAt), "The apology is not enough.", officerB)
		},
		func() (domain.Event, error) { return c.RecordConsent(recipient, false, actor(t, officerB, escalateAt)) },
		func() (domain.Event, error) { return c.Acknowledge(actor(t, officerB, ack2At)) },
		func() (domain.Event, error) {
			return c.Respond(actor(t, officerB, respond2At), domain.OutcomeUpheld, "Collections are now weekly.", []string{"refund", "apology"})
		},
		func() (domain.Event, error) {
			return c.Close(actor(t, officerB, closeAt), "Complainant satisfied, Mrs Bloggs", retentionTo)
		},
	}
	for i, step := range steps {
		mustOK(t, fmt.Sprintf("step %d", i+1), step)
	}
	if len(c.Consents) != 2 || c.ClosureReason == "" {
		t.Fatalf("fixture: consents %d, closure reason %q", len(c.Consents), c.ClosureReason)
	}
	return c
}

func erased(t *testing.T) *domain.Complaint {
	t.Helper()
	c := closedAfterStage2(t)
	mustOK(t, "erase", func() (domain.Event, error) { return c.Erase(actor(t, "system:retention", eraseAt)) })
	return c
}

func closedWithoutRetention(t *testing.T) *domain.Complaint {
	t.Helper()
	c := responded2(t)
	mustOK(t, "close", func() (domain.Event, error) { return c.Close(actor(t, officerB, closeAt), "", calendar.Date{}) })
	return c
}
