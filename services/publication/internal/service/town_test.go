package service_test

import (
	"strings"
	"testing"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/testkit"
)

// TestStreetAddressIsNeverATown: the notice publishes the offender's town and never the
// street address. A town with a number or a postcode is refused wherever it arrives: an
// officer's entry (400 naming the town), a disclosure from the investigations service
// (dead-lettered, opening nothing) and a rectification (refused, the town unchanged).
func TestStreetAddressIsNeverATown(t *testing.T) {
	e := newEnv(t)
	dead := e.Collect("PUBLICATION_DEADLETTER", "deadletter.publication.>")
	manual := func(town string) map[string]any {
		c := aConviction()
		c["town"] = town
		return map[string]any{"team": "licensing", "conviction": c}
	}
	e.RefusesBadInput(t, e.officer("olive"), []testkit.BadInput{
		{Name: "a street address", Method: "POST", Path: "/decisions", Body: manual("3 Mill Lane, Maidstone"),
			Status: 400, Problem: "validation", Pointers: []string{"/conviction/town"}},
		{Name: "a postcode", Method: "POST", Path: "/decisions", Body: manual("Maidstone ME15 6JQ"),
			Status: 400, Problem: "validation", Pointers: []string{"/conviction/town"}},
		{Name: "a flat number", Method: "POST", Path: "/decisions", Body: manual("Flat 2, Maidstone"),
			Status: 400, Problem: "validation", Pointers: []string{"/conviction/town"}},
		{Name: "white space alone", Method: "POST", Path: "/decisions", Body: manual("  "),
			Status: 400, Problem: "validation", Pointers: []string{"/conviction/town"}},
	})

	for i, town := range []string{"12 Mill Lane, Maidstone", "Maidstone, me15 6jq"} {
		c := aConviction()
		c["town"] = town
		e.disclose("0195f3a0-0000-7000-8000-00000000150"+string(rune('1'+i)), "", c)
	}
	e.disclose("0195f3a0-0000-7000-8000-000000001509", "", aConviction())
	id := e.waitForDecisions(1)[0]
	// The dead letters keep who and why, never the refused disclosure's street address.
	for _, m := range dead.WaitFor(t, 2) {
		if len(m.Data()) != 0 || m.Headers().Get("payload_withheld") != "personal data" {
			t.Errorf("dead letter %s kept its body: %q", m.Subject(), m.Data())
		}
	}
	if n := e.Count(`SELECT count(*) FROM publication_decisions`); n != 1 {
		t.Fatalf("%d decisions, want only the one with a town", n)
	}

	for _, town := range []string{"ME14 1AA", "1 High Street"} {
		got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-t", RecordIDs: []string{id}, Field: "town", Value: town})
		if len(got.Outcomes) != 1 || got.Outcomes[0].Done || got.Outcomes[0].Refusal == nil || got.Outcomes[0].Refusal.Ground != "invalid_value" ||
			!strings.HasPrefix(got.Outcomes[0].Refusal.Words, "town: holds a") {
			t.Errorf("rectify the town to %q: %+v", town, got.Outcomes)
		}
	}
	got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-t", RecordIDs: []string{id}, Field: "town", Value: "Aylesford"})
	if len(got.Outcomes) != 1 || !got.Outcomes[0].Done {
		t.Fatalf("rectify the town to a town: %+v", got.Outcomes)
	}
	if c := e.Must(200, "GET", "/decisions/"+id, e.officer("olive"), nil)["conviction"].(map[string]any); c["town"] != "Aylesford" {
		t.Errorf("town %v", c["town"])
	}
}
