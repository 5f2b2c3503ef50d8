package service_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts"
	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
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

// outboxHolding counts the outbox rows (domain events and share messages kept for replay)
// holding any of the values.
func (e *env) outboxHolding(values ...string) int {
	e.T.Helper()
	n := 0
	for _, v := range values {
		n += e.Count(`SELECT count(*) FROM watermill_outbox WHERE strpos(coalesce(payload::text, '') || coalesce(metadata::text, ''), $1) > 0`, v)
	}
	return n
}

// exportOf answers one person's subject access request.
func (e *env) exportOf(caseID, personID string) rights.Record {
	e.T.Helper()
	got := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-x", RecordIDs: []string{caseID + "/" + personID}})
	if len(got.Records) != 1 {
		e.T.Fatalf("records %+v", got.Records)
	}
	return got.Records[0]
}

// Erasing a person on their request takes the e-mails they sent (the notice's "personal
// data sent via e-mail"), found as their access answer finds them, by their address however
// written, and the share messages of the case still in the outbox, as the retention sweep
// does: a referral made before carried their name. Someone else's e-mail stays, and the
// disclosure log keeps the referral, which names no one.
func TestRightsEraseTakesTheEmailsThePersonSentAndTheCopiesShared(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f := e.openCase(olive, "noise", "", nil)
	p := "/investigations/" + f.id
	e.Must(200, "POST", p+"/emails", olive, map[string]any{"from": " Rita@Example.ORG", "subject": "Rita again",
		"body": "Rita Reporter here: my asthma is worse since the music started", "received_at": "2026-03-01T20:00:00Z"})
	e.Must(200, "POST", p+"/emails", olive, map[string]any{"from": "neighbour@example.org", "subject": "Music again at No. 3",
		"body": "The bass shook my windows", "received_at": "2026-03-01T21:00:00Z"})
	if got, _ := e.exportOf(f.id, f.reporterID).Provided["emails"].([]any); len(got) != 1 || got[0].(map[string]any)["subject"] != "Rita again" {
		t.Fatalf("before erasure the reporter's access answer lists e-mails %v, want hers", got)
	}
	e.referToPolice(f.id)
	e.Must(200, "POST", p+"/outcome", olive, map[string]any{"outcome": "no_further_action"})
	e.Must(200, "POST", p+"/close", olive, map[string]any{"reason": "resolved"})
	if n := e.outboxHolding("Rita Reporter"); n != 1 {
		t.Fatalf("%d outbox rows hold the reporter's name before erasure, want the police referral's", n)
	}

	got := ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-e", RecordIDs: []string{f.id + "/" + f.reporterID}})
	if len(got.Outcomes) != 1 || !got.Outcomes[0].Done || got.Outcomes[0].Refusal != nil {
		t.Fatalf("erase: %+v", got.Outcomes)
	}
	v := e.Must(200, "GET", p, e.manager("mona"), nil)
	emails := v["emails"].([]any)
	hers, theirs := emails[0].(map[string]any), emails[1].(map[string]any)
	if hers["erased_at"] != "2026-03-02T10:00:00Z" || hers["from"] != "" || hers["subject"] != "" || hers["body"] != "" {
		t.Errorf("the reporter's e-mail after her erasure: %v", hers)
	}
	if theirs["erased_at"] != nil || theirs["from"] != "neighbour@example.org" || theirs["body"] != "The bass shook my windows" {
		t.Errorf("another sender's e-mail after the reporter's erasure: %v", theirs)
	}
	for _, value := range []string{"Rita Reporter", "rita@example.org", "Rita@Example.ORG", "asthma is worse", "1 Mill Lane", "01622 111111"} {
		if n := e.outboxHolding(value); n != 0 {
			t.Errorf("%d outbox rows still hold %q", n, value)
		}
		if n := e.Count(`SELECT count(*) FROM (`+caseRows+`) t(row) WHERE strpos(row, $2) > 0`, f.id, value); n != 0 {
			t.Errorf("%d case rows still hold %q", n, value)
		}
	}
	if n := e.Count(`SELECT count(*) FROM disclosure_log WHERE case_id = $1 AND recipient = 'kent-police'`, f.id); n != 1 {
		t.Errorf("%d police disclosures logged after the erasure, want the one made", n)
	}
	if rec := e.exportOf(f.id, f.reporterID); rec.Provided["emails"] != nil {
		t.Errorf("after erasure the reporter's access answer lists e-mails %v", rec.Provided["emails"])
	}
	// Once is enough: asked again, nothing is left to change.
	ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-e", RecordIDs: []string{f.id + "/" + f.reporterID}})
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'investigation.rights.person_erased'`); n != 1 {
		t.Errorf("%d erasures recorded, want 1", n)
	}
}

// What a person sent stays theirs when the address on their entry no longer says so: after
// they rectify it, their access answer still lists what they sent from the old one, and an
// erasure takes it. An erased case file (people's entries gone) whose e-mails are kept
// longer, on their own clock, leaves each e-mail its sender's likewise.
func TestEmailsStayTheirSendersOnceTheAddressOnTheirEntryGoes(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f := e.openCase(olive, "noise", "", nil)
	p := "/investigations/" + f.id
	e.Must(200, "POST", p+"/emails", olive, map[string]any{"from": "rita@example.org", "subject": "Rita again",
		"body": "It happened again", "received_at": "2026-03-01T20:00:00Z"})
	record := f.id + "/" + f.reporterID
	got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-r", RecordIDs: []string{record},
		Field: "email", Value: "rita.new@example.org"})
	if len(got.Outcomes) != 1 || !got.Outcomes[0].Done {
		t.Fatalf("rectify: %+v", got.Outcomes)
	}
	e.Must(200, "POST", p+"/emails", olive, map[string]any{"from": "rita.new@example.org", "subject": "From my new address",
		"body": "Still loud", "received_at": "2026-03-02T09:00:00Z"})
	var subjects []string
	for _, m := range e.exportOf(f.id, f.reporterID).Provided["emails"].([]any) {
		subjects = append(subjects, m.(map[string]any)["subject"].(string))
	}
	if want := []string{"Rita again", "From my new address"}; !reflect.DeepEqual(subjects, want) {
		t.Errorf("after rectifying her address the reporter's access answer lists %v, want %v", subjects, want)
	}
	if rec := e.exportOf(f.id, f.subjectID); rec.Provided["emails"] != nil {
		t.Errorf("the subject's access answer lists e-mails %v", rec.Provided["emails"])
	}
	e.Must(200, "POST", p+"/outcome", olive, map[string]any{"outcome": "no_further_action"})
	e.Must(200, "POST", p+"/close", olive, map[string]any{"reason": "resolved"})
	ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-e", RecordIDs: []string{record}})
	for i, m := range e.Must(200, "GET", p, e.manager("mona"), nil)["emails"].([]any) {
		if m.(map[string]any)["erased_at"] == nil {
			t.Errorf("e-mail %d of the reporter kept after her erasure: %v", i, m)
		}
	}
}

// A notice that keeps e-mails longer than the case file: once the sweep erases the case
// file, people's entries and addresses with it, the reporter's access answer still lists
// the e-mail she sent, kept on its own clock, and her erasure takes it.
func TestAnEmailKeptLongerThanTheCaseFileStaysItsSenders(t *testing.T) {
	raw, err := contracts.Notice("investigations")
	if err != nil {
		t.Fatal(err)
	}
	edited := testkit.EditedFile(t, "investigations.yaml", raw, "    keep: 7y\n    from: receipt\n", "    keep: 10y\n    from: receipt\n")
	db, _ := testkit.NewDatabase(t, service.Migrations()...)
	e := newEnvWithNotice(t, db, testkit.NewNATS(t), calendar.NewManualClock(start), edited)
	olive := e.officer("olive")
	f := e.openCase(olive, "noise", "", nil)
	p := "/investigations/" + f.id
	e.Must(200, "POST", p+"/emails", olive, map[string]any{"from": "rita@example.org", "subject": "Rita again",
		"body": "It happened again", "received_at": "2026-03-01T20:00:00Z"})
	e.Must(200, "POST", p+"/outcome", olive, map[string]any{"outcome": "no_further_action"})
	e.Must(200, "POST", p+"/close", olive, map[string]any{"reason": "resolved"})

	e.sweepAt(time.Date(2033, 3, 3, 12, 0, 0, 0, time.UTC)) // the case file's 7 years are over, the e-mail's 10 are not
	if got := e.held(f.id); !reflect.DeepEqual(got, []string{"witness_statement: erased", "photo: erased", "cctv: erased",
		"email: Rita again", "case file: erased"}) {
		t.Fatalf("after the case file's erasure the case holds %v", got)
	}
	rec := e.exportOf(f.id, f.reporterID)
	if got, _ := rec.Provided["emails"].([]any); len(got) != 1 || got[0].(map[string]any)["body"] != "It happened again" {
		t.Errorf("the reporter's access answer after the case file's erasure: provided %v", rec.Provided)
	}
	if rec := e.exportOf(f.id, f.witnessID); rec.Provided["emails"] != nil {
		t.Errorf("the witness's access answer lists e-mails %v", rec.Provided["emails"])
	}
	got := ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-e", RecordIDs: []string{f.id + "/" + f.reporterID}})
	if len(got.Outcomes) != 1 || !got.Outcomes[0].Done || got.Outcomes[0].Refusal != nil {
		t.Fatalf("erase: %+v", got.Outcomes)
	}
	if got := e.held(f.id); got[3] != "email: erased" {
		t.Errorf("after the reporter's erasure the case holds %v", got)
	}
}

// A date of birth rectified is checked as when the person was recorded: a date from 1900
// to today. One in the future, in year 0 or before 1900 is refused as the record's outcome
// (invalid_value) and changes nothing; a date within them is stored, and an empty one
// removes it, a date of birth being optional.
func TestARectifiedDateOfBirthIsCheckedAsWhenRecorded(t *testing.T) {
	e := newEnv(t)
	f := e.openCase(e.officer("olive"), "noise", "", nil)
	record := f.id + "/" + f.reporterID
	rectify := func(value string) rights.Outcome {
		t.Helper()
		got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-d", RecordIDs: []string{record},
			Field: "date_of_birth", Value: value})
		if len(got.Outcomes) != 1 {
			t.Fatalf("rectify %q: %+v", value, got.Outcomes)
		}
		return got.Outcomes[0]
	}
	dateOfBirth := func() any {
		t.Helper()
		return e.Must(200, "GET", "/investigations/"+f.id, e.manager("mona"), nil)["people"].([]any)[0].(map[string]any)["date_of_birth"]
	}
	for _, tc := range []struct{ value, words string }{
		{"2099-01-01", "date_of_birth: cannot be after today (2026-03-02)"},
		{"2026-03-03", "date_of_birth: cannot be after today (2026-03-02)"},
		{"0000-01-01", "date_of_birth: must be a date (YYYY-MM-DD)"},
		{"1899-12-31", "date_of_birth: cannot be before 1900-01-01"},
		{"1970-02-30", "date_of_birth: must be a date (YYYY-MM-DD)"},
	} {
		before := e.rowCounts()
		if got := rectify(tc.value); got.Done || got.Refusal == nil || *got.Refusal != (rights.Refusal{Ground: "invalid_value", Words: tc.words}) {
			t.Errorf("%s: %+v, want refused: %s", tc.value, got, tc.words)
		}
		if after := e.rowCounts(); !reflect.DeepEqual(before, after) {
			t.Errorf("%s: rows changed: before %v, after %v", tc.value, before, after)
		}
	}
	if got := dateOfBirth(); got != "1970-01-02" {
		t.Fatalf("the reporter's date of birth after the refusals: %v", got)
	}
	for _, value := range []string{"2026-03-02", "1900-01-01", ""} {
		if got := rectify(value); !got.Done || got.Refusal != nil {
			t.Fatalf("%q: %+v", value, got)
		}
	}
	if got := dateOfBirth(); got != nil {
		t.Errorf("the reporter's date of birth once removed: %v", got)
	}
}

// The disclosure of a conviction to the publication service carries the person convicted
// alone: a witness's access answer does not list it, and a correction of her name is not
// sent there (an Article 19 notice would tie her to the offender's conviction); the
// person convicted's answer does list it.
func TestAConvictionDisclosureIsTheConvictedPersonsAlone(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f := e.openCase(olive, "noise", "", nil)
	p := "/investigations/" + f.id
	e.Must(200, "POST", p+"/triage", olive, nil)
	e.Must(200, "POST", p+"/investigate", olive, nil)
	e.Must(200, "POST", p+"/prosecute", olive, nil)
	e.Must(200, "POST", p+"/outcome", olive, map[string]any{"outcome": "conviction", "offence": "Noise", "court": "Maidstone Magistrates' Court",
		"date": "2026-03-02", "sentence": "Fine", "sentence_length": "none", "person_id": f.subjectID})
	recipients := func(personID string) []string {
		got := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-w", RecordIDs: []string{f.id + "/" + personID}})
		var out []string
		for _, r := range got.Records {
			for _, d := range r.Disclosures {
				out = append(out, d.Recipient)
			}
		}
		return out
	}
	if got := recipients(f.witnessID); slices.Contains(got, "publication-service") {
		t.Errorf("the witness is told her data went to the publication service: %v", got)
	}
	if got := recipients(f.subjectID); !slices.Contains(got, "publication-service") {
		t.Errorf("the person convicted is not told of the publication disclosure: %v", got)
	}
}

// Erasing one person takes out of the outbox only the share messages that carried their
// data: a referral about someone else, still waiting to be relayed (or kept for a replay),
// is not lost to its recipient while the disclosure log says it was made.
func TestErasingOnePersonLeavesTheOthersDisclosuresInTheOutbox(t *testing.T) {
	e := newEnv(t)
	olive := e.officer("olive")
	f := e.openCase(olive, "noise", "", nil)
	p := "/investigations/" + f.id
	e.Must(201, "POST", p+"/referrals", olive, map[string]any{"recipient": "subject-of-investigation", "purpose": "investigation",
		"categories": []string{"name"}}) // the subject's own name, to the subject: no witness in it
	e.referToPolice(f.id) // carries the witness among others
	e.Must(200, "POST", p+"/outcome", olive, map[string]any{"outcome": "no_further_action"})
	e.Must(200, "POST", p+"/close", olive, map[string]any{"reason": "resolved"})
	if n := e.outboxHolding("Wendy Witness"); n != 1 {
		t.Fatalf("%d outbox rows hold the witness's name before erasure, want the police referral's", n)
	}
	subjectOnly := e.Count(`SELECT count(*) FROM watermill_outbox WHERE strpos(payload::text, 'Sam Subject') > 0 AND strpos(payload::text, 'Wendy') = 0`)
	if subjectOnly != 1 {
		t.Fatalf("%d outbox rows hold the subject's referral, want 1", subjectOnly)
	}
	got := ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-e", RecordIDs: []string{f.id + "/" + f.witnessID}})
	if len(got.Outcomes) != 1 || !got.Outcomes[0].Done {
		t.Fatalf("erase the witness: %+v", got.Outcomes)
	}
	if n := e.outboxHolding("Wendy Witness"); n != 0 {
		t.Errorf("%d outbox rows still hold the erased witness's name", n)
	}
	if n := e.Count(`SELECT count(*) FROM watermill_outbox WHERE strpos(payload::text, 'Sam Subject') > 0 AND strpos(payload::text, 'Wendy') = 0`); n != 1 {
		t.Errorf("the referral to the subject, which carried no witness, left the outbox (%d rows)", n)
	}
}

// A disclosure of the matter alone (to central government, for its statutory returns)
// carried the data of the person it is about, the person investigated: their access answer
// lists it, and restricting their record names its recipient, to be told (Art 15(1)(c), 19).
// The reporter and the witness, whose details did not go, are told of nothing.
func TestADisclosureOfTheMatterIsListedForThePersonItIsAbout(t *testing.T) {
	e := newEnv(t)
	f := e.openCase(e.officer("olive"), "light", "", nil)
	sent := e.Must(201, "POST", "/investigations/"+f.id+"/referrals", e.officer("olive"),
		map[string]any{"recipient": "central-government", "purpose": "statutory_returns"})
	if normal(t, sent["data"]) != normal(t, map[string]any{"matter": matter}) {
		t.Fatalf("central government received %v, want the matter alone", sent["data"])
	}
	listed := func(personID string) []string {
		t.Helper()
		var out []string
		for _, d := range e.exportOf(f.id, personID).Disclosures {
			out = append(out, d.Recipient+" "+d.DisclosureID)
		}
		return out
	}
	want := []string{"central-government " + sent["id"].(string)}
	if got := listed(f.subjectID); !reflect.DeepEqual(got, want) {
		t.Errorf("the subject's disclosures %v, want %v", got, want)
	}
	for _, who := range []string{f.reporterID, f.witnessID} {
		if got := listed(who); len(got) != 0 {
			t.Errorf("person %s, whose data did not go, is told of %v", who, got)
		}
	}
	got := ask[rights.ActionReply](e, rights.Restrict, rights.RecordsRequest{RequestID: "req-m", RecordIDs: []string{f.id + "/" + f.subjectID}})
	if len(got.Outcomes) != 1 || !got.Outcomes[0].Done || len(got.Outcomes[0].Disclosures) != 1 ||
		got.Outcomes[0].Disclosures[0].Recipient != "central-government" {
		t.Errorf("restricting the subject: %+v, want central government to be told", got.Outcomes)
	}
}
