package domain

import "testing"

// A text identifies the requester by their whole name or address as words, their email in
// any case, or their phone number however it is spaced; a word that only begins like the
// name, a year or a count does not.
func TestIdentifiedIn(t *testing.T) {
	ann := Person{Name: "Ann  Lee", Email: "al1970@example.org", Phone: "+44 1622 602000", Address: "3 Mill Lane, Maidstone ME15 7XX"}
	for _, c := range []struct{ text, want string }{
		{"Annual reports of Leeds Lane", ""},
		{"Reports from 2025: 602 in all", ""},
		{"Reports from Mill Lane", ""},
		{"The letter to ANN LEE.", identityName},
		{"ann-lee's complaint", identityName},
		{"copied to AL1970@Example.org", identityEmail},
		{"call (01622) 602-000", identityPhone},
		{"call +44 (0)1622 602000", identityPhone},
		{"reports at 3 mill lane", identityAddress},
		{"reports at 3 Mill Lane, Maidstone, ME15 7XX", identityAddress},
	} {
		if got := ann.identifiedIn(c.text); got != c.want {
			t.Errorf("%q: %q, want %q", c.text, got, c.want)
		}
	}
	if got := (Person{Name: "Fred", Phone: "999"}).identifiedIn("Call 999 about Frederick Street"); got != "" {
		t.Errorf("a short phone or a longer word: %q", got)
	}
	// Words a summary uses for other things: a one-word name, an address line without a
	// house number.
	for _, c := range []struct {
		who  Person
		text string
	}{
		{Person{Name: "May"}, "Potholes reported in May"},
		{Person{Name: "Which?"}, "Which roads were resurfaced"},
		{Person{Name: "Pat Doe", Address: "High Street, Faversham ME13 8AA"}, "Potholes on High Street"},
	} {
		if got := c.who.identifiedIn(c.text); got != "" {
			t.Errorf("%+v in %q: %q, want none", c.who, c.text, got)
		}
	}
	if got := (Person{Name: "Pat Doe", Address: "High Street, Faversham ME13 8AA"}).identifiedIn("at High Street, Faversham ME13 8AA"); got != identityAddress {
		t.Errorf("the whole address: %q", got)
	}
}

// A name is the same name in either Unicode form of its accented letters: a summary that
// names "Zoë Brönte" composed gives away a requester recorded with combining marks, and a
// representative so recorded is the same person as the subject typed the other way.
func TestNamesCompareInOneUnicodeForm(t *testing.T) {
	zoe := Person{Name: "Zoe\u0308 Bro\u0308nte"}
	if got := zoe.identifiedIn("Letters from Zo\u00eb Br\u00f6nte about bins"); got != identityName {
		t.Errorf("decomposed name in a composed summary: %q, want %q", got, identityName)
	}
	if got := (Person{Name: "Zo\u00eb Br\u00f6nte"}).identifiedIn("Letters from ZOE\u0308 BRO\u0308NTE"); got != identityName {
		t.Errorf("composed name in a decomposed summary: %q, want %q", got, identityName)
	}
	if !sameName("Zo\u00eb  Br\u00f6nte", "zoe\u0308 bro\u0308nte") {
		t.Error("one name in two Unicode forms compared as two people")
	}
}
