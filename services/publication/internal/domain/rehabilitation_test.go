package domain

import (
	"testing"
	"time"

	"casework.dev/pkg/calendar"
)

func cal(t *testing.T) *calendar.Calendar {
	t.Helper()
	c, err := calendar.New(calendar.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func day(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestSpentDatesAtTheBoundaries checks each row of the Act's table (as amended from 28
// October 2023) for adults and for those under 18, at the edges of the custody bands: the
// first day spent, with the day before it still unspent.
func TestSpentDatesAtTheBoundaries(t *testing.T) {
	c := cal(t)
	cases := []struct {
		name      string
		convicted string
		sentence  Sentence
		under18   bool
		spentOn   string // "" for never
	}{
		{"absolute discharge: spent on conviction", "2026-03-01", Sentence{Type: SentenceAbsoluteDischarge}, false, "2026-03-01"},
		{"fine, adult: 1 year beginning with conviction", "2026-03-01", Sentence{Type: SentenceFine}, false, "2027-03-01"},
		{"fine, under 18: 6 months", "2026-03-01", Sentence{Type: SentenceFine}, true, "2026-09-01"},
		{"fine on 29 February, adult: the period ends on 28 February, spent on 1 March", "2028-02-29", Sentence{Type: SentenceFine}, false, "2029-03-01"},
		{"custody completed on 31 August, under 18, 6 months: spent on 1 March", "2026-03-01", Sentence{Type: SentenceCustody, Term: "6m", EndsOn: day(t, "2026-08-31")}, true, "2027-03-01"},
		{"conditional discharge: the day after the order ends", "2026-03-01", Sentence{Type: SentenceConditionalDischarge, EndsOn: day(t, "2027-02-28")}, false, "2027-03-01"},
		{"community order, adult: the day after it ends", "2026-03-01", Sentence{Type: SentenceCommunityOrder, EndsOn: day(t, "2026-12-31")}, false, "2027-01-01"},
		{"youth rehabilitation order: the day after it ends", "2026-03-01", Sentence{Type: SentenceCommunityOrder, EndsOn: day(t, "2026-12-31")}, true, "2027-01-01"},
		{"custody of exactly 1 year, adult: 1 year after it is completed", "2026-03-01", Sentence{Type: SentenceCustody, Term: "1y", EndsOn: day(t, "2026-09-01")}, false, "2027-09-01"},
		{"custody of 12 months, under 18: 6 months", "2026-03-01", Sentence{Type: SentenceCustody, Term: "12m", EndsOn: day(t, "2026-09-01")}, true, "2027-03-01"},
		{"custody of 52 weeks is 1 year or less", "2026-03-01", Sentence{Type: SentenceCustody, Term: "52w", EndsOn: day(t, "2026-09-01")}, false, "2027-09-01"},
		{"custody of 1 year and a day, adult: 4 years", "2026-03-01", Sentence{Type: SentenceCustody, Term: "1y1d", EndsOn: day(t, "2027-03-02")}, false, "2031-03-02"},
		{"custody of 1 year and a day, under 18: 2 years", "2026-03-01", Sentence{Type: SentenceCustody, Term: "12m1d", EndsOn: day(t, "2027-03-02")}, true, "2029-03-02"},
		{"custody of exactly 4 years, adult: 4 years", "2026-03-01", Sentence{Type: SentenceCustody, Term: "4y", EndsOn: day(t, "2030-03-01")}, false, "2034-03-01"},
		{"custody of 4 years and a day, adult: 7 years", "2026-03-01", Sentence{Type: SentenceCustody, Term: "4y1d", EndsOn: day(t, "2030-03-02")}, false, "2037-03-02"},
		{"custody of more than 4 years, under 18: 3 years 6 months", "2026-03-01", Sentence{Type: SentenceCustody, Term: "5y", EndsOn: day(t, "2031-03-01")}, true, "2034-09-01"},
		{"excluded from rehabilitation: never spent", "2026-03-01", Sentence{Type: SentenceCustodyNeverSpent}, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			convicted := day(t, tc.convicted)
			if err := tc.sentence.Validate(convicted); err != nil {
				t.Fatalf("valid sentence refused: %v", err)
			}
			r := Rehabilitate(c, convicted, tc.sentence, tc.under18)
			if tc.spentOn == "" {
				if !r.NeverSpent || !r.SpentOn.IsZero() || r.Computation != nil {
					t.Fatalf("want never spent, got %+v", r)
				}
				return
			}
			if r.NeverSpent || r.SpentOn != day(t, tc.spentOn) {
				t.Fatalf("spent on %s (never %v), want %s; rule %q", r.SpentOn, r.NeverSpent, tc.spentOn, r.Rule)
			}
			// How it was computed: the last day of the period of months, spent the day after;
			// with no period (a discharge, an order), spent on the day itself.
			rule, lastDay := calendar.RuleMonthsBeginningWith, r.SpentOn.AddDays(-1)
			if tc.sentence.Type == SentenceAbsoluteDischarge || tc.sentence.Type == SentenceConditionalDischarge || tc.sentence.Type == SentenceCommunityOrder {
				rule, lastDay = calendar.RuleMonths, r.SpentOn
			}
			if r.Computation == nil || r.Computation.DueDate != lastDay || r.Computation.Rule != rule || r.Rule == "" {
				t.Fatalf("how it was computed is not recorded: %+v", r)
			}
		})
	}
}

func TestSentenceNeedsWhatItsTypeNeeds(t *testing.T) {
	convicted := day(t, "2026-03-01")
	cases := map[string]struct {
		s     Sentence
		field string
	}{
		"custody without a term":        {Sentence{Type: SentenceCustody, EndsOn: day(t, "2026-09-01")}, "sentence/term"},
		"custody without an end":        {Sentence{Type: SentenceCustody, Term: "6m"}, "sentence/ends_on"},
		"a term in hours":               {Sentence{Type: SentenceCustody, Term: "72h", EndsOn: day(t, "2026-09-01")}, "sentence/term"},
		"a fine with a term":            {Sentence{Type: SentenceFine, Term: "6m"}, "sentence/term"},
		"a fine with an end date":       {Sentence{Type: SentenceFine, EndsOn: day(t, "2026-09-01")}, "sentence/ends_on"},
		"an order ending before":        {Sentence{Type: SentenceCommunityOrder, EndsOn: day(t, "2026-02-28")}, "sentence/ends_on"},
		"an unknown type":               {Sentence{Type: "caution"}, "sentence/type"},
		"a conditional discharge alone": {Sentence{Type: SentenceConditionalDischarge}, "sentence/ends_on"},
	}
	for name, tc := range cases {
		err := tc.s.Validate(convicted)
		v, ok := err.(*ValidationError)
		if !ok || v.Field != tc.field {
			t.Errorf("%s: got %v, want a validation error on %s", name, err, tc.field)
		}
	}
}

// TestTakedownIsWhicheverComesFirst: the publication period from today, unless the
// conviction becomes spent sooner; never past the spent date.
func TestTakedownIsWhicheverComesFirst(t *testing.T) {
	c := cal(t)
	a := Actor{Officer: "m", Now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), Cal: c}
	fine := func(convicted string) Rehabilitation {
		return Rehabilitate(c, day(t, convicted), Sentence{Type: SentenceFine}, false)
	}
	cases := []struct {
		name   string
		r      Rehabilitation
		months int
		on     string
		reason TakedownReason
	}{
		{"period first", fine("2026-02-20"), 1, "2026-04-02", TakedownPublicationPeriod},
		{"spent first", fine("2025-03-20"), 1, "2026-03-20", TakedownSpent},
		{"spent on the period's last day: spent", fine("2025-04-02"), 1, "2026-04-02", TakedownSpent},
		{"never spent: the period", Rehabilitate(c, day(t, "2026-02-20"), Sentence{Type: SentenceCustodyNeverSpent}, false), 3, "2026-06-02", TakedownPublicationPeriod},
	}
	for _, tc := range cases {
		p := PlanTakedown(a, tc.months, tc.r)
		if p.On != day(t, tc.on) || p.Reason != tc.reason || p.PublicationPeriod.Amount != tc.months || p.PublicationPeriod.Rule != calendar.RuleMonths {
			t.Errorf("%s: takedown %s (%s), period %+v; want %s (%s)", tc.name, p.On, p.Reason, p.PublicationPeriod, tc.on, tc.reason)
		}
	}
}
