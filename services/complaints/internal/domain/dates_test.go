package domain_test

import (
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/services/complaints/internal/domain"
)

// Every date a complaint's input carries has the bounds its meaning implies, checked with
// the actor's clock; a date outside them is refused naming the field and saying why.
func TestDateBounds(t *testing.T) {
	logAt := london(2026, time.April, 1, 10, 0) // today is 1 April 2026 (BST)
	firstKnew := calendar.NewDate(2026, time.March, 20)
	d := calendar.NewDate
	for _, tt := range []struct {
		name   string
		act    func(t *testing.T) error
		field  string // empty: accepted
		detail string
	}{
		// received_at: something that happened, at most 12 months ago.
		{"received now", receivedOn(logAt), "", ""},
		{"received within the clock skew", receivedOn(logAt.Add(calendar.ClockSkew)), "", ""},
		{"received beyond the clock skew", receivedOn(logAt.Add(calendar.ClockSkew + time.Microsecond)), "received_at", "cannot be in the future"},
		{"received in 2099", receivedOn(time.Date(2099, 1, 1, 9, 0, 0, 0, time.UTC)), "received_at", "cannot be in the future"},
		{"received 12 months ago", receivedOn(london(2025, time.April, 1, 0, 0)), "", ""},
		{"received 12 months and a day ago", receivedOn(london(2025, time.March, 31, 23, 59)), "received_at", "cannot be before 12 months ago (2025-04-01)"},
		{"received in 1066", receivedOn(time.Date(1066, 10, 14, 9, 0, 0, 0, time.UTC)), "received_at", "cannot be before 12 months ago (2025-04-01)"},

		// first_knew_on: a past day, not before 1900.
		{"first knew in 1900", referredWith(d(1900, 1, 1)), "", ""},
		{"first knew in 1899", referredWith(d(1899, 12, 31)), "first_knew_on", "cannot be before 1900-01-01"},
		{"first knew today", referredWith(calendar.DateOf(referAt)), "", ""},
		{"first knew tomorrow", referredWith(calendar.DateOf(referAt).AddDays(1)), "first_knew_on", "cannot be after today (2026-06-10)"},
		{"first knew in 2099", referredWith(d(2099, 1, 1)), "first_knew_on", "cannot be after today (2026-06-10)"},

		// response_due_on: the Ombudsman's date, from today to a year ahead.
		{"response due today", enquiryDueOn(d(2026, 6, 15)), "", ""},
		{"response due yesterday", enquiryDueOn(d(2026, 6, 14)), "response_due_on", "cannot be before today (2026-06-15)"},
		{"response due a year ahead", enquiryDueOn(d(2027, 6, 15)), "", ""},
		{"response due a year and a day ahead", enquiryDueOn(d(2027, 6, 16)), "response_due_on", "cannot be after a year from today (2027-06-15)"},

		// decided_on: between the day the complainant first knew and today.
		{"decided the day they first knew", decidedWith(firstKnew, nil), "", ""},
		{"decided before they first knew", decidedWith(firstKnew.AddDays(-1), nil), "decided_on",
			"cannot be before the day the complainant first knew of the matter (2026-03-20)"},
		{"decided tomorrow", decidedWith(d(2026, 9, 2), nil), "decided_on", "cannot be after today (2026-09-01)"},

		// remedies' due_on: from the decision to two years after it.
		{"remedy due on the decision day", decidedWith(decidedOn, []calendar.Date{decidedOn}), "", ""},
		{"remedy due before the decision", decidedWith(decidedOn, []calendar.Date{decidedOn.AddDays(-1)}), "remedies/0/due_on",
			"cannot be before the decision date (2026-08-28)"},
		{"remedy due two years on", decidedWith(decidedOn, []calendar.Date{d(2028, 8, 28)}), "", ""},
		{"second remedy due two years and a day on", decidedWith(decidedOn, []calendar.Date{remedyDue, d(2028, 8, 29)}), "remedies/1/due_on",
			"cannot be after two years after the decision (2028-08-28)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.act(t)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			assertValidation(t, err, tt.field)
			if got := err.(*casework.ValidationError).Detail; got != tt.detail {
				t.Errorf("detail %q, want %q", got, tt.detail)
			}
		})
	}
}

func receivedOn(at time.Time) func(t *testing.T) error {
	return func(t *testing.T) error {
		in := validNew()
		in.ReceivedAt = at
		_, _, err := domain.Log("c-1", "CMP-1", in, actor(t, officerA, london(2026, time.April, 1, 10, 0)))
		return err
	}
}

func referredWith(firstKnew calendar.Date) func(t *testing.T) error {
	return func(t *testing.T) error {
		c := responded2(t)
		_, err := c.ReferToLGO(actor(t, officerC, referAt), referral(firstKnew, true))
		if err == nil && c.Stage3.Referral.FirstKnewOn != firstKnew {
			t.Errorf("first knew on %s, want %s", c.Stage3.Referral.FirstKnewOn, firstKnew)
		}
		return err
	}
}

func enquiryDueOn(due calendar.Date) func(t *testing.T) error {
	return func(t *testing.T) error {
		c := referred(t)
		_, err := c.RecordEnquiry(actor(t, officerC, enquiryAt), "Send the file.", due)
		return err
	}
}

func decidedWith(decided calendar.Date, remedies []calendar.Date) func(t *testing.T) error {
	return func(t *testing.T) error {
		c := referred(t)
		in := domain.LGODecisionInput{Outcome: domain.LGOUpheldFaultInjustice, DecidedOn: decided, Summary: "Fault causing injustice."}
		for _, due := range remedies {
			in.Remedies = append(in.Remedies, domain.RemedyInput{Description: "Apologise.", DueOn: due})
		}
		_, err := c.RecordDecision(actor(t, officerC, decideAt), in)
		return err
	}
}
