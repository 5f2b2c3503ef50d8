package domain_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

// textField is one text a complaint keeps: how to send it, and where it ends up.
type textField struct {
	name     string
	field    string // the refusal's field
	max      int    // the contract's maxLength, in characters
	required bool   // refused when empty or white space alone
	// set sends text in the field to a complaint in the right state and returns what the
	// complaint then holds there.
	set func(t *testing.T, text string) (stored string, err error)
}

func textFields() []textField {
	logWith := func(set func(*domain.NewComplaint, string), get func(*domain.Complaint) string) func(t *testing.T, text string) (string, error) {
		return func(t *testing.T, text string) (string, error) {
			in := validNew()
			set(&in, text)
			c, _, err := domain.Log("c-1", "CMP-1", in, actor(t, officerA, receivedAt))
			if err != nil {
				return "", err
			}
			return get(c), nil
		}
	}
	enquired := func(t *testing.T) *domain.Complaint {
		c := referred(t)
		mustOK(t, "enquiry", func() (domain.Event, error) {
			return c.RecordEnquiry(actor(t, officerC, enquiryAt), "Why?", enquiryDue)
		})
		return c
	}
	decision := func(summary, remedy string) domain.LGODecisionInput {
		return domain.LGODecisionInput{Outcome: domain.LGOUpheldFaultInjustice, DecidedOn: decidedOn, Summary: summary,
			Remedies: []domain.RemedyInput{{Description: remedy, DueOn: remedyDue}}}
	}
	return []textField{
		{"details", "details", 20000, true, logWith(func(n *domain.NewComplaint, s string) { n.Details = s },
			func(c *domain.Complaint) string { return c.Details })},
		{"special details", "special_details", 20000, false, logWith(func(n *domain.NewComplaint, s string) { n.SpecialDetails = s },
			func(c *domain.Complaint) string { return c.SpecialDetails })},
		{"complainant's name", "complainant/name", 0, true, logWith(func(n *domain.NewComplaint, s string) { n.Complainant.Name = s },
			func(c *domain.Complaint) string { return c.Complainant.Name })},
		{"complainant's address", "complainant/address", 0, false, logWith(func(n *domain.NewComplaint, s string) { n.Complainant.Address = s },
			func(c *domain.Complaint) string { return c.Complainant.Address })},
		{"extension reason", "reason", 2000, true, func(t *testing.T, s string) (string, error) {
			c := acknowledged1(t)
			if _, err := c.Extend(actor(t, officerA, ack1At), 5, s); err != nil {
				return "", err
			}
			return c.Deadline(1, domain.DeadlineRespond).Computed.Extensions[0].Reason, nil
		}},
		{"response summary", "summary", 20000, true, func(t *testing.T, s string) (string, error) {
			c := acknowledged1(t)
			_, err := c.Respond(actor(t, officerA, respond1At), domain.OutcomeUpheld, s, nil)
			return responseSummary(c), err
		}},
		{"remedy", "remedies/0", 2000, true, func(t *testing.T, s string) (string, error) {
			c := acknowledged1(t)
			if _, err := c.Respond(actor(t, officerA, respond1At), domain.OutcomeUpheld, "Upheld.", []string{s}); err != nil {
				return "", err
			}
			return c.Responses[1].Remedies[0], nil
		}},
		{"further details", "further_details", 20000, true, func(t *testing.T, s string) (string, error) {
			c := responded1(t)
			_, err := c.Escalate(actor(t, officerA, escalateAt), s, officerB)
			return c.Stage2Details, err
		}},
		{"close reason before a response", "reason", 2000, true, func(t *testing.T, s string) (string, error) {
			c := logged(t)
			_, err := c.Close(actor(t, officerA, ack1At), s, retentionTo)
			return c.ClosureReason, err
		}},
		{"close reason after a response", "reason", 2000, false, func(t *testing.T, s string) (string, error) {
			c := responded2(t)
			_, err := c.Close(actor(t, officerB, closeAt), s, retentionTo)
			return c.ClosureReason, err
		}},
		{"referral details", "details", 20000, false, func(t *testing.T, s string) (string, error) {
			c := responded2(t)
			in := referral(calendar.NewDate(2026, 3, 20), true)
			in.Details = s
			if _, err := c.ReferToLGO(actor(t, officerC, referAt), in); err != nil {
				return "", err
			}
			return c.Stage3.Referral.Details, nil
		}},
		{"Ombudsman's questions", "questions", 20000, true, func(t *testing.T, s string) (string, error) {
			c := referred(t)
			if _, err := c.RecordEnquiry(actor(t, officerC, enquiryAt), s, enquiryDue); err != nil {
				return "", err
			}
			return c.Stage3.Enquiries[0].Questions, nil
		}},
		{"document title", "documents/0", 300, true, func(t *testing.T, s string) (string, error) {
			c := enquired(t)
			if _, err := c.RespondToEnquiry(actor(t, officerC, answerAt), 1, []string{s}, "d-1"); err != nil {
				return "", err
			}
			return c.Stage3.Enquiries[0].Documents[0], nil
		}},
		{"necessity reason", "reason", 2000, true, func(t *testing.T, s string) (string, error) {
			c := referred(t)
			if _, err := c.RecordNecessity(actor(t, officerC, enquiryAt), s); err != nil {
				return "", err
			}
			return c.Stage3.Necessity.Reason, nil
		}},
		{"decision summary", "summary", 20000, true, func(t *testing.T, s string) (string, error) {
			c := referred(t)
			if _, err := c.RecordDecision(actor(t, officerC, decideAt), decision(s, "Apologise")); err != nil {
				return "", err
			}
			return c.Stage3.Decision.Summary, nil
		}},
		{"Ombudsman's remedy", "remedies/0/description", 2000, true, func(t *testing.T, s string) (string, error) {
			c := referred(t)
			if _, err := c.RecordDecision(actor(t, officerC, decideAt), decision("Fault.", s)); err != nil {
				return "", err
			}
			return c.Stage3.Remedies[0].Description, nil
		}},
		{"compliance note", "note", 2000, false, func(t *testing.T, s string) (string, error) {
			c := decided(t, domain.LGOUpheldFaultInjustice, domain.RemedyInput{Description: "Apologise", DueOn: remedyDue})
			if _, err := c.RecordCompliance(actor(t, officerC, decideAt), 1, s); err != nil {
				return "", err
			}
			return c.Stage3.Remedies[0].ComplianceNote, nil
		}},
		{"legal hold reason", "reason", 2000, true, func(t *testing.T, s string) (string, error) {
			c := closedAfterStage2(t)
			if _, err := c.SetLegalHold(s, actor(t, officerC, closeAt)); err != nil {
				return "", err
			}
			return c.LegalHold.Reason, nil
		}},
	}
}

func responseSummary(c *domain.Complaint) string {
	if r := c.Responses[1]; r != nil {
		return r.Summary
	}
	return ""
}

// Free text is stored exactly as sent, white space around it included (it was trimmed),
// and refused naming its field only where it is required and empty or white space alone.
func TestFreeTextIsKeptExactlyAsSent(t *testing.T) {
	for _, f := range textFields() {
		t.Run(f.name, func(t *testing.T) {
			for _, sent := range []string{"  withdrawn by phone  ", "\u00a0Ada Lovelace\t", "line one\r\nline two\n"} {
				stored, err := f.set(t, sent)
				if err != nil {
					t.Fatalf("%q: %v", sent, err)
				}
				if stored != sent {
					t.Errorf("sent %q, stored %q", sent, stored)
				}
			}
			for _, sent := range []string{"", " ", " \t\r\n\u00a0"} {
				_, err := f.set(t, sent)
				if !f.required {
					if err != nil {
						t.Errorf("optional text %q refused: %v", sent, err)
					}
					continue
				}
				assertValidation(t, err, f.field)
			}
		})
	}
}

// A limit the contract states in characters (JSON Schema's maxLength counts code points) is
// counted in characters, not UTF-8 bytes: "é" is two bytes and "😀" four, each one character.
func TestLengthsAreCountedInCharactersAsTheContractCountsThem(t *testing.T) {
	for _, f := range textFields() {
		if f.max == 0 {
			continue // the contract's limit alone (its validator counts characters)
		}
		t.Run(f.name, func(t *testing.T) {
			for _, char := range []string{"é", "😀", "x"} {
				longest := strings.Repeat(char, f.max)
				stored, err := f.set(t, longest)
				if err != nil {
					t.Fatalf("%d × %q (%d bytes) refused: %v", f.max, char, len(longest), err)
				}
				if stored != longest {
					t.Errorf("%d × %q stored as %d characters", f.max, char, utf8.RuneCountInString(stored))
				}
				_, err = f.set(t, longest+char)
				assertValidation(t, err, f.field)
			}
		})
	}
}

// The Ombudsman's reference is an identifier: kept as typed, refused (never trimmed) with
// white space around it, and counted in characters.
func TestLGOReferenceIsRefusedRatherThanTrimmed(t *testing.T) {
	refer := func(t *testing.T, ref string) (*domain.Complaint, error) {
		c := responded2(t)
		in := referral(calendar.NewDate(2026, 3, 20), true)
		in.LGOReference = ref
		_, err := c.ReferToLGO(actor(t, officerC, referAt), in)
		return c, err
	}
	for _, ref := range []string{" 25 012 345", "25 012 345\t", "\u00a025 012 345", "", "  ", strings.Repeat("é", 101)} {
		c, err := refer(t, ref)
		assertValidation(t, err, "lgo_reference")
		if c.Stage3 != nil {
			t.Errorf("%q: refused referral recorded %+v", ref, c.Stage3.Referral)
		}
	}
	_, err := refer(t, " 25 012 345 ")
	if err == nil || err.Error() != "lgo_reference: must not begin or end with white space" {
		t.Errorf("err = %v", err)
	}
	for _, ref := range []string{"25 012 345", strings.Repeat("é", 100), strings.Repeat("😀", 100)} {
		c, err := refer(t, ref)
		if err != nil {
			t.Fatalf("%q: %v", ref, err)
		}
		if c.Stage3.Referral.LGOReference != ref {
			t.Errorf("stored %q, want %q", c.Stage3.Referral.LGOReference, ref)
		}
	}
}
