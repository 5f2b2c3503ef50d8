package service_test

import (
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// Nothing that identifies the requester reaches the public disclosure log: a summary (for
// the log from receipt) or a published part's description that contains their name, email
// address, phone number or address, in any case or spacing, is refused naming its field,
// and nothing is stored; a summary recorded before that check keeps its response off the
// log. Words that merely begin like the name ("Frederick" for Fred) are not refused.
func TestDisclosureLogNeverIdentifiesTheRequester(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	olly := e.officer()
	fred := map[string]any{"name": "Fred Asker", "email": "fred@example.org", "phone": "01622 602000", "address": "3 Mill Lane, Maidstone ME15 7XX"}
	asked := func(summary string) map[string]any {
		return with(with(anFOI(), "requester", fred), "summary", summary)
	}
	respond := func(descriptions ...string) map[string]any {
		parts := []map[string]any{}
		for _, d := range descriptions {
			parts = append(parts, map[string]any{"description": d, "outcome": "released"})
		}
		return map[string]any{"parts": parts, "publish": true}
	}
	e.RefusesBadInput(t, olly, []testkit.BadInput{
		{Name: "the name in the summary", Method: "POST", Path: "/foi", Body: asked("Fly-tipping reports asked for by FRED  ASKER"),
			Status: 400, Problem: "validation", Pointers: []string{"/summary"}},
		{Name: "the email in the summary", Method: "POST", Path: "/foi", Body: asked("Fly-tipping reports (reply to Fred@Example.org)"),
			Status: 400, Problem: "validation", Pointers: []string{"/summary"}},
		{Name: "the phone in the summary", Method: "POST", Path: "/foi", Body: asked("Fly-tipping reports; call back on +44 1622-602-000"),
			Status: 400, Problem: "validation", Pointers: []string{"/summary"}},
		{Name: "the address in the summary", Method: "POST", Path: "/foi", Body: asked("Fly-tipping reports near 3 mill lane"),
			Status: 400, Problem: "validation", Pointers: []string{"/summary"}},
	})

	id := e.Must(201, "POST", "/foi", olly, asked("Fly-tipping reports in 2025 and the cost of the clearance contract"))["id"].(string)
	legacy := e.Must(201, "POST", "/foi", olly, asked("Fly-tipping reports in 2024"))["id"].(string)
	// A summary recorded before the check on receipt.
	if _, err := e.DB.Exec(`UPDATE rights_foi_requests SET summary = 'Fly-tipping reports asked for by Fred Asker' WHERE id = $1`, legacy); err != nil {
		t.Fatal(err)
	}
	e.RefusesBadInput(t, olly, []testkit.BadInput{
		{Name: "the name in a part", Method: "POST", Path: "/foi/" + id + "/respond", Body: respond("number of reports", "the letter to fred asker"),
			Status: 400, Problem: "validation", Pointers: []string{"/parts/1/description"}},
		{Name: "the email in a part", Method: "POST", Path: "/foi/" + id + "/respond", Body: respond("reports FRED@EXAMPLE.ORG sent"),
			Status: 400, Problem: "validation", Pointers: []string{"/parts/0/description"}},
		{Name: "the phone in a part", Method: "POST", Path: "/foi/" + id + "/respond", Body: respond("calls from (01622) 602000"),
			Status: 400, Problem: "validation", Pointers: []string{"/parts/0/description"}},
		{Name: "the address in a part", Method: "POST", Path: "/foi/" + id + "/respond", Body: respond("reports at 3 Mill Lane, Maidstone ME15 7XX"),
			Status: 400, Problem: "validation", Pointers: []string{"/parts/0/description"}},
		{Name: "a summary naming the requester, published", Method: "POST", Path: "/foi/" + legacy + "/respond", Body: respond("number of reports"),
			Status: 409, Problem: "conflict", Check: conflictOn("requester_identified")},
	})
	for _, f := range []string{id, legacy} {
		if got := e.Must(200, "GET", "/foi/"+f, olly, nil); got["status"] != "open" {
			t.Fatalf("a refused response changed %s: %v", f, got["status"])
		}
	}

	unpublished := respond("number of reports")
	unpublished["publish"] = false
	e.Must(200, "POST", "/foi/"+legacy+"/respond", olly, unpublished)
	e.Must(200, "POST", "/foi/"+id+"/respond", olly, respond("number of fly-tipping reports in Frederick Street", "cost of the clearance contract"))
	log := e.Call("GET", "/public/foi-disclosure-log", "", nil)
	entries := log.JSON(t)["responses"].([]any)
	if log.Status != 200 || len(entries) != 1 {
		t.Fatalf("disclosure log: %d %s", log.Status, log.Body)
	}
	body := strings.ToLower(string(log.Body))
	for _, identity := range []string{"fred asker", "asker", "fred@example.org", "602000", "mill lane"} {
		if strings.Contains(body, identity) {
			t.Errorf("the disclosure log carries %q: %s", identity, log.Body)
		}
	}
}
