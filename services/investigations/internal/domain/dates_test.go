package domain

import (
	"errors"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

type areas struct{}

func (areas) IsArea(string) bool { return true }

// Every date an investigation's input carries has the bounds its meaning implies, checked
// with the service's clock; a date outside them is refused naming the field and saying why.
func TestDateBounds(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) // today is Monday 2 March 2026 (GMT)
	ids := 0
	newID := func() string { ids++; return "id-" + string(rune('a'+ids)) }
	open := func(change func(in *NewInvestigation)) func() error {
		return func() error {
			in := NewInvestigation{Area: "noise", Matter: Matter{Summary: "Loud music"}, People: []Person{{Role: RoleWitness, Name: "W"}}}
			change(&in)
			_, _, err := Open("c-1", in, areas{}, "olive", now, newID)
			return err
		}
	}
	opened := func(t *testing.T) *Investigation {
		c, _, err := Open("c-1", NewInvestigation{Area: "noise", Matter: Matter{Summary: "Loud music"}, ReceivedAt: now.Add(-48 * time.Hour),
			People: []Person{{Role: RoleSubject, Name: "S"}}}, areas{}, "olive", now, newID)
		if err != nil {
			t.Fatal(err)
		}
		c.Status = StatusProsecution
		return c
	}
	convicted := func(date string) func() error {
		return func() error {
			_, err := opened(t).RecordOutcome(Outcome{Kind: OutcomeConviction, Offence: "noise", Court: "Maidstone Magistrates",
				Date: date, Sentence: "fine", SentenceLength: NoSentenceTerm, RecordedAt: now})
			return err
		}
	}
	person := func(dob string) func() error {
		return func() error {
			_, err := opened(t).AddPerson(Person{Role: RoleVictim, Name: "V", DateOfBirth: dob}, now, newID)
			return err
		}
	}
	evidence := func(at time.Time) func() error {
		return func() error {
			_, err := opened(t).AddEvidence(EvidenceItem{Kind: EvidencePhoto, Description: "p", CapturedAt: at}, now, newID)
			return err
		}
	}
	email := func(at time.Time) func() error {
		return func() error {
			_, err := opened(t).AddEmail(Email{From: "a@example.org", Subject: "s", Body: "b", ReceivedAt: at}, now, newID)
			return err
		}
	}
	for _, tt := range []struct {
		name          string
		act           func() error
		field, detail string // empty: accepted
	}{
		// Issue 8 item 10's example: a date of birth in 2099.
		{"born in 2099", person("2099-01-01"), "date_of_birth", "cannot be after today (2026-03-02)"},
		{"born tomorrow", person("2026-03-03"), "date_of_birth", "cannot be after today (2026-03-02)"},
		{"born today", person("2026-03-02"), "", ""},
		{"born in 1900", person("1900-01-01"), "", ""},
		{"born in 1899", person("1899-12-31"), "date_of_birth", "cannot be before 1900-01-01"},
		{"born on 30 February", person("2001-02-30"), "date_of_birth", "must be a date (YYYY-MM-DD)"},
		{"born at a time", person("2001-02-03T00:00:00Z"), "date_of_birth", "must be a date (YYYY-MM-DD)"},
		{"a reported person born in 2099", open(func(in *NewInvestigation) { in.People[0].DateOfBirth = "2099-01-01" }),
			"people/0/date_of_birth", "cannot be after today (2026-03-02)"},

		{"received within the clock skew", open(func(in *NewInvestigation) { in.ReceivedAt = now.Add(calendar.ClockSkew) }), "", ""},
		{"received beyond the clock skew", open(func(in *NewInvestigation) { in.ReceivedAt = now.Add(calendar.ClockSkew + time.Microsecond) }),
			"received_at", "cannot be in the future"},
		{"received 12 months ago", open(func(in *NewInvestigation) { in.ReceivedAt = time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC) }), "", ""},
		{"received 12 months and a day ago", open(func(in *NewInvestigation) { in.ReceivedAt = time.Date(2025, 3, 1, 23, 59, 0, 0, time.UTC) }),
			"received_at", "cannot be before 12 months ago (2025-03-02)"},

		{"matter two years ahead (a planned event)", open(func(in *NewInvestigation) { in.Matter.Dates = []string{"2028-03-02"} }), "", ""},
		{"matter beyond two years ahead", open(func(in *NewInvestigation) { in.Matter.Dates = []string{"2026-02-20", "2028-03-03"} }),
			"matter/dates/1", "cannot be after two years from today (2028-03-02)"},
		{"matter in 1899", open(func(in *NewInvestigation) { in.Matter.Dates = []string{"1899-12-31"} }), "matter/dates/0", "cannot be before 1900-01-01"},

		{"captured within the clock skew", evidence(now.Add(calendar.ClockSkew)), "", ""},
		{"captured in the future", evidence(now.Add(time.Hour)), "captured_at", "cannot be in the future"},
		{"captured in 1899", evidence(time.Date(1899, 12, 31, 12, 0, 0, 0, time.UTC)), "captured_at", "cannot be before 1900-01-01"},
		{"evidence in a report captured in the future", open(func(in *NewInvestigation) {
			in.Evidence = []EvidenceItem{{Kind: EvidencePhoto, Description: "p", CapturedAt: now.Add(time.Hour)}}
		}), "evidence/0/captured_at", "cannot be in the future"},

		{"e-mail received in 1990", email(time.Date(1990, 1, 1, 12, 0, 0, 0, time.UTC)), "", ""},
		{"e-mail received in 1989", email(time.Date(1989, 12, 31, 12, 0, 0, 0, time.UTC)), "received_at", "cannot be before 1990-01-01"},
		{"e-mail received in the future", email(now.Add(time.Hour)), "received_at", "cannot be in the future"},

		{"convicted today", convicted("2026-03-02"), "", ""},
		{"convicted the day the report came", convicted("2026-02-28"), "", ""},
		{"convicted before the report came", convicted("2026-02-27"), "date", "cannot be before the day the report was received (2026-02-28)"},
		{"convicted tomorrow", convicted("2026-03-03"), "date", "cannot be after today (2026-03-02)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.act()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ve *casework.ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field || ve.Detail != tt.detail {
				t.Fatalf("err %v (%T), want %s: %s", err, err, tt.field, tt.detail)
			}
		})
	}
}
