package e2e_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"casework.dev/pkg/testkit"
)

// TestRightsAcrossServices is issue 11's proof: Ann has a complaint (shared with her ward
// councillor), reported one community protection case (referred to the police, closed,
// under a legal hold) and is a witness in another. A subject access request finds all three
// and no one else, leaves the other people out and lists the disclosures; the rectification
// of her address reaches the councillor as an Article 19 notice; her erasure request erases
// the complaint and is refused for the held investigation, with the ground.
func TestRightsAcrossServices(t *testing.T) {
	c := newCouncil(t)
	partners := c.rights.Collect("RIGHTS_SHARE", "share.>")
	alice, mona := c.rights.Token("alice", "complaints_officer"), c.rights.Token("mona", "investigations_manager")
	olive := c.rights.Token("olive", "investigations_officer")

	complaint := c.complaints.Must(201, "POST", "/complaints", alice, map[string]any{"complainant": ann,
		"details": "Bins not collected for three weeks on Old Road.", "service": "waste", "channel": "web", "consent_to": []string{"ward-councillor"}})
	complaintID := complaint["id"].(string)
	toCouncillor := c.complaints.Must(201, "POST", "/complaints/"+complaintID+"/disclosures", alice,
		map[string]any{"recipient": "ward-councillor", "purpose": "complaint_handling"})["id"].(string)

	reported := c.investigations.Must(201, "POST", "/investigations", olive, map[string]any{"area": "noise", "channel": "web",
		"people": []any{person("reporter", ann), map[string]any{"role": "subject", "name": "Sam Subject", "address": "3 Old Road, Maidstone ME15 6JQ"},
			map[string]any{"role": "witness", "name": "Wendy Witness", "phone": "01622 555555"}},
		"matter": map[string]any{"summary": "Loud music every night", "locations": []any{"Old Road, Maidstone"}, "dates": []any{"2026-02-20"}, "times": []any{"23:00-02:00"}}})
	reportedID := reported["id"].(string)
	inv := "/investigations/" + reportedID
	c.investigations.Must(200, "POST", inv+"/conditions", olive, map[string]any{"recipient": "kent-police", "condition": "crime_prevention", "reason": "police request 42"})
	toPolice := c.investigations.Must(201, "POST", inv+"/referrals", olive, map[string]any{"recipient": "kent-police", "purpose": "prevention_and_detection_of_crime"})["id"].(string)
	c.investigations.Must(200, "POST", inv+"/outcome", olive, map[string]any{"outcome": "no_further_action"})
	c.investigations.Must(200, "POST", inv+"/close", olive, map[string]any{"reason": "resolved"})
	c.investigations.Must(200, "PUT", inv+"/legal-hold", mona, map[string]any{"reason": "judicial review of the decision"})

	witnessed := c.investigations.Must(201, "POST", "/investigations", olive, map[string]any{"area": "noise", "channel": "phone",
		"people": []any{map[string]any{"role": "reporter", "name": "Rita Reporter", "email": "rita@example.org"},
			map[string]any{"role": "subject", "name": "Simon Other"}, person("witness", map[string]any{"name": "Ann Applicant", "email": "ann@example.org"})},
		"matter": map[string]any{"summary": "Barking dog at night", "locations": []any{"Mill Lane, Maidstone"}, "dates": []any{"2026-02-25"}, "times": []any{"night"}}})

	// Access: all three found, and no one else in them.
	access, candidates := c.rightsRequest("access", nil)
	want := []string{"complaints complainant", "investigations reporter", "investigations witness"}
	if got := slices.Sorted(maps.Keys(candidates)); !slices.Equal(got, want) {
		t.Fatalf("candidates %v, want %v", got, want)
	}
	if !strings.HasPrefix(candidates["investigations reporter"], reportedID+"/") || !strings.HasPrefix(candidates["investigations witness"], witnessed["id"].(string)+"/") ||
		candidates["complaints complainant"] != complaintID {
		t.Fatalf("candidates %v", candidates)
	}
	c.confirm(access, candidates, want...)
	res := c.rights.Call("GET", "/requests/"+access+"/response", c.rights.Token("olly", "dpo_officer"), nil)
	if res.Status != 200 {
		t.Fatalf("response: %d %s", res.Status, res.Body)
	}
	page := string(res.Body)
	for _, other := range []string{"Sam Subject", "Wendy Witness", "Rita Reporter", "rita@example.org", "Simon Other", "Barking dog", "01622 555555"} {
		if strings.Contains(page, other) {
			t.Errorf("the response holds %q, another person's data", other)
		}
	}
	var compiled struct {
		Complete bool `json:"complete"`
		Services []struct {
			Service string `json:"service"`
			Records []struct {
				Role        string         `json:"role"`
				Provided    map[string]any `json:"provided"`
				Redactions  []string       `json:"redactions"`
				Disclosures []struct {
					DisclosureID string `json:"disclosure_id"`
					Recipient    string `json:"recipient"`
				} `json:"disclosures"`
			} `json:"records"`
		} `json:"services"`
	}
	if err := json.Unmarshal(res.Body, &compiled); err != nil {
		t.Fatal(err)
	}
	disclosed := map[string]string{} // role -> recipient:disclosure
	redacted := map[string]int{}
	for _, s := range compiled.Services {
		for _, r := range s.Records {
			for _, d := range r.Disclosures {
				disclosed[s.Service+" "+r.Role] += d.Recipient + ":" + d.DisclosureID
			}
			redacted[s.Service+" "+r.Role] = len(r.Redactions)
		}
	}
	if !compiled.Complete || disclosed["complaints complainant"] != "ward-councillor:"+toCouncillor ||
		disclosed["investigations reporter"] != "kent-police:"+toPolice || disclosed["investigations witness"] != "" {
		t.Errorf("disclosures listed %v", disclosed)
	}
	if redacted["investigations reporter"] == 0 || redacted["investigations witness"] == 0 {
		t.Errorf("redactions said %v", redacted)
	}

	// Rectification: the address is corrected where it is held, and the councillor and the
	// police who received data from the records are told; only the police, who received the
	// address, are told the new one.
	newAddress := "2 New Road, Maidstone ME14 1AA"
	rect, candidates := c.rightsRequest("rectification", map[string]any{"rectification": map[string]any{"field": "address", "value": newAddress}})
	r := c.confirm(rect, candidates, "complaints complainant", "investigations reporter")
	var notices []string
	for _, n := range r["article19_notices"].([]any) {
		n := n.(map[string]any)
		notices = append(notices, fmt.Sprintf("%s %s %s", n["recipient"], n["action"], n["original_disclosure_id"]))
	}
	slices.Sort(notices)
	if want := []string{"kent-police rectified " + toPolice, "ward-councillor rectified " + toCouncillor}; !slices.Equal(notices, want) {
		t.Fatalf("Article 19 notices %q, want %q", notices, want)
	}
	told := map[string]map[string]any{}
	for _, m := range partners.WaitFor(t, 2) {
		told[m.Subject()] = testkit.Decode(t, m)["data"].(map[string]any)
	}
	councillor, police := told["share.ward-councillor.rights.article19"], told["share.kent-police.rights.article19"]
	if councillor["service"] != "complaints" || councillor["original_disclosure_id"] != toCouncillor || councillor["action"] != "rectified" ||
		councillor["field"] != nil || councillor["corrected_value"] != nil {
		t.Errorf("the councillor, who never had the address, was told %v", councillor)
	}
	if police["service"] != "investigations" || police["original_disclosure_id"] != toPolice || police["action"] != "rectified" ||
		police["field"] != "address" || police["corrected_value"] != newAddress {
		t.Errorf("the police were told %v", police)
	}
	got := c.complaints.Must(200, "GET", "/complaints/"+complaintID, alice, nil)
	if got["complainant"].(map[string]any)["address"] != newAddress {
		t.Errorf("the complaint's address: %v", got["complainant"])
	}

	// Erasure: the complaint (now closed) is erased; the held investigation is refused with
	// the notice's ground, and its data stays.
	c.complaints.Must(200, "POST", "/complaints/"+complaintID+"/close", alice, map[string]any{"reason": "withdrawn"})
	erasure, candidates := c.rightsRequest("erasure", nil)
	r = c.confirm(erasure, candidates, "complaints complainant", "investigations reporter")
	outcomes := map[string]map[string]any{}
	for _, o := range r["outcomes"].([]any) {
		o := o.(map[string]any)
		outcomes[o["service"].(string)] = o
	}
	if o := outcomes["complaints"]; o["done"] != true || o["refusal"] != nil {
		t.Errorf("complaints: %v", o)
	}
	refusal, _ := outcomes["investigations"]["refusal"].(map[string]any)
	if outcomes["investigations"]["done"] != false || refusal["ground"] != "legal_claims" ||
		refusal["words"] != "the record is needed to make, exercise or defend a legal claim or a prosecution ("+reported["reference"].(string)+" is under a legal hold)" {
		t.Errorf("investigations: %v", outcomes["investigations"])
	}
	var personal int
	if err := c.complaints.DB.Get(&personal, `SELECT count(*) FROM complaint_personal_data WHERE complaint_id = $1`, complaintID); err != nil || personal != 0 {
		t.Errorf("the complaint's personal data: %d rows, %v", personal, err)
	}
	held := c.investigations.Must(200, "GET", inv, mona, nil)
	if raw, _ := json.Marshal(held); !strings.Contains(string(raw), "Ann Applicant") {
		t.Errorf("the held investigation lost Ann's data: %s", raw)
	}
	erased := partners.WaitFor(t, 3)
	if last := testkit.Decode(t, erased[2]); len(erased) != 3 || erased[2].Subject() != "share.ward-councillor.rights.article19" ||
		last["data"].(map[string]any)["action"] != "erased" {
		t.Errorf("after the erasure the partners were sent %s", testkit.Subjects(erased))
	}
}
