package service_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
)

// TestPeopleSpecialAndEmailsAddedAfterOpening adds a person, a special category item and
// an e-mail to an open case through their own endpoints, checks each is stored exactly,
// tagged and on its own clock, that bad input and closed or need-to-know cases change
// nothing, and that the audit trail names what was added without its values.
func TestPeopleSpecialAndEmailsAddedAfterOpening(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	f := e.openCase(officer, "noise", "", nil)
	p := "/investigations/" + f.id

	walter := map[string]any{"role": "witness", "name": "Walter Second", "address": "7 Mill Lane, Maidstone ME14 1AA",
		"town": "Maidstone", "phone": "01622 777777", "vehicle_registration": "CD34 EFG"}
	v := e.Must(200, "POST", p+"/people", officer, walter)
	people := v["people"].([]any)
	added := people[len(people)-1].(map[string]any)
	walterID, _ := added["id"].(string)
	if len(people) != 4 || walterID == "" || normal(t, added) != normal(t, pick(walter, walterID, "name", "address", "town", "phone", "vehicle_registration")) {
		t.Fatalf("people after adding Walter (%d): %v", len(people), added)
	}

	belief := map[string]any{"category": "religious_or_philosophical_beliefs", "details": "Observes the Sabbath; asked for no Saturday visits",
		"person_id": walterID}
	v = e.Must(200, "POST", p+"/special-category-data", officer, belief)
	special := v["special"].([]any)
	item := special[len(special)-1].(map[string]any)
	want := map[string]any{"id": item["id"], "category": "religious_or_philosophical_beliefs", "person_id": walterID,
		"details": "Observes the Sabbath; asked for no Saturday visits", "recorded_at": "2026-03-02T10:00:00Z"}
	if len(special) != 3 || item["id"] == "" || normal(t, item) != normal(t, want) {
		t.Errorf("special items (%d): %v, want %v", len(special), item, want)
	}

	v = e.Must(200, "POST", p+"/emails", officer, map[string]any{"from": "walter@example.org", "subject": "What I saw",
		"body": "I saw the speakers carried in", "received_at": "2026-03-01T08:30:00Z"})
	emails := v["emails"].([]any)
	mail := emails[len(emails)-1].(map[string]any)
	wantMail := map[string]any{"id": mail["id"], "from": "walter@example.org", "subject": "What I saw", "body": "I saw the speakers carried in",
		"received_at": "2026-03-01T08:30:00Z", "retention": map[string]any{"due": "2033-03-01", "rule": "email",
			"computation": "7y from receipt (rule email); from 2026-03-01 to 2033-03-01"}}
	if len(emails) != 1 || normal(t, mail) != normal(t, wantMail) {
		t.Errorf("e-mail: %v\nwant %v", mail, wantMail)
	}

	bad := []struct {
		path    string
		body    map[string]any
		pointer string
	}{
		{"/people", map[string]any{"role": "witness", "name": "  "}, "/name"},
		{"/people", map[string]any{"role": "boss", "name": "Bob"}, ""},
		{"/special-category-data", map[string]any{"category": "politics", "details": "x"}, ""},
		{"/special-category-data", map[string]any{"category": "health", "details": "x", "person_id": "nobody"}, "/person_id"},
		{"/special-category-data", map[string]any{"category": "health", "details": " "}, "/details"},
		{"/emails", map[string]any{"from": "a@example.org", "subject": "s", "body": "b", "received_at": "2026-03-03T10:00:00Z"}, "/received_at"},
	}
	for _, b := range bad {
		r := e.Call("POST", p+b.path, officer, b.body)
		if r.Status != 400 {
			t.Errorf("%s %v: %d %s, want 400", b.path, b.body, r.Status, r.Body)
			continue
		}
		if errs, _ := r.JSON(t)["errors"].([]any); b.pointer != "" && (len(errs) != 1 || errs[0].(map[string]any)["pointer"] != b.pointer) {
			t.Errorf("%s %v: errors %v, want one at %s", b.path, b.body, errs, b.pointer)
		}
	}

	// Need-to-know: an officer not assigned to a domestic abuse case adds nothing.
	da := e.openCase(officer, "domestic_abuse", "", nil)
	if r := e.Call("POST", "/investigations/"+da.id+"/people", e.officer("oscar"), walter); r.Status != 404 {
		t.Errorf("unassigned officer adding a person to a domestic abuse case: %d %s", r.Status, r.Body)
	}
	if n := len(e.Must(200, "GET", "/investigations/"+da.id, officer, nil)["people"].([]any)); n != 3 {
		t.Errorf("domestic abuse case has %d people, want 3", n)
	}

	e.Must(200, "POST", p+"/outcome", officer, map[string]any{"outcome": "no_further_action"})
	e.Must(200, "POST", p+"/close", officer, map[string]any{"reason": "resolved"})
	if r := e.Call("POST", p+"/people", officer, walter); r.Status != 409 || r.JSON(t)["rule"] != "closed" {
		t.Errorf("adding to a closed case: %d %s, want 409 closed", r.Status, r.Body)
	}
	v = e.Must(200, "GET", p, officer, nil)
	if len(v["people"].([]any)) != 4 || len(v["special"].([]any)) != 3 || len(v["emails"].([]any)) != 1 {
		t.Errorf("refused additions changed the case: %d people, %d special, %d e-mails",
			len(v["people"].([]any)), len(v["special"].([]any)), len(v["emails"].([]any)))
	}

	recs, err := audit.Chain(context.Background(), e.DB, "investigation:"+f.id)
	if err != nil {
		t.Fatal(err)
	}
	var trail []string
	for _, r := range recs {
		switch r.Action {
		case "investigation.person.added", "investigation.special.added", "investigation.email.added":
			trail = append(trail, r.Action+" "+normal(t, json.RawMessage(r.Detail)))
		}
	}
	wantTrail := []string{
		"investigation.person.added " + normal(t, map[string]any{"person_id": walterID, "role": "witness"}),
		"investigation.special.added " + normal(t, map[string]any{"item_id": item["id"], "category": "religious_or_philosophical_beliefs"}),
		"investigation.email.added " + normal(t, map[string]any{"item_id": mail["id"]}),
	}
	if normal(t, trail) != normal(t, wantTrail) {
		t.Errorf("audit of the additions\n %v\nwant\n %v", trail, wantTrail)
	}
}

// person_index names a person in a report being opened; sent for an item added to a case
// already open it is refused at /person_index, and nothing is stored: ignored, it left the
// reporter's photo or health linked to no one, so it would go where their data may not.
func TestAPersonIndexAfterOpeningIsRefused(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	f := e.openCase(officer, "noise", "", nil)
	p := "/investigations/" + f.id
	want := []any{map[string]any{"pointer": "/person_index",
		"detail": "is only for a report being opened, to name a person in its people; name a person on the case by person_id"}}
	for _, c := range []struct {
		path string
		body map[string]any
	}{
		{"/evidence", map[string]any{"kind": "photo", "description": "Taken from Rita's bedroom window", "person_index": 0,
			"captured_at": "2026-02-23T23:30:00Z"}},
		{"/special-category-data", map[string]any{"category": "health", "details": "Migraines since the music started", "person_index": 0}},
	} {
		before := e.rowCounts()
		r := e.Call("POST", p+c.path, officer, c.body)
		pr := testkit.ProblemOf(t, r, 400, httpserver.TypeValidation)
		if !reflect.DeepEqual(pr["errors"], want) {
			t.Errorf("%s with person_index: %s\nwant errors %v", c.path, r.Body, want)
		}
		if after := e.rowCounts(); !reflect.DeepEqual(after, before) {
			t.Errorf("%s: the refusal wrote rows: %v, before %v", c.path, after, before)
		}
	}
	v := e.Must(200, "GET", p, officer, nil)
	if n, m := len(v["evidence"].([]any)), len(v["special"].([]any)); n != 3 || m != 2 {
		t.Errorf("after the refusals the case holds %d evidence and %d special items, want 3 and 2", n, m)
	}
}
