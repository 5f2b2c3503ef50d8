package domain_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

func assertNotFound(t *testing.T, err error, message string) {
	t.Helper()
	var nf *domain.NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("err = %v (%T), want *NotFoundError %q", err, err, message)
	}
	if nf.Error() != message {
		t.Errorf("NotFoundError = %q, want %q", nf.Error(), message)
	}
}

// answered is a complaint at stage3_responded: enquiry 1 recorded and answered.
func answered(t *testing.T) *domain.Complaint {
	t.Helper()
	c := referred(t)
	mustOK(t, "enquiry", func() (domain.Event, error) {
		return c.RecordEnquiry(actor(t, officerC, enquiryAt), "Send the file.", enquiryDue)
	})
	mustOK(t, "answer", func() (domain.Event, error) { return c.RespondToEnquiry(actor(t, officerC, answerAt), 1, nil, "d-1") })
	return c
}

// An enquiry, remedy or consent that does not exist is reported as missing, whatever the
// complaint's state; never as a state error about the complaint. Nothing changes.
func TestUnknownPartIsNotFoundInEveryState(t *testing.T) {
	withRemedies := func(t *testing.T) *domain.Complaint {
		return decided(t, domain.LGOUpheldFaultInjustice, domain.RemedyInput{Description: "Apologise.", DueOn: remedyDue})
	}
	fixtures := append([]statusFixture{
		{domain.StatusStage3Referred, referred, referAt.Add(time.Hour)},
		{domain.StatusStage3Responded, answered, answerAt.Add(time.Hour)},
		{domain.StatusStage3Decided, withRemedies, decideAt.Add(time.Hour)},
	}, statusFixtures...)
	for _, fx := range fixtures {
		t.Run(string(fx.status), func(t *testing.T) {
			for _, tt := range []struct {
				message string
				act     func(c *domain.Complaint, a domain.Actor) (domain.Event, error)
			}{
				{"no enquiry 9 on this complaint", func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
					return c.RespondToEnquiry(a, 9, nil, "d-9")
				}},
				{"no enquiry 0 on this complaint", func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
					return c.RespondToEnquiry(a, 0, nil, "d-0")
				}},
				{"no remedy 9 on this complaint", func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
					return c.RecordCompliance(a, 9, "")
				}},
				{"no consent to share with police on this complaint", func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
					return c.WithdrawConsent("police", a)
				}},
			} {
				c := fx.build(t)
				before := *c
				e, err := tt.act(c, actor(t, officerC, fx.now))
				assertNotFound(t, err, tt.message)
				assertNoEvent(t, e)
				if !reflect.DeepEqual(*c, before) {
					t.Errorf("%s: the refusal changed the complaint", tt.message)
				}
			}
		})
	}
}

// Issue 8 item 15, the example exactly: answering enquiry 9 of a complaint at
// stage3_responded says there is no enquiry 9; an enquiry that exists but was answered
// still gets the state error.
func TestAnsweringEnquiry9(t *testing.T) {
	c := answered(t)
	_, err := c.RespondToEnquiry(actor(t, officerC, answerAt.Add(time.Hour)), 9, nil, "d-9")
	assertNotFound(t, err, "no enquiry 9 on this complaint")
	_, err = c.RespondToEnquiry(actor(t, officerC, answerAt.Add(time.Hour)), 1, nil, "d-2")
	var te *domain.TransitionError
	if !errors.As(err, &te) || te.Status != domain.StatusStage3Responded {
		t.Fatalf("answering enquiry 1 again: %v, want a TransitionError at stage3_responded", err)
	}
	if d := c.Deadline(3, domain.EnquiryKind(1)); d.MetBy != officerC || d.Computed.DueDate != calendar.NewDate(2026, 7, 13) {
		t.Errorf("enquiry 1 deadline met by %q, due %s", d.MetBy, d.Computed.DueDate)
	}
}
