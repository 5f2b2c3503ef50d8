package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
)

func published(t *testing.T, a Actor) *Decision {
	t.Helper()
	d, _, err := Receive("d1", Source{Kind: SourceManual, Team: "licensing"}, Conviction{Name: "Sam Subject", Town: "Maidstone",
		Offence: "Breach", Court: "Maidstone Magistrates' Court", Date: day(t, "2026-02-20"), Sentence: "Fine"}, day(t, "2027-03-02"), a)
	if err != nil {
		t.Fatal(err)
	}
	dr := Draft{Factors: Factors{Significance: Factor{"high", "r"}, CommunityEffect: Factor{"high", "r"}, Frequency: Factor{"low", "r"},
		Publicity: Factor{"low", "r"}}, Offender: OffenderSide{AgeAtConviction: 40}, Sentence: Sentence{Type: SentenceFine},
		Proportionality: Proportionality{Proportionate: true, Conclusion: "c"}, Outcome: OutcomePublishWebsite, Reasons: "r"}
	if _, err := d.SubmitDraft(dr, Actor{Officer: "olive", Now: a.Now, Cal: a.Cal}); err != nil {
		t.Fatal(err)
	}
	return d
}

func invalidField(err error) string {
	var invalid *ValidationError
	if !errors.As(err, &invalid) {
		return ""
	}
	return invalid.Field
}

// Every reason or note the domain requires is refused when blank, white space alone
// included, whatever the API checked before; and what it keeps is trimmed.
func TestBlankReasonsAreRefusedByTheDomain(t *testing.T) {
	a := Actor{Officer: "maria", Now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), Cal: cal(t)}
	for _, blank := range []string{"", " ", "\t\n "} {
		d := published(t, a)
		if _, err := d.SendBack(blank, a); invalidField(err) != "reason" {
			t.Errorf("send back with %q: %v", blank, err)
		}
		if _, err := d.Approve(1, calendar.Date{}, a); err != nil {
			t.Fatal(err)
		}
		if _, err := d.TakeDown(blank, calendar.Date{}, a); invalidField(err) != "reason" {
			t.Errorf("take down with %q: %v", blank, err)
		}
		if _, err := d.RecordAppeal(Appeal{DecidedOn: day(t, "2026-03-01"), Court: blank}, calendar.Date{}, a); invalidField(err) != "court" {
			t.Errorf("an appeal with court %q: %v", blank, err)
		}
		if d.Status != StatusPublished || d.Appeal != nil {
			t.Fatalf("a refusal changed the decision: %+v", d)
		}
	}
	d := published(t, a)
	if _, err := d.SendBack("  Rate it again.  ", a); err != nil || d.SentBack.Reason != "  Rate it again.  " { // kept as sent
		t.Errorf("sent back: %v, %+v", err, d.SentBack)
	}
}

// A conviction's text is refused, as its field's validation error, when the database could
// not store it (a consumed disclosure is then dead-lettered, not retried), and its town
// when it is a street address.
func TestReceiveRefusesWhatCannotBeKeptOrPublished(t *testing.T) {
	a := Actor{Officer: "system", Now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), Cal: cal(t)}
	good := Conviction{Name: "Sam Subject", Town: "Maidstone", Offence: "Breach", Court: "Court", Date: day(t, "2026-02-20"), Sentence: "Fine"}
	for _, tc := range []struct {
		change func(c *Conviction)
		field  string
	}{
		{func(c *Conviction) { c.Name = "Sam\x00Subject" }, "conviction/name"},
		{func(c *Conviction) { c.Offence = "Breach \xff" }, "conviction/offence"},
		{func(c *Conviction) { c.Town = "Maid\x00stone" }, "conviction/town"},
		{func(c *Conviction) { c.Town = "3 Mill Lane, Maidstone" }, "conviction/town"},
		{func(c *Conviction) { c.Town = "Maidstone ME15 6JQ" }, "conviction/town"},
		{func(c *Conviction) { c.Town = " \t" }, "conviction/town"},
		{func(c *Conviction) { c.Court = "  " }, "conviction/court"},
		{func(c *Conviction) { c.Date = day(t, "1899-12-31") }, "conviction/date"},
		{func(c *Conviction) { c.Date = day(t, "2026-03-03") }, "conviction/date"},
	} {
		c := good
		tc.change(&c)
		if _, _, err := Receive("d", Source{Kind: SourceInvestigations}, c, calendar.Date{}, a); invalidField(err) != tc.field {
			t.Errorf("%+v: %v, want a validation error on %s", c, err, tc.field)
		}
	}
	if _, _, err := Receive("d", Source{Kind: SourceInvestigations}, Conviction{Name: "Sam", Offence: "o", Court: "c", Date: day(t, "2026-02-20"),
		Sentence: "s"}, calendar.Date{}, a); err != nil {
		t.Errorf("a conviction without a town: %v", err)
	}
}

// Once the retention of an undecided conviction has ended (1 year from receipt), nothing
// may be approved, sent back, drafted or recorded on it, though the retention sweep has not
// erased it yet: approving it would publish, and keep, data the notice says is deleted. The
// day before, it may still be approved.
func TestNothingIsDecidedOnceRetentionHasEnded(t *testing.T) {
	c := cal(t)
	received := Actor{Officer: "system", Now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), Cal: c}
	awaiting := func() *Decision {
		d := published(t, received) // drafted, awaiting approval; kept until 2027-03-02 unless approved
		d.Draft.Sentence = Sentence{Type: SentenceCommunityOrder, EndsOn: day(t, "2028-02-19")}
		return d
	}
	dayBefore := Actor{Officer: "maria", Now: time.Date(2027, 3, 1, 23, 59, 0, 0, time.UTC), Cal: c}
	if d := awaiting(); d.RetentionDue != day(t, "2027-03-02") {
		t.Fatalf("kept until %s, want 2027-03-02", d.RetentionDue)
	} else if _, err := d.Approve(1, day(t, "2033-03-01"), dayBefore); err != nil || d.Status != StatusPublished {
		t.Fatalf("approved the day before retention ends: %v, %s", err, d.Status)
	}
	onTheDay := Actor{Officer: "maria", Now: time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC), Cal: c}
	ended := func(err error) bool {
		var rule *RuleError
		return errors.As(err, &rule) && rule.Rule == "erased" && strings.Contains(rule.Detail, "ended on 2027-03-02")
	}
	d := awaiting()
	if _, err := d.Approve(1, day(t, "2033-03-02"), onTheDay); !ended(err) {
		t.Errorf("approve on the day retention ends: %v", err)
	}
	if _, err := d.SendBack("Rate it again.", onTheDay); !ended(err) {
		t.Errorf("send back on the day retention ends: %v", err)
	}
	if _, err := d.RecordAppeal(Appeal{DecidedOn: day(t, "2027-03-01"), Court: "Crown Court"}, day(t, "2033-03-02"), onTheDay); !ended(err) {
		t.Errorf("appeal on the day retention ends: %v", err)
	}
	if d.Status != StatusAwaitingApproval || d.ApprovedBy != "" || d.Takedown != nil || d.Appeal != nil || d.RetentionDue != day(t, "2027-03-02") {
		t.Fatalf("a refusal changed the decision: %+v", d)
	}
}
