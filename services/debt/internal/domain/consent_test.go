package domain

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
)

// A consent names the debtor who gave it: the only one of a case of one when none is
// named; on a joint case one must be, and one the case names. It stands for that debtor
// alone, and a refusal changes nothing.
func TestAConsentIsTheDebtorsWhoGaveIt(t *testing.T) {
	a := testActor(t, referredOn)
	single := newCase(t, 100000)
	if _, err := single.RecordConsent(0, "debt-advice-agency", a); err != nil {
		t.Fatal(err)
	}
	if !single.HasConsent(1, "debt-advice-agency") || !reflect.DeepEqual(single.ConsentingDebtors("debt-advice-agency"), []int{1}) {
		t.Fatalf("the only debtor's consent: %+v", single.Consents)
	}

	joint := newCase(t, 100000)
	joint.Debtor.Names = []string{"A Debtor", "B Debtor"}
	for _, tc := range []struct {
		debtor int
		detail string
	}{
		{0, "name the debtor who gives the consent: their position in the case's names, 1 to 2"},
		{3, "the case names no debtor 3"},
		{-1, "the case names no debtor -1"},
	} {
		_, err := joint.RecordConsent(tc.debtor, "debt-advice-agency", a)
		var invalid *casework.ValidationError
		if !errors.As(err, &invalid) || invalid.Field != "debtor" || invalid.Detail != tc.detail || len(joint.Consents) != 0 {
			t.Errorf("debtor %d: %v, consents %+v", tc.debtor, err, joint.Consents)
		}
	}
	e, err := joint.RecordConsent(2, "debt-advice-agency", a)
	if err != nil || !reflect.DeepEqual(e.Detail, map[string]any{"recipient": "debt-advice-agency", "debtor": 2}) {
		t.Fatalf("second debtor's consent: %v %+v", err, e)
	}
	if joint.HasConsent(1, "debt-advice-agency") || !reflect.DeepEqual(joint.ConsentingDebtors("debt-advice-agency"), []int{2}) {
		t.Fatalf("consenting debtors %v", joint.ConsentingDebtors("debt-advice-agency"))
	}
	var rule *casework.RuleError
	if _, err := joint.RecordConsent(2, "debt-advice-agency", a); !errors.As(err, &rule) || rule.Rule != "consent_exists" {
		t.Errorf("the same consent again: %v", err)
	}
	if _, err := joint.WithdrawConsent(1, "debt-advice-agency", a); !errors.As(err, &rule) || rule.Rule != "no_consent" || !joint.HasConsent(2, "debt-advice-agency") {
		t.Errorf("the first debtor withdrawing the second's: %v", err)
	}
}

// A consent recorded on a joint case before consents named their debtor (Debtor 0) is no
// one's: nothing is shared on it. Any debtor withdrawing, or objecting to marketing, ends it
// as it may be theirs, and only their own beside it; an erased debtor's consents go with
// them.
func TestAConsentWhoseDebtorIsNotKnownReleasesNothing(t *testing.T) {
	a := testActor(t, referredOn)
	c := newCase(t, 100000)
	c.Debtor.Names = []string{"A Debtor", "B Debtor"}
	c.Consents = []Consent{{Recipient: "debt-advice-agency", GivenAt: referredOn}, {Recipient: "council-communications", GivenAt: referredOn}}
	if got := c.ConsentingDebtors("debt-advice-agency"); len(got) != 0 {
		t.Fatalf("a consent whose debtor is not known released debtors %v", got)
	}
	if _, err := c.RecordConsent(1, "council-communications", a); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RecordConsent(2, "council-communications", a); err != nil {
		t.Fatal(err)
	}
	e, changed, err := c.ObjectToMarketing(1, []string{"council-communications"}, a) // the second debtor objects
	if err != nil || !changed || !reflect.DeepEqual(e.Detail["recipients"], []string{"council-communications"}) {
		t.Fatalf("objection: %v %v %+v", err, changed, e)
	}
	if !reflect.DeepEqual(c.ConsentingDebtors("council-communications"), []int{1}) || c.Consents[1].Stands() {
		t.Fatalf("after the second debtor's objection: %+v", c.Consents)
	}
	if _, changed, _ := c.ObjectToMarketing(1, []string{"council-communications"}, a); changed {
		t.Errorf("a repeated objection changed the case")
	}
	if _, err := c.WithdrawConsent(2, "debt-advice-agency", a); err != nil || c.Consents[0].Stands() {
		t.Fatalf("withdrawal of the consent whose debtor is not known: %v %+v", err, c.Consents[0])
	}

	closed := referredOn.AddDate(0, 1, 0)
	c.ClosedAt, c.RetentionDue = &closed, calendar.DateOf(closed)
	if _, _, err := c.EraseDebtor(0, testActor(t, closed.Add(24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	var left []int
	for _, k := range c.Consents {
		left = append(left, k.Debtor)
	}
	if !reflect.DeepEqual(left, []int{0, 0, 2}) {
		t.Errorf("consents after the first debtor's erasure are of debtors %v, want the unknown ones and the second's", left)
	}
}

// The retention schedule's 6+1 years is the year of closure plus six: kept to 31 December
// six years on, due for erasure on 1 January after, the day of closure in the year making
// no difference (London dates), as the rights service reads "plus the current year".
func TestRetentionEndsWithTheSixthYearAfterTheYearOfClosure(t *testing.T) {
	cal := testActor(t, referredOn).Cal
	for _, tc := range []struct {
		closed time.Time
		want   calendar.Date
	}{
		{time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC), calendar.NewDate(2033, 1, 1)},
		{time.Date(2026, 12, 30, 10, 0, 0, 0, time.UTC), calendar.NewDate(2033, 1, 1)},
		{time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC), calendar.NewDate(2033, 1, 1)}, // GMT: still 2026 in London
		{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), calendar.NewDate(2033, 1, 1)},
		{time.Date(2027, 6, 30, 23, 30, 0, 0, time.UTC), calendar.NewDate(2034, 1, 1)}, // BST: 1 July in London
		{time.Date(2028, 2, 29, 10, 0, 0, 0, time.UTC), calendar.NewDate(2035, 1, 1)},
	} {
		if got := RetentionDue(tc.closed, 6, cal); got != tc.want {
			t.Errorf("closed %s: due %s, want %s", tc.closed, got, tc.want)
		}
	}
}
