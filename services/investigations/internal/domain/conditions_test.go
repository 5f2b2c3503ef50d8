package domain

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"casework.dev/pkg/casework"
)

// A withdrawn consent counts for nothing: not among the recipient's conditions, not among
// the people who consented, while another person's consent still stands. The person may
// consent again. A refused withdrawal changes nothing.
func TestAWithdrawnConditionNoLongerCounts(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	c := &Investigation{People: []Person{{ID: "p1", Role: RoleSubject}, {ID: "p2", Role: RoleWitness}}}
	for _, k := range []RecordedCondition{
		{Recipient: "support", Condition: "consent", PersonID: "p1"},
		{Recipient: "support", Condition: "explicit_consent", PersonID: "p1"},
		{Recipient: "support", Condition: "consent", PersonID: "p2"},
		{Recipient: "police", Condition: "crime_prevention"},
	} {
		k.Reason = "recorded"
		if _, err := c.RecordCondition(k); err != nil {
			t.Fatal(err)
		}
	}
	e, err := c.WithdrawCondition("support", "consent", "p1", at, "olive")
	if err != nil {
		t.Fatal(err)
	}
	if want := (Event{Type: "condition.withdrawn", Recipient: "support", Detail: map[string]any{"recipient": "support", "condition": "consent",
		"person_id": "p1", "withdrawn": []string{"consent", "explicit_consent"}}}); !reflect.DeepEqual(e, want) {
		t.Errorf("event %+v, want %+v", e, want)
	}
	for i, want := range []bool{false, false, true, true} {
		if k := c.Conditions[i]; k.Standing() != want || !want && (!k.WithdrawnAt.Equal(at) || k.WithdrawnBy != "olive") {
			t.Errorf("condition %d: %+v, standing want %v", i, k, want)
		}
	}
	if got := c.ConditionsFor("support"); !slices.Equal(got, []string{"consent"}) {
		t.Errorf("conditions for support %v, want the witness's consent alone", got)
	}
	if got := c.GivenBy("support", PersonalConditions...); !reflect.DeepEqual(got, map[string]bool{"p2": true}) {
		t.Errorf("given by %v, want the witness alone", got)
	}
	if c.HasCondition("support", "explicit_consent") || !c.HasCondition("police", "crime_prevention") {
		t.Error("HasCondition counts a withdrawn condition, or not a standing one")
	}

	before := slices.Clone(c.Conditions)
	for _, r := range []struct {
		recipient, condition, person string
		check                        func(error) bool
	}{
		{"support", "consent", "p1", rule("no_consent")},
		{"support", "explicit_consent", "p2", func(err error) bool { var nf *casework.NotFoundError; return errors.As(err, &nf) }},
		{"police", "crime_prevention", "", rule("condition_not_consent")},
		{"support", "consent", "", field("person_id")},
		{"support", "consent", "nobody", field("person_id")},
	} {
		if _, err := c.WithdrawCondition(r.recipient, r.condition, r.person, at, "olive"); !r.check(err) {
			t.Errorf("withdrawing %s %s of %q: %v", r.recipient, r.condition, r.person, err)
		}
		if !reflect.DeepEqual(c.Conditions, before) {
			t.Errorf("withdrawing %s %s of %q changed the conditions", r.recipient, r.condition, r.person)
		}
	}

	if _, err := c.RecordCondition(RecordedCondition{Recipient: "support", Condition: "consent", PersonID: "p1", Reason: "again"}); err != nil {
		t.Fatalf("consent given again: %v", err)
	}
	if got := c.GivenBy("support", PersonalConditions...); !reflect.DeepEqual(got, map[string]bool{"p1": true, "p2": true}) {
		t.Errorf("given by %v after consent given again", got)
	}
}

// The matter is about the people in the subject role; with no one in it, about everyone.
func TestMatterAbout(t *testing.T) {
	c := &Investigation{People: []Person{{ID: "r", Role: RoleReporter}, {ID: "s1", Role: RoleSubject}, {ID: "o", Role: RoleOwner}, {ID: "s2", Role: RoleSubject}}}
	if got := c.MatterAbout(); !slices.Equal(got, []string{"s1", "s2"}) {
		t.Errorf("with subjects: %v", got)
	}
	c.People = slices.DeleteFunc(c.People, func(p Person) bool { return p.Role == RoleSubject })
	if got := c.MatterAbout(); !slices.Equal(got, []string{"r", "o"}) {
		t.Errorf("with no subject: %v", got)
	}
}

func rule(name string) func(error) bool {
	return func(err error) bool { var r *casework.RuleError; return errors.As(err, &r) && r.Rule == name }
}

func field(name string) func(error) bool {
	return func(err error) bool { var v *casework.ValidationError; return errors.As(err, &v) && v.Field == name }
}
