package service_test

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/testkit"
	"casework.dev/services/complaints/internal/service"
)

// ask puts one question to the complaints service as the rights service does, over NATS.
func ask[Res any](e *env, verb string, req any) Res {
	e.T.Helper()
	return testkit.Ask[Res](e.T, e.NATS.Conn, rights.Subject(service.Name, verb), req)
}

// TestRightsFindAndExportAComplainant: the complainant is found by what they gave, sees
// what they told us and what we hold, and to whom it went.
func TestRightsFindAndExportAComplainant(t *testing.T) {
	e := newEnv(t)
	id, ref, disclosureID := personComplaint(e, "ada@example.org", "01622 000111")
	other := aComplaint()
	other["complainant"] = map[string]any{"name": "Grace Hopper", "address": "1 High Street, Maidstone ME14 1AA", "email": "grace@example.org"}
	e.Must(http.StatusCreated, "POST", "/complaints", e.officer("alice"), other)

	found := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-c", Identifiers: rights.Identifiers{
		Name: "ada lovelace", Phone: "+44 1622 000111", Postcode: "me14 1aa", DateOfBirth: "1815-12-10"}})
	want := []rights.Candidate{{RecordID: id, Kind: "complaint", Reference: ref, Role: "complainant", Matched: []string{"name", "phone", "postcode"},
		Summary: "complaint about waste received 2026-03-02, stage1 received"}}
	if !reflect.DeepEqual(found.Candidates, want) {
		t.Fatalf("candidates\n got %+v\nwant %+v", found.Candidates, want)
	}
	byRef := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-c", Identifiers: rights.Identifiers{References: []string{" " + ref}}})
	if len(byRef.Candidates) != 1 || byRef.Candidates[0].RecordID != id {
		t.Errorf("by reference: %+v", byRef.Candidates)
	}

	exported := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-c", RecordIDs: []string{id}})
	if len(exported.Records) != 1 {
		t.Fatalf("records %+v", exported.Records)
	}
	rec := exported.Records[0]
	wantProvided := map[string]any{"name": "Ada Lovelace", "address": "1 High Street, Maidstone ME14 1AA", "phone": "01622 000111",
		"email": "ada@example.org", "details": "Bins not collected for three weeks on High Street."}
	if !reflect.DeepEqual(rec.Provided, wantProvided) {
		t.Errorf("provided\n got %v\nwant %v", rec.Provided, wantProvided)
	}
	wantDisclosures := []rights.Disclosure{{DisclosureID: disclosureID, Recipient: "ward-councillor", Purpose: "complaint_handling",
		Categories: []string{"complaint_details"}, DisclosedAt: start.Add(time.Minute), NoticeVersion: sharingNoticeVersion}}
	if rec.Held["status"] != "stage1_received" || rec.Held["service"] != "waste" || !reflect.DeepEqual(rec.Disclosures, wantDisclosures) ||
		rec.KeptUntil != "" || rec.Role != "complainant" || rec.Reference != ref {
		t.Errorf("exported %+v", rec)
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE chain = $1 AND action = 'complaint.read' AND actor = 'rights-request:req-c'`,
		"complaint:"+id); n != 3 {
		t.Errorf("%d rights reads audited, want 3 (two searches and the export)", n)
	}
}

// TestRightsRestrictionStopsDisclosure: a restricted complaint's disclosure answers 403
// naming the restriction and logs nothing; lifted, it goes.
func TestRightsRestrictionStopsDisclosure(t *testing.T) {
	e := newEnv(t)
	id, _, _ := personComplaint(e, "ada@example.org", "01622 000111")
	for range 2 {
		got := ask[rights.ActionReply](e, rights.Restrict, rights.RecordsRequest{RequestID: "req-r", RecordIDs: []string{id}})
		if len(got.Outcomes) != 1 || !got.Outcomes[0].Done || len(got.Outcomes[0].Disclosures) != 1 {
			t.Fatalf("restrict: %+v", got.Outcomes)
		}
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'complaint.rights.restricted'`); n != 1 {
		t.Errorf("%d restrictions audited, want 1", n)
	}
	share := map[string]any{"recipient": "ward-councillor", "purpose": "complaint_handling", "categories": []string{"complaint_details"}}
	p := e.Must(http.StatusForbidden, "POST", "/complaints/"+id+"/disclosures", e.officer("alice"), share)
	if p["type"] != httpserver.TypeProcessingRestricted || p["rights_request"] != "req-r" {
		t.Fatalf("disclosure of a restricted complaint: %v", p)
	}
	if n := e.Count(`SELECT count(*) FROM disclosure_log`); n != 1 {
		t.Fatalf("the refused disclosure was logged: %d rows", n)
	}
	ask[rights.ActionReply](e, rights.Lift, rights.RecordsRequest{RequestID: "req-r", RecordIDs: []string{id}})
	e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/disclosures", e.officer("alice"), share)
}

// TestRightsEraseAndRectify: an open complaint's erasure is refused with the notice's
// ground, a closed one is erased (once), and the complainant's address is corrected.
func TestRightsEraseAndRectify(t *testing.T) {
	e := newEnv(t)
	id, ref, disclosureID := personComplaint(e, "ada@example.org", "01622 000111")
	erase := func() rights.Outcome {
		got := ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-e", RecordIDs: []string{id}}).Outcomes
		if len(got) != 1 || len(got[0].Disclosures) != 1 || got[0].Disclosures[0].DisclosureID != disclosureID {
			t.Fatalf("erase: %+v", got)
		}
		return got[0]
	}
	if got := erase(); got.Done || !reflect.DeepEqual(got.Refusal, &rights.Refusal{Ground: "public_task",
		Words: "the complaint is still being handled, or the Ombudsman is still considering it, and deleting the record would stop us doing so (" + ref + " is still being handled (stage1 received))"}) {
		t.Fatalf("erase an open complaint: %+v", got)
	}

	for range 2 {
		got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-e", RecordIDs: []string{id}, Field: "address", Value: "2 New Road, Maidstone ME14 2BB"})
		if len(got.Outcomes) != 1 || !got.Outcomes[0].Done {
			t.Fatalf("rectify: %+v", got.Outcomes)
		}
	}
	if c := e.Must(http.StatusOK, "GET", "/complaints/"+id, e.officer("alice"), nil); c["complainant"].(map[string]any)["address"] != "2 New Road, Maidstone ME14 2BB" {
		t.Errorf("address after rectification: %v", c["complainant"])
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'complaint.rights.rectified'`); n != 1 {
		t.Errorf("%d rectifications recorded, want 1", n)
	}

	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/close", e.officer("alice"), map[string]any{"reason": "withdrawn"})
	e.Must(http.StatusOK, "PUT", "/complaints/"+id+"/legal-hold", e.manager("mina"), map[string]any{"reason": "civil claim pending"})
	if got := erase(); got.Done || got.Refusal.Ground != "legal_claims" ||
		got.Refusal.Words != "the record is needed to make, exercise or defend a legal claim ("+ref+" is under a legal hold)" {
		t.Fatalf("erase under a legal hold: %+v", got)
	}
	e.Must(http.StatusOK, "DELETE", "/complaints/"+id+"/legal-hold", e.manager("mina"), nil)
	for range 2 {
		if got := erase(); !got.Done || got.Refusal != nil {
			t.Fatalf("erase a closed complaint: %+v", got)
		}
	}
	if n := e.Count(`SELECT count(*) FROM complaint_personal_data WHERE complaint_id = $1`, id); n != 0 {
		t.Errorf("personal data left after erasure")
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'complaint.rights.erased'`); n != 1 {
		t.Errorf("%d erasures recorded, want 1", n)
	}
	got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-e", RecordIDs: []string{id, "no-such-id"}, Field: "address", Value: "3 Old Road"})
	if len(got.Outcomes) != 2 || got.Outcomes[0].Refusal.Ground != "erased" || got.Outcomes[1].Refusal.Ground != "no_such_record" {
		t.Errorf("rectify after erasure, and of nothing: %+v", got.Outcomes)
	}
}

// Erasing a complaint takes its disclosures out of the outbox with its personal data: one
// not relayed yet never goes, and one relayed is not kept for a replay of the relay (an
// operator rewinding it for a partner's feed) to send again. The disclosure log keeps the
// record that it was made.
func TestErasureTakesTheDisclosuresOutOfTheOutbox(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	body := aComplaint()
	body["consent_to"] = []string{"ward-councillor"}
	id := e.Must(http.StatusCreated, "POST", "/complaints", alice, body)["id"].(string)
	e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/disclosures", alice,
		map[string]any{"recipient": "ward-councillor", "purpose": "complaint_handling", "categories": []string{"complainant_name", "complaint_details"}})
	name := aComplaint()["complainant"].(map[string]any)["name"].(string)
	held := func() int {
		return e.Count(`SELECT count(*) FROM watermill_outbox WHERE payload::text LIKE '%' || $1 || '%'`, name)
	}
	if held() == 0 {
		t.Fatalf("the disclosure of %q is not in the outbox to begin with", name)
	}
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/close", alice, map[string]any{"reason": "withdrawn"})
	got := ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-e", RecordIDs: []string{id}}).Outcomes
	if len(got) != 1 || !got[0].Done {
		t.Fatalf("erase: %+v", got)
	}
	if n := held(); n != 0 {
		t.Errorf("%d outbox rows still hold the erased complainant's name", n)
	}
	if n := e.Count(`SELECT count(*) FROM disclosure_log WHERE case_id = $1 AND recipient = 'ward-councillor'`, id); n != 1 {
		t.Errorf("the disclosure log lost its record: %d rows", n)
	}
}
