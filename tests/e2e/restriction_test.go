package e2e_test

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"casework.dev/pkg/testkit"
)

// TestRestrictionStopsDisclosuresUntilLifted: Ann restricts the processing of her data
// through the rights service. The complaints and investigations services, which hold her
// records, restrict them; the recipients who already had her data are told (Art 19); a
// later disclosure from either is refused with a problem naming the restriction and the
// rights request, and changes nothing; once the DPO lifts the restriction (Ann told first,
// Art 18(3)) the recipients are told again and the same disclosures go.
func TestRestrictionStopsDisclosuresUntilLifted(t *testing.T) {
	c := newCouncil(t)
	partners := c.rights.Collect("RIGHTS_SHARE", "share.>")
	alice, olive := c.complaints.Token("alice", "complaints_officer"), c.investigations.Token("olive", "investigations_officer")

	complaintID := c.complaints.Must(201, "POST", "/complaints", alice, map[string]any{"complainant": ann,
		"details": "Bins not collected for three weeks on Old Road.", "service": "waste", "channel": "web", "consent_to": []string{"ward-councillor"}})["id"].(string)
	toCouncillor := map[string]any{"recipient": "ward-councillor", "purpose": "complaint_handling"}
	first := c.complaints.Must(201, "POST", "/complaints/"+complaintID+"/disclosures", alice, toCouncillor)["id"].(string)

	caseID := c.investigations.Must(201, "POST", "/investigations", olive, map[string]any{"area": "noise", "channel": "web",
		"people": []any{person("reporter", ann), map[string]any{"role": "subject", "name": "Sam Subject"}},
		"matter": map[string]any{"summary": "Loud music every night", "locations": []any{"Old Road, Maidstone"}, "dates": []any{"2026-02-20"}}})["id"].(string)
	inv := "/investigations/" + caseID
	c.investigations.Must(200, "POST", inv+"/conditions", olive, map[string]any{"recipient": "kent-police", "condition": "crime_prevention", "reason": "police request 42"})
	toPolice := map[string]any{"recipient": "kent-police", "purpose": "prevention_and_detection_of_crime"}
	firstReferral := c.investigations.Must(201, "POST", inv+"/referrals", olive, toPolice)["id"].(string)

	id, candidates := c.rightsRequest("restriction", nil)
	r := c.confirm(id, candidates, "complaints complainant", "investigations reporter")
	got := outcomes(r)
	for _, key := range []string{"complaints restrict " + candidates["complaints complainant"], "investigations restrict " + candidates["investigations reporter"]} {
		if o := got[key]; o == nil || o["done"] != true || o["refusal"] != nil {
			t.Errorf("%s: %v (outcomes %v)", key, o, got)
		}
	}
	if len(got) != 2 {
		t.Errorf("outcomes %v, want one per confirmed record", got)
	}
	told := notices(r)
	slices.Sort(told)
	want := []string{"complaints ward-councillor restricted " + first, "investigations kent-police restricted " + firstReferral}
	if !slices.Equal(told, want) {
		t.Fatalf("Article 19 notices %q, want %q", told, want)
	}

	// Restricted: each service refuses to disclose, naming the restriction, and logs nothing.
	refused := func(e *testkit.Env, path, token string, body map[string]any) {
		t.Helper()
		logged := e.Count(`SELECT count(*) FROM disclosure_log`)
		res := e.Call("POST", path, token, body)
		p := testkit.ProblemOf(t, res, 403, "https://casework.dev/problems/processing-restricted")
		if p["rule"] != "restricted" || p["rights_request"] != id || p["restricted_since"] != "2026-03-02T10:00:00Z" ||
			p["detail"] != "processing of this case's personal data is restricted at the data subject's request (rights request "+id+
				", since 2026-03-02): nothing may be disclosed until the restriction is lifted (UK GDPR Art 18)" {
			t.Errorf("%s while restricted: %s", path, res.Body)
		}
		if after := e.Count(`SELECT count(*) FROM disclosure_log`); after != logged {
			t.Errorf("%s: the refused disclosure was logged (%d rows, %d before)", path, after, logged)
		}
	}
	refused(c.complaints, "/complaints/"+complaintID+"/disclosures", alice, toCouncillor)
	refused(c.investigations, inv+"/referrals", olive, toPolice)

	// Lifted: told again, and the disclosures go.
	dora := c.rights.Token("dora", "dpo")
	lift := c.rights.Must(200, "POST", "/requests/"+id+"/lift", dora, map[string]any{"told_on": "2026-03-02", "told_how": "email"})
	if lift["phase"] != "actioning" {
		t.Fatalf("lifting: phase %v", lift["phase"])
	}
	r = c.waitFor(id, "every service to lift the restriction", "ready")
	got = outcomes(r)
	for _, key := range []string{"complaints lift " + candidates["complaints complainant"], "investigations lift " + candidates["investigations reporter"]} {
		if o := got[key]; o == nil || o["done"] != true {
			t.Errorf("%s: %v (outcomes %v)", key, o, got)
		}
	}
	told = notices(r)
	slices.Sort(told)
	want = []string{"complaints ward-councillor restricted " + first, "complaints ward-councillor restriction lifted " + first,
		"investigations kent-police restricted " + firstReferral, "investigations kent-police restriction lifted " + firstReferral}
	if !slices.Equal(told, want) {
		t.Fatalf("Article 19 notices after the lift %q, want %q", told, want)
	}
	c.complaints.Must(201, "POST", "/complaints/"+complaintID+"/disclosures", alice, toCouncillor)
	c.investigations.Must(201, "POST", inv+"/referrals", olive, toPolice)

	sent := map[string][]string{}
	for _, m := range partners.WaitFor(t, 4) {
		d := testkit.Decode(t, m)["data"].(map[string]any)
		sent[m.Subject()] = append(sent[m.Subject()], d["action"].(string)+" "+d["original_disclosure_id"].(string))
	}
	wantSent := map[string][]string{
		"share.ward-councillor.rights.article19": {"restricted " + first, "restriction lifted " + first},
		"share.kent-police.rights.article19":     {"restricted " + firstReferral, "restriction lifted " + firstReferral},
	}
	for subject, w := range wantSent {
		if !slices.Equal(sent[subject], w) {
			t.Errorf("%s carried %q, want %q", subject, sent[subject], w)
		}
	}
	if len(sent) != 2 {
		t.Errorf("Article 19 notices went to %v", sent)
	}
}

// TestRestrictionTakesTheConvictionOffTheRegister: Sam, convicted in investigations and
// published by the publication service, restricts the processing of his data. Both
// services restrict his records; the public register, which reads the decision as it is
// now held, stops showing him at once and is owed no Article 19 notice, while the
// publication service, which received his conviction from investigations, is told; lifted,
// the register shows him again.
func TestRestrictionTakesTheConvictionOffTheRegister(t *testing.T) {
	c := newCouncil(t)
	share := c.investigations.Collect("INVESTIGATIONS_SHARE", "share.publication-service.>")
	c.convicted()
	toPublication := testkit.Decode(t, share.WaitFor(t, 1)[0])["disclosure_id"].(string)
	id := c.decisions(1)[0]["id"].(string)
	c.publish(id)
	entry := c.register()
	if len(entry) != 1 {
		t.Fatalf("the register before the restriction: %v", entry)
	}

	req, candidates := c.rightsRequestOf(map[string]any{"name": "Sam Subject", "email": "sam@example.org"}, "restriction", nil)
	if got := slices.Sorted(maps.Keys(candidates)); !slices.Equal(got, []string{"investigations subject", "publication offender"}) ||
		candidates["publication offender"] != id {
		t.Fatalf("candidates %v", candidates)
	}
	r := c.confirm(req, candidates, "investigations subject", "publication offender")
	got := outcomes(r)
	for _, key := range []string{"investigations restrict " + candidates["investigations subject"], "publication restrict " + id} {
		if o := got[key]; o == nil || o["done"] != true || o["refusal"] != nil {
			t.Errorf("%s: %v (outcomes %v)", key, o, got)
		}
	}
	if told, want := notices(r), []string{"investigations publication-service restricted " + toPublication}; !slices.Equal(told, want) {
		t.Errorf("Article 19 notices %q, want %q (none to the register, which reads the record in place)", told, want)
	}
	if reg := c.register(); len(reg) != 0 {
		t.Errorf("the register while restricted: %v", reg)
	}
	for _, path := range []string{"/public/prosecutions.atom", "/public/prosecutions.html"} {
		if res := c.publication.Call("GET", path, "", nil); res.Status != 200 || strings.Contains(string(res.Body), "Sam Subject") {
			t.Errorf("%s while restricted: %d %s", path, res.Status, res.Body)
		}
	}

	c.rights.Must(200, "POST", "/requests/"+req+"/lift", c.rights.Token("dora", "dpo"), map[string]any{"told_on": "2026-03-02", "told_how": "letter"})
	r = c.waitFor(req, "every service to lift the restriction", "ready")
	if o := outcomes(r)["publication lift "+id]; o == nil || o["done"] != true {
		t.Errorf("publication's lift: %v", o)
	}
	if reg := c.register(); !reflect.DeepEqual(reg, entry) {
		t.Errorf("the register after the lift: %v, want %v", reg, entry)
	}
}
