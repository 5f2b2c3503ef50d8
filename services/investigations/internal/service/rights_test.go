package service_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
	"casework.dev/services/investigations/internal/service"
)

// ask puts one question to the investigations service as the rights service does, over NATS.
func ask[Res any](e *env, verb string, req any) Res {
	e.T.Helper()
	return testkit.Ask[Res](e.T, e.NATS.Conn, rights.Subject(service.Name, verb), req)
}

// referToPolice records the police's request and refers the case to them.
func (e *env) referToPolice(id string) map[string]any {
	e.T.Helper()
	olive := e.officer("olive")
	e.Must(200, "POST", "/investigations/"+id+"/conditions", olive, map[string]any{"recipient": "kent-police", "condition": "crime_prevention", "reason": "request 42"})
	return e.Must(201, "POST", "/investigations/"+id+"/referrals", olive, map[string]any{"recipient": "kent-police", "purpose": "prevention_and_detection_of_crime"})
}

// TestRightsWitnessSeesOnlyThemselves: a witness is found by their own details and gets
// their own entry and statement, with the other people and what they supplied left out.
func TestRightsWitnessSeesOnlyThemselves(t *testing.T) {
	e := newEnv(t)
	f := e.openCase(e.officer("olive"), "noise", "", nil)
	referral := e.referToPolice(f.id)
	ref := f.view["reference"].(string)

	found := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-i", Identifiers: rights.Identifiers{
		Name: "wendy witness", Phone: "01622 555 555", Postcode: "ME14 1AA"}})
	want := []rights.Candidate{{RecordID: f.id + "/" + f.witnessID, Kind: "investigation", Reference: ref, Role: "witness",
		Matched: []string{"name", "phone", "postcode"}, Summary: "noise case received 2026-03-02, received"}}
	if !reflect.DeepEqual(found.Candidates, want) {
		t.Fatalf("candidates\n got %+v\nwant %+v", found.Candidates, want)
	}
	// A reference alone names the case: each person in it is a candidate for the DPO.
	byRef := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-i", Identifiers: rights.Identifiers{References: []string{ref}}})
	var roles []string
	for _, c := range byRef.Candidates {
		roles = append(roles, c.Role)
	}
	if !reflect.DeepEqual(roles, []string{"reporter", "subject", "witness"}) {
		t.Errorf("by reference: %+v", byRef.Candidates)
	}

	exported := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-i", RecordIDs: []string{f.id + "/" + f.witnessID}})
	if len(exported.Records) != 1 {
		t.Fatalf("records %+v", exported.Records)
	}
	rec := exported.Records[0]
	wantProvided := map[string]any{"name": "Wendy Witness", "address": "5 Mill Lane, Maidstone ME14 1AA", "phone": "01622 555555"}
	if !reflect.DeepEqual(rec.Provided, wantProvided) || rec.Role != "witness" {
		t.Errorf("provided %v", rec.Provided)
	}
	if ev, _ := rec.Held["evidence"].([]any); len(ev) != 1 || ev[0].(map[string]any)["description"] != "Statement of Wendy Witness" {
		t.Errorf("held %v", rec.Held)
	}
	wantRedactions := []string{"the details of 2 other people in the case (reporter, subject): other people's personal data",
		"the report of the matter, supplied by the person who reported it", "4 statements, items or records supplied by or about other people"}
	if !reflect.DeepEqual(rec.Redactions, wantRedactions) {
		t.Errorf("redactions\n got %q\nwant %q", rec.Redactions, wantRedactions)
	}
	if len(rec.Disclosures) != 1 || rec.Disclosures[0].DisclosureID != referral["id"] || rec.Disclosures[0].Recipient != "kent-police" {
		t.Errorf("disclosures %+v", rec.Disclosures)
	}
	raw, _ := json.Marshal(rec)
	for _, other := range []string{"Rita", "rita@", "Sam Subject", "sam@", "Loud music", "Asthma", "2019 noise", "Photo of the speakers", "AB12"} {
		if strings.Contains(string(raw), other) {
			t.Errorf("the witness's export holds %q of another person: %s", other, raw)
		}
	}
}

// TestRightsRestrictionStopsReferral: once a person in the case restricts processing, a
// referral answers 403 naming the restriction; lifted, it goes.
func TestRightsRestrictionStopsReferral(t *testing.T) {
	e := newEnv(t)
	f := e.openCase(e.officer("olive"), "noise", "", nil)
	e.referToPolice(f.id)
	record := f.id + "/" + f.witnessID
	for range 2 {
		got := ask[rights.ActionReply](e, rights.Restrict, rights.RecordsRequest{RequestID: "req-r", RecordIDs: []string{record}})
		if len(got.Outcomes) != 1 || !got.Outcomes[0].Done || len(got.Outcomes[0].Disclosures) != 1 {
			t.Fatalf("restrict: %+v", got.Outcomes)
		}
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'investigation.rights.restricted'`); n != 1 {
		t.Errorf("%d restrictions audited, want 1", n)
	}
	body := map[string]any{"recipient": "kent-police", "purpose": "prevention_and_detection_of_crime"}
	p := e.Must(403, "POST", "/investigations/"+f.id+"/referrals", e.officer("olive"), body)
	if p["type"] != httpserver.TypeProcessingRestricted || p["rights_request"] != "req-r" {
		t.Fatalf("referral of a restricted case: %v", p)
	}
	if n := e.Count(`SELECT count(*) FROM disclosure_log`); n != 1 {
		t.Fatalf("the refused referral was logged: %d rows", n)
	}
	ask[rights.ActionReply](e, rights.Lift, rights.RecordsRequest{RequestID: "req-r", RecordIDs: []string{record}})
	e.Must(201, "POST", "/investigations/"+f.id+"/referrals", e.officer("olive"), body)
}

// TestRightsEraseRefusedWhileOpenOrHeld: an open case or one under a legal hold refuses
// erasure with the notice's ground; closed and released, the reporter's entry and what
// they supplied go, once, and the others' stay.
func TestRightsEraseRefusedWhileOpenOrHeld(t *testing.T) {
	e := newEnv(t)
	olive, mona := e.officer("olive"), e.manager("mona")
	f := e.openCase(olive, "noise", "", nil)
	ref := f.view["reference"].(string)
	record := f.id + "/" + f.reporterID
	erase := func() rights.Outcome {
		got := ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-e", RecordIDs: []string{record}}).Outcomes
		if len(got) != 1 {
			t.Fatalf("erase: %+v", got)
		}
		return got[0]
	}
	if got := erase(); got.Done || !reflect.DeepEqual(got.Refusal, &rights.Refusal{Ground: "public_task",
		Words: "the investigation or enforcement action is still under way (" + ref + " is still open (received))"}) {
		t.Fatalf("erase while open: %+v", got)
	}
	e.Must(200, "POST", "/investigations/"+f.id+"/outcome", olive, map[string]any{"outcome": "no_further_action"})
	e.Must(200, "POST", "/investigations/"+f.id+"/close", olive, map[string]any{"reason": "resolved"})
	e.Must(200, "PUT", "/investigations/"+f.id+"/legal-hold", mona, map[string]any{"reason": "judicial review of the decision"})
	if got := erase(); got.Done || !reflect.DeepEqual(got.Refusal, &rights.Refusal{Ground: "legal_claims",
		Words: "the record is needed to make, exercise or defend a legal claim or a prosecution (" + ref + " is under a legal hold)"}) {
		t.Fatalf("erase under a legal hold: %+v", got)
	}
	e.Must(200, "DELETE", "/investigations/"+f.id+"/legal-hold", mona, nil)
	for range 2 {
		if got := erase(); !got.Done || got.Refusal != nil {
			t.Fatalf("erase once closed: %+v", got)
		}
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'investigation.rights.person_erased'`); n != 1 {
		t.Errorf("%d erasures recorded, want 1", n)
	}
	v := e.Must(200, "GET", "/investigations/"+f.id, mona, nil)
	raw, _ := json.Marshal(v)
	if strings.Contains(string(raw), "Rita") || strings.Contains(string(raw), "Asthma") || !strings.Contains(string(raw), "Wendy Witness") {
		t.Errorf("after the reporter's erasure: %s", raw)
	}

	got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-e", RecordIDs: []string{f.id + "/" + f.witnessID},
		Field: "address", Value: "7 New Road, Maidstone ME14 2BB"})
	if len(got.Outcomes) != 1 || !got.Outcomes[0].Done {
		t.Fatalf("rectify: %+v", got.Outcomes)
	}
	found := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-e", Identifiers: rights.Identifiers{Address: "7 new road maidstone me14 2bb"}})
	if len(found.Candidates) != 1 || found.Candidates[0].Role != "witness" {
		t.Errorf("found by the corrected address: %+v", found.Candidates)
	}
}

// A referral on one person's consent carried that person's data alone: the rights service
// hears of it, to answer and to tell the recipient of a correction (Art 15, 19), for them
// and not for the others in the case.
func TestAConsentReferralIsListedForThePersonItCarried(t *testing.T) {
	e := newEnv(t)
	officer := e.officer("olive")
	f := e.openCase(officer, "domestic_abuse", "", nil)
	e.Must(200, "POST", "/investigations/"+f.id+"/conditions", officer, map[string]any{"recipient": "commissioned-support-services",
		"condition": "consent", "reason": "She agreed to the referral.", "person_id": f.subjectID})
	ref := e.Must(201, "POST", "/investigations/"+f.id+"/referrals", officer, map[string]any{"recipient": "commissioned-support-services",
		"purpose": "support_referral"})
	listed := func(personID string) []string {
		t.Helper()
		exported := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-c", RecordIDs: []string{f.id + "/" + personID}})
		if len(exported.Records) != 1 {
			t.Fatalf("records %+v", exported.Records)
		}
		var ids []string
		for _, d := range exported.Records[0].Disclosures {
			ids = append(ids, d.Recipient+" "+d.DisclosureID)
		}
		return ids
	}
	if got, want := listed(f.subjectID), []string{"commissioned-support-services " + ref["id"].(string)}; !reflect.DeepEqual(got, want) {
		t.Errorf("the subject's disclosures %v, want %v", got, want)
	}
	if got := listed(f.witnessID); len(got) != 0 {
		t.Errorf("the witness, whose data did not go, is told of %v", got)
	}
}
