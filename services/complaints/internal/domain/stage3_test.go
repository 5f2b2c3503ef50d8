package domain_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

// Stage 3 instants, London summer time (UTC+1) in 2026.
var (
	referAt    = london(2026, time.June, 10, 10, 0) // Wed, a week after the stage 2 response
	enquiryAt  = london(2026, time.June, 15, 9, 0)
	enquiryDue = calendar.NewDate(2026, time.July, 13)
	answerAt   = london(2026, time.July, 13, 23, 30) // half an hour before the enquiry's day ends
	decideAt   = london(2026, time.September, 1, 10, 0)
	decidedOn  = calendar.NewDate(2026, time.August, 28)
	remedyDue  = calendar.NewDate(2026, time.September, 30)
)

const lateWarningFormat = "The complainant first knew of the matter on %s, more than 12 months ago (the 12 months ended on %s). " +
	"The Ombudsman normally expects a complaint within 12 months, but may still accept it."

const notExhaustedWarning = "The council's complaints process was not completed. " +
	"The Ombudsman normally expects it to be, and may send the complaint back as premature, but may still accept it."

func referral(firstKnew calendar.Date, completed bool) domain.LGOReferral {
	return domain.LGOReferral{LGOReference: "25 012 345", FirstKnewOn: firstKnew, ProcessCompleted: completed,
		Details: "The council still has not collected the bins."}
}

func referred(t *testing.T) *domain.Complaint {
	t.Helper()
	c := responded2(t)
	mustOK(t, "refer", func() (domain.Event, error) {
		return c.ReferToLGO(actor(t, officerC, referAt), referral(calendar.NewDate(2026, 3, 20), true))
	})
	return c
}

func TestReferToLGOFromStage2Response(t *testing.T) {
	c := responded2(t)
	e, err := c.ReferToLGO(actor(t, officerC, referAt), referral(calendar.NewDate(2026, 3, 20), true))
	if err != nil {
		t.Fatalf("ReferToLGO: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage3.referred", Stage: 3,
		Detail: map[string]any{"from_status": "stage2_responded", "process_completed": true, "warnings": []string{}}})
	assertStatus(t, c, 3, domain.StatusStage3Referred)
	assertAllowed(t, c, domain.ActionRecordEnquiry, domain.ActionRecordDecision, domain.ActionRecordNecessity, domain.ActionClose)
	want := domain.Referral{LGOReference: "25 012 345", FirstKnewOn: calendar.NewDate(2026, 3, 20), ProcessCompleted: true,
		Details: "The council still has not collected the bins.", FromStatus: domain.StatusStage2Responded, FromStage: 2,
		ReferredAt: referAt, ReferredBy: officerC, Warnings: []domain.Warning{}}
	if !reflect.DeepEqual(c.Stage3.Referral, want) {
		t.Errorf("referral\n got %+v\nwant %+v", c.Stage3.Referral, want)
	}
	if got := c.Overdue(referAt.Add(365 * 24 * time.Hour)); len(got) != 0 {
		t.Errorf("a fresh referral has overdue deadlines: %v", got) // the stage 2 deadlines were met
	}
}

func TestReferToLGOTwelveMonthsBoundary(t *testing.T) {
	tests := []struct {
		name      string
		firstKnew calendar.Date
		at        time.Time
		late      bool
		limit     string
	}{
		{"exactly 12 months: the last day within", calendar.NewDate(2025, 6, 10), referAt, false, ""},
		{"12 months and a day", calendar.NewDate(2025, 6, 9), referAt, true, "2025-06-09/2026-06-09"},
		{"last minute of the last day (London)", calendar.NewDate(2025, 6, 10), london(2026, 6, 10, 23, 59), false, ""},
		{"first minute of the next London day (still 10 June in UTC)", calendar.NewDate(2025, 6, 10), london(2026, 6, 11, 0, 0), true, "2025-06-10/2026-06-10"},
		{"29 February: 28 February a year on is the last day", calendar.NewDate(2024, 2, 29), london(2025, 2, 28, 12, 0), false, ""},
		{"29 February: 1 March a year on is late", calendar.NewDate(2024, 2, 29), london(2025, 3, 1, 12, 0), true, "2024-02-29/2025-02-28"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := responded1(t) // only stage 1 answered: the record says the process was not exhausted
			if _, err := c.ReferToLGO(actor(t, officerC, tt.at), referral(tt.firstKnew, true)); err != nil {
				t.Fatalf("ReferToLGO: %v", err)
			}
			want := []domain.Warning{}
			if tt.late {
				knew, limit := tt.limit[:10], tt.limit[11:]
				want = []domain.Warning{{Code: "late_complaint", Detail: fmt.Sprintf(lateWarningFormat, knew, limit)}}
			}
			want = append(want, domain.Warning{Code: "process_not_exhausted", Detail: notExhaustedWarning})
			if got := c.Stage3.Referral.Warnings; !reflect.DeepEqual(got, want) {
				t.Errorf("warnings\n got %#v\nwant %#v", got, want)
			}
			assertStatus(t, c, 3, domain.StatusStage3Referred) // warned, never refused
		})
	}
}

func TestReferToLGOWarnsWhenProcessNotExhausted(t *testing.T) {
	c := responded1(t) // only stage 1 answered
	e, err := c.ReferToLGO(actor(t, officerC, referAt), referral(calendar.NewDate(2025, 1, 2), false))
	if err != nil {
		t.Fatalf("ReferToLGO: %v", err)
	}
	want := []domain.Warning{
		{Code: "late_complaint", Detail: fmt.Sprintf(lateWarningFormat, "2025-01-02", "2026-01-02")},
		{Code: "process_not_exhausted", Detail: notExhaustedWarning},
	}
	if !reflect.DeepEqual(c.Stage3.Referral.Warnings, want) {
		t.Errorf("warnings\n got %#v\nwant %#v", c.Stage3.Referral.Warnings, want)
	}
	assertEvent(t, e, domain.Event{Type: "stage3.referred", Stage: 3,
		Detail: map[string]any{"from_status": "stage1_responded", "process_completed": false, "warnings": []string{"late_complaint", "process_not_exhausted"}}})
	if c.Stage3.Referral.FromStage != 1 {
		t.Errorf("FromStage = %d, want 1", c.Stage3.Referral.FromStage)
	}
}

func TestReferToLGOReopensAComplaintClosedAfterAResponse(t *testing.T) {
	c := closedAfterStage2(t)
	if _, err := c.ReferToLGO(actor(t, officerC, referAt), referral(calendar.NewDate(2026, 3, 20), true)); err != nil {
		t.Fatalf("ReferToLGO: %v", err)
	}
	assertStatus(t, c, 3, domain.StatusStage3Referred)
	if c.ClosedAt != nil || !c.RetentionDue.IsZero() {
		t.Errorf("reopened complaint keeps ClosedAt %v RetentionDue %s", c.ClosedAt, c.RetentionDue)
	}
	if c.Stage3.Referral.FromStatus != domain.StatusClosed || c.Stage3.Referral.FromStage != 2 {
		t.Errorf("from %s stage %d", c.Stage3.Referral.FromStatus, c.Stage3.Referral.FromStage)
	}
}

func TestReferToLGORefusals(t *testing.T) {
	// Closed before any response (withdrawn): nothing for the Ombudsman to look at yet.
	c := logged(t)
	mustOK(t, "close", func() (domain.Event, error) { return c.Close(actor(t, officerA, ack1At), "withdrawn", retentionTo) })
	_, err := c.ReferToLGO(actor(t, officerC, referAt), referral(calendar.NewDate(2026, 3, 20), true))
	var te *domain.TransitionError
	if !errors.As(err, &te) || te.Action != domain.ActionReferLGO {
		t.Fatalf("refer a withdrawn complaint: %v", err)
	}
	// (A running stage 1 or 2 may be referred, with a warning: TestReferToLGOFromAnOpenStage.)
	c = responded2(t)
	in := referral(calendar.NewDate(2026, 3, 20), true)
	in.LGOReference = "  "
	_, err = c.ReferToLGO(actor(t, officerC, referAt), in)
	assertValidation(t, err, "lgo_reference")
	_, err = c.ReferToLGO(actor(t, officerC, referAt), referral(calendar.NewDate(2026, 6, 11), true))
	assertValidation(t, err, "first_knew_on")
	_, err = c.ReferToLGO(actor(t, officerC, referAt), referral(calendar.Date{}, true))
	assertValidation(t, err, "first_knew_on")
	if c.Stage3 != nil || c.Status != domain.StatusStage2Responded {
		t.Fatalf("refused referrals changed the complaint: %s %+v", c.Status, c.Stage3)
	}
}

func TestEnquiryDeadlineIsTheEndOfTheLondonDayTheOmbudsmanSet(t *testing.T) {
	c := referred(t)
	e, err := c.RecordEnquiry(actor(t, officerC, enquiryAt), "Please send the stage 2 response and your bin rota.", enquiryDue)
	if err != nil {
		t.Fatalf("RecordEnquiry: %v", err)
	}
	due := utc(2026, 7, 13, 23, 0) // BST
	assertEvent(t, e, domain.Event{Type: "stage3.enquiry_received", Stage: 3, Deadline: "stage3.enquiry:1", DueAt: &due,
		Detail: map[string]any{"enquiry": 1, "response_due_date": "2026-07-13"}})
	assertStatus(t, c, 3, domain.StatusStage3Enquiry)
	assertAllowed(t, c, domain.ActionRespondEnquiry, domain.ActionRecordNecessity, domain.ActionClose)
	assertDeadline(t, c, 3, domain.EnquiryKind(1), enquiryDue, due, nil)
	d := c.Deadline(3, domain.EnquiryKind(1))
	if d.Computed.Rule != calendar.RuleSetDate || d.Computed.Description != "date 2026-07-13 set by the Ombudsman on 2026-06-15" {
		t.Errorf("computation %q %q", d.Computed.Rule, d.Computed.Description)
	}
	if got := c.Overdue(due.Add(-time.Nanosecond)); len(got) != 0 {
		t.Errorf("overdue before the day ended: %v", got)
	}
	if got := c.Overdue(due); !reflect.DeepEqual(got, []string{"stage3.enquiry:1"}) {
		t.Errorf("overdue at the day's end: %v", got)
	}

	// Answered on time, with the documents listed.
	_, err = c.RespondToEnquiry(actor(t, officerC, answerAt), 2, nil, "d-1")
	assertNotFound(t, err, "no enquiry 2 on this complaint")
	e, err = c.RespondToEnquiry(actor(t, officerC, answerAt), 1, []string{"Stage 2 response letter", "Bin rota 2026"}, "d-1")
	if err != nil {
		t.Fatalf("RespondToEnquiry: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage3.enquiry_responded", Stage: 3, Deadline: "stage3.enquiry:1",
		Detail: map[string]any{"enquiry": 1, "on_time": true, "documents": 2}})
	assertStatus(t, c, 3, domain.StatusStage3Responded)
	assertDeadline(t, c, 3, domain.EnquiryKind(1), enquiryDue, due, &answerAt)
	got := c.Stage3.Enquiries[0]
	if !reflect.DeepEqual(got.Documents, []string{"Stage 2 response letter", "Bin rota 2026"}) || got.DisclosureID != "d-1" || got.RespondedBy != officerC {
		t.Errorf("enquiry %+v", got)
	}

	// A second enquiry gets its own deadline; a date already past is refused.
	_, err = c.RecordEnquiry(actor(t, officerC, decideAt), "More?", calendar.NewDate(2026, 8, 31))
	assertValidation(t, err, "response_due_on")
	if _, err := c.RecordEnquiry(actor(t, officerC, decideAt), "More?", calendar.NewDate(2026, 9, 14)); err != nil {
		t.Fatalf("second enquiry: %v", err)
	}
	assertDeadline(t, c, 3, domain.EnquiryKind(2), calendar.NewDate(2026, 9, 14), utc(2026, 9, 14, 23, 0), nil)
}

func decided(t *testing.T, outcome domain.LGOOutcome, remedies ...domain.RemedyInput) *domain.Complaint {
	t.Helper()
	c := referred(t)
	mustOK(t, "decide", func() (domain.Event, error) {
		return c.RecordDecision(actor(t, officerC, decideAt), domain.LGODecisionInput{Outcome: outcome, DecidedOn: decidedOn,
			Summary: "Fault causing injustice.", Remedies: remedies})
	})
	return c
}

func TestDecisionRemediesComplianceAndClosure(t *testing.T) {
	c := referred(t)
	in := domain.LGODecisionInput{Outcome: domain.LGOUpheldFaultInjustice, DecidedOn: decidedOn, Summary: "Fault causing injustice.",
		Remedies: []domain.RemedyInput{{Description: "Apologise in writing", DueOn: remedyDue}, {Description: "Pay £150", DueOn: calendar.NewDate(2026, 10, 30)}}}
	e, err := c.RecordDecision(actor(t, officerC, decideAt), in)
	if err != nil {
		t.Fatalf("RecordDecision: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage3.decided", Stage: 3, Outcome: "upheld_fault_injustice",
		Detail: map[string]any{"lgo_outcome": "upheld_fault_injustice", "decided_on": "2026-08-28", "remedies": 2}})
	assertStatus(t, c, 3, domain.StatusStage3Decided)
	assertAllowed(t, c, domain.ActionRecordCompliance, domain.ActionClose)
	remedy1Due := utc(2026, 9, 30, 23, 0)
	assertDeadline(t, c, 3, domain.RemedyKind(1), remedyDue, remedy1Due, nil)
	assertDeadline(t, c, 3, domain.RemedyKind(2), calendar.NewDate(2026, 10, 30), utc(2026, 10, 31, 0, 0), nil) // GMT again

	// Overdue once, at the end of the day set.
	if _, ok := c.MarkOverdue(3, domain.RemedyKind(1), remedy1Due.Add(-time.Nanosecond)); ok {
		t.Fatal("remedy overdue before its day ended")
	}
	e, ok := c.MarkOverdue(3, domain.RemedyKind(1), remedy1Due)
	if !ok {
		t.Fatal("remedy not overdue at its day's end")
	}
	assertEvent(t, e, domain.Event{Type: "deadline.overdue", Stage: 3, Deadline: "stage3.remedy:1", DueAt: &remedy1Due,
		Detail: map[string]any{"deadline": "stage3.remedy:1", "due_date": "2026-09-30"}})
	if _, ok := c.MarkOverdue(3, domain.RemedyKind(1), remedy1Due.Add(time.Hour)); ok {
		t.Fatal("remedy overdue raised twice")
	}

	// Closing with remedies outstanding is refused.
	_, err = c.Close(actor(t, officerC, remedy1Due), "", retentionTo)
	assertRule(t, err, "remedies_outstanding")

	late := remedy1Due.Add(2 * time.Hour)
	e, err = c.RecordCompliance(actor(t, officerC, late), 1, "Letter sent.")
	if err != nil {
		t.Fatalf("RecordCompliance: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "stage3.remedy_complied", Stage: 3, Deadline: "stage3.remedy:1",
		Detail: map[string]any{"remedy": 1, "on_time": false, "outstanding": 1}})
	_, err = c.RecordCompliance(actor(t, officerC, late), 1, "")
	assertRule(t, err, "remedy_already_complied")
	_, err = c.RecordCompliance(actor(t, officerC, late), 3, "")
	assertNotFound(t, err, "no remedy 3 on this complaint")
	mustOK(t, "comply 2", func() (domain.Event, error) { return c.RecordCompliance(actor(t, officerC, late), 2, "") })

	closedAt := london(2026, 10, 5, 12, 0)
	ends := calendar.NewDate(2036, 10, 5)
	e, err = c.Close(actor(t, officerC, closedAt), "", ends)
	if err != nil {
		t.Fatalf("Close: %v", err)
	}
	assertEvent(t, e, domain.Event{Type: "closed", Stage: 3, Detail: map[string]any{"after_response": true, "retention_due": "2036-10-05"}})
	assertAllowed(t, c) // a stage 3 complaint goes to the Ombudsman only once
	if got := c.Overdue(closedAt.Add(24 * time.Hour)); len(got) != 0 {
		t.Errorf("closed complaint overdue: %v", got)
	}

	// Erasure removes the stage 3 free text; the facts stay.
	mustOK(t, "erase", func() (domain.Event, error) { return c.Erase(actor(t, "system", ends.StartOfDay())) })
	s := c.Stage3
	if s.Referral.Details != "" || s.Remedies[0].Description != "" || s.Remedies[0].ComplianceNote != "" || s.Decision.Summary != "" {
		t.Errorf("stage 3 text survived erasure: %+v", s)
	}
	if s.Referral.LGOReference != "" {
		t.Errorf("the LGO reference survived erasure: %q", s.Referral.LGOReference)
	}
	if s.Decision.Outcome != domain.LGOUpheldFaultInjustice || s.Remedies[0].CompliedAt == nil {
		t.Errorf("stage 3 facts lost on erasure: %+v", s)
	}
}

func TestDecisionValidation(t *testing.T) {
	remedy := []domain.RemedyInput{{Description: "Apologise", DueOn: remedyDue}}
	tests := []struct {
		name  string
		in    domain.LGODecisionInput
		field string
	}{
		{"unknown outcome", domain.LGODecisionInput{Outcome: "upheld", DecidedOn: decidedOn, Summary: "x"}, "outcome"},
		{"remedies without fault", domain.LGODecisionInput{Outcome: domain.LGONotUpheld, DecidedOn: decidedOn, Summary: "x", Remedies: remedy}, "remedies"},
		{"premature with remedies", domain.LGODecisionInput{Outcome: domain.LGOPremature, DecidedOn: decidedOn, Summary: "x", Remedies: remedy}, "remedies"},
		{"decided in the future", domain.LGODecisionInput{Outcome: domain.LGONotUpheld, DecidedOn: calendar.NewDate(2026, 9, 2), Summary: "x"}, "decided_on"},
		{"no summary", domain.LGODecisionInput{Outcome: domain.LGONotUpheld, DecidedOn: decidedOn}, "summary"},
		{"remedy due before the decision", domain.LGODecisionInput{Outcome: domain.LGOUpheldFaultNoInjustice, DecidedOn: decidedOn, Summary: "x",
			Remedies: []domain.RemedyInput{{Description: "Train staff", DueOn: calendar.NewDate(2026, 8, 27)}}}, "remedies/0/due_on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := referred(t)
			_, err := c.RecordDecision(actor(t, officerC, decideAt), tt.in)
			assertValidation(t, err, tt.field)
			if c.Status != domain.StatusStage3Referred || c.Stage3.Decision != nil {
				t.Errorf("refused decision changed the complaint")
			}
		})
	}
	for _, o := range domain.LGOOutcomes {
		if got := decided(t, o).Status; got != domain.StatusStage3Decided {
			t.Errorf("%s: status %s", o, got)
		}
	}
}

func TestNecessityIsRecordedOnce(t *testing.T) {
	c := referred(t)
	_, err := c.RecordNecessity(actor(t, officerC, enquiryAt), " ")
	assertValidation(t, err, "reason")
	e := mustOK(t, "necessity", func() (domain.Event, error) {
		return c.RecordNecessity(actor(t, officerC, enquiryAt), "The Ombudsman asked about the ramp.")
	})
	assertEvent(t, e, domain.Event{Type: "stage3.necessity_recorded", Stage: 3, Detail: map[string]any{}})
	_, err = c.RecordNecessity(actor(t, officerC, enquiryAt), "again")
	assertRule(t, err, "necessity_already_recorded")
}
