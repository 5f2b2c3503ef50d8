package service_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/httpserver"
	"casework.dev/pkg/rightsreply"
	"casework.dev/pkg/testkit"
	"casework.dev/services/debt/internal/service"
)

// ask puts one question to the debt service as the rights service does, over NATS.
func ask[Res any](e *env, verb string, req any) Res {
	e.T.Helper()
	return testkit.Ask[Res](e.T, e.NATS.Conn, rights.Subject(service.Name, verb), req)
}

const rightsCSV = `client_reference,order_date,order_reference,debtor_name,second_debtor_name,address,phone,email,amount_pence
CT-101,2026-01-10,LO-101,Dora Debtor,,"1 High Street, Maidstone ME14 1AA",07700 900123,dora@example.org,125000
CT-102,2026-01-11,LO-102,Sam Spouse,dora  debtor,"1 High Street, Maidstone ME14 1AA",,,50000
CT-103,2026-01-12,LO-103,Eve Other,,"9 Far Lane, Swale ME10 2BB",07700 900999,eve@example.org,70000
`

func (e *env) referRightsCases() (single, joint, other string) {
	e.T.Helper()
	r := e.upload(e.client("maidstone-council-tax"), "text/csv", rightsCSV, "")
	if r.Status != 200 {
		e.T.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	var ids []string
	for _, row := range r.JSON(e.T)["rows"].([]any) {
		ids = append(ids, row.(map[string]any)["case_id"].(string))
	}
	return ids[0], ids[1], ids[2]
}

func TestRightsFindAndExport(t *testing.T) {
	e := newEnv(t)
	single, joint, other := e.referRightsCases()
	disclosed := e.Must(201, "POST", "/cases/"+single+"/disclosures", e.officer(), map[string]any{"recipient": "courts", "purpose": "court_proceedings"})
	e.Must(200, "POST", "/cases/"+single+"/consents", e.officer(), map[string]any{"recipient": "debt-advice-agency"})

	found := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-1", Identifiers: rights.Identifiers{
		Name: "Dora Debtor", Email: "DORA@example.org ", Postcode: "me14 1aa"}})
	var refs []string
	for _, c := range found.Candidates {
		refs = append(refs, c.Reference)
	}
	want := []rights.Candidate{
		{RecordID: single, Kind: "debt_case", Reference: refs[0], Role: "debtor", Matched: []string{"name", "email", "postcode"},
			Summary: "council tax debt referred 2026-03-02, compliance"},
		{RecordID: joint + "/debtor-2", Kind: "debt_case", Reference: refs[1], Role: "debtor", Matched: []string{"name", "postcode"},
			Summary: "council tax debt referred 2026-03-02, compliance"},
	}
	if !reflect.DeepEqual(found.Candidates, want) {
		t.Fatalf("candidates\n got %+v\nwant %+v", found.Candidates, want)
	}
	// A postcode alone is no candidate; a reference the person quotes is.
	if got := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-1", Identifiers: rights.Identifiers{Postcode: "ME10 2BB"}}); len(got.Candidates) != 0 {
		t.Errorf("postcode alone found %+v", got.Candidates)
	}
	byRef := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-1", Identifiers: rights.Identifiers{References: []string{"ct-103"}}})
	if len(byRef.Candidates) != 1 || byRef.Candidates[0].RecordID != other || !reflect.DeepEqual(byRef.Candidates[0].Matched, []string{"reference"}) {
		t.Errorf("by client reference: %+v", byRef.Candidates)
	}

	exported := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-1", RecordIDs: []string{single, joint + "/debtor-2"}})
	if len(exported.Records) != 2 {
		t.Fatalf("records %+v", exported.Records)
	}
	a, b := exported.Records[0], exported.Records[1]
	if a.Held["address"] != "1 High Street, Maidstone ME14 1AA" || a.Held["phone"] != "07700 900123" || a.Held["email"] != "dora@example.org" ||
		!reflect.DeepEqual(a.Held["debtor_names"], []any{"Dora Debtor"}) || len(a.Redactions) != 0 || a.KeptUntil != "" {
		t.Errorf("single debtor's record %+v", a)
	}
	// What Dora gave is her consent, which portability carries (Art 20(1)(a)); the rest the
	// client council referred.
	if want := map[string]any{"consents": []any{map[string]any{"recipient": "debt-advice-agency", "given_on": "2026-03-02"}}}; !reflect.DeepEqual(a.Provided, want) {
		t.Errorf("provided %+v, want %+v", a.Provided, want)
	}
	if want := map[string]any{"consents": []any{}}; !reflect.DeepEqual(b.Provided, want) {
		t.Errorf("joint debtor provided %+v", b.Provided)
	}
	if _, held := a.Held["consents"]; held {
		t.Errorf("consents exported as held and provided")
	}
	wantDisclosure := []rights.Disclosure{{DisclosureID: disclosed["id"].(string), Recipient: "courts", Purpose: "court_proceedings",
		Categories: []string{}, DisclosedAt: start, NoticeVersion: disclosed["notice_version"].(string)}}
	for _, c := range disclosed["categories"].([]any) {
		wantDisclosure[0].Categories = append(wantDisclosure[0].Categories, c.(string))
	}
	if !reflect.DeepEqual(a.Disclosures, wantDisclosure) {
		t.Errorf("disclosures\n got %+v\nwant %+v", a.Disclosures, wantDisclosure)
	}
	// The joint debtor's name is the other person's: left out, and said so.
	if !reflect.DeepEqual(b.Held["debtor_names"], []any{"dora  debtor"}) || len(b.Disclosures) != 0 ||
		!reflect.DeepEqual(b.Redactions, []string{"the names of the other debtors on the case: other people's personal data"}) {
		t.Errorf("joint debtor's record %+v", b)
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'case.rights.exported' AND actor = 'rights-request:req-1'`); n != 2 {
		t.Errorf("%d exports audited, want 2", n)
	}
}

func TestRightsRestrictionStopsDisclosure(t *testing.T) {
	e := newEnv(t)
	single, _, _ := e.referRightsCases()
	courts := map[string]any{"recipient": "courts", "purpose": "court_proceedings"}
	for range 2 { // a repeated request changes nothing
		got := ask[rights.ActionReply](e, rights.Restrict, rights.RecordsRequest{RequestID: "req-r", RecordIDs: []string{single}})
		if !reflect.DeepEqual(got.Outcomes, []rights.Outcome{{RecordID: single, Done: true, Disclosures: []rights.Disclosure{}}}) {
			t.Fatalf("restrict: %+v", got.Outcomes)
		}
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'case.rights.restricted'`); n != 1 {
		t.Errorf("%d restrictions audited, want 1", n)
	}
	found := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-r", Identifiers: rights.Identifiers{Email: "dora@example.org"}})
	if len(found.Candidates) != 1 || !found.Candidates[0].Restricted {
		t.Errorf("candidates %+v", found.Candidates)
	}
	r := e.Call("POST", "/cases/"+single+"/disclosures", e.officer(), courts)
	p := r.JSON(t)
	if r.Status != 403 || p["type"] != httpserver.TypeProcessingRestricted || p["rights_request"] != "req-r" ||
		p["detail"] != "processing of this case's personal data is restricted at the data subject's request (rights request req-r, since 2026-03-02): nothing may be disclosed until the restriction is lifted (UK GDPR Art 18)" {
		t.Fatalf("disclosure of a restricted case: %d %s", r.Status, r.Body)
	}
	if n := e.Count(`SELECT count(*) FROM disclosure_log`); n != 0 {
		t.Fatalf("a refused disclosure was logged: %d", n)
	}
	got := ask[rights.ActionReply](e, rights.Lift, rights.RecordsRequest{RequestID: "req-l", RecordIDs: []string{single}})
	if len(got.Outcomes) != 1 || !got.Outcomes[0].Done {
		t.Fatalf("lift: %+v", got.Outcomes)
	}
	e.Must(201, "POST", "/cases/"+single+"/disclosures", e.officer(), courts)
}

// The debt notice offers the right to object only to keeping in touch about the council's
// services (direct marketing, UK GDPR Art 21(2)): an objection ends that use at once and
// for good (Art 21(3)), the consent to the communications team withdrawn, while the debt's
// recovery, which the law requires, goes on: nothing is restricted, and the client council
// still receives its case. The debt advice consent is the debtor's to withdraw, not the
// objection's. A case with nothing used for marketing is done as it is.
func TestRightsObjectionEndsMarketingOnly(t *testing.T) {
	e := newEnv(t)
	single, _, other := e.referRightsCases()
	for _, recipient := range []string{"council-communications", "debt-advice-agency"} {
		e.Must(200, "POST", "/cases/"+single+"/consents", e.officer(), map[string]any{"recipient": recipient})
	}
	for range 2 { // a repeated request changes nothing
		got := ask[rights.ActionReply](e, rights.Object, rights.RecordsRequest{RequestID: "req-o", RecordIDs: []string{single, other}})
		want := []rights.Outcome{{RecordID: single, Done: true, Effect: rights.EffectMarketingEnded, Disclosures: []rights.Disclosure{}},
			{RecordID: other, Done: true, Effect: rights.EffectMarketingEnded, Disclosures: []rights.Disclosure{}}}
		if !reflect.DeepEqual(got.Outcomes, want) {
			t.Fatalf("object: %+v", got.Outcomes)
		}
	}
	if c := e.Must(200, "GET", "/cases/"+single, e.officer(), nil); !reflect.DeepEqual(c["consents"], []any{"debt-advice-agency"}) {
		t.Errorf("consents after the objection %v, want the debt advice one alone", c["consents"])
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'case.marketing.objected'`); n != 1 {
		t.Errorf("%d objections audited, want 1 (the case with a marketing consent, once)", n)
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'case.rights.restricted'`); n != 0 {
		t.Errorf("an objection to marketing restricted %d cases", n)
	}
	p := problemOf(t, e.Call("POST", "/cases/"+single+"/disclosures", e.officer(), map[string]any{"recipient": "council-communications", "purpose": "marketing"}), 403, "disclosure-refused")
	if !strings.HasSuffix(p["detail"].(string), "only with your recorded consent; none is recorded.") {
		t.Errorf("marketing after the objection: %v", p["detail"])
	}
	e.Must(201, "POST", "/cases/"+single+"/disclosures", e.officer(), map[string]any{"recipient": "maidstone-borough-council", "purpose": "return_to_client"})
	e.Must(201, "POST", "/cases/"+single+"/disclosures", e.officer(), map[string]any{"recipient": "debt-advice-agency", "purpose": "debt_advice"})
}

// Erasure on request is refused on the notice's grounds: legal_claims while the debt is
// enforced, held or unpaid; legal_obligation for a paid case until its retention_due (the
// 6+1 years of the retention schedule). From that day it is erased.
func TestRightsEraseRefusesWithTheNoticeGround(t *testing.T) {
	e := newEnv(t)
	single, joint, other := e.referRightsCases()
	disclosed := e.Must(201, "POST", "/cases/"+single+"/disclosures", e.officer(), map[string]any{"recipient": "courts", "purpose": "court_proceedings"})

	erase := func(ids ...string) []rights.Outcome {
		return ask[rights.ActionReply](e, rights.Erase, rights.RecordsRequest{RequestID: "req-e", RecordIDs: ids}).Outcomes
	}
	got := erase(single)
	want := &rights.Refusal{Ground: "legal_claims", Words: "the record is needed to make, exercise or defend a legal claim, such as the debt itself (" +
		e.reference(single) + " is still being enforced (compliance stage))"}
	if len(got) != 1 || got[0].Done || !reflect.DeepEqual(got[0].Refusal, want) || len(got[0].Disclosures) != 1 {
		t.Fatalf("erase of an open case: %+v", got)
	}
	e.Must(200, "POST", "/cases/"+joint+"/return", e.officer(), map[string]any{"reason": "trace_failed"})
	e.Must(200, "PUT", "/cases/"+joint+"/legal-hold", e.manager(), map[string]any{"reason": "appeal to the county court"})
	got = erase(joint + "/debtor-2")
	if len(got) != 1 || got[0].Done || got[0].Refusal.Ground != "legal_claims" ||
		got[0].Refusal.Words != "the record is needed to make, exercise or defend a legal claim, such as the debt itself ("+e.reference(joint)+" is under a legal hold)" {
		t.Fatalf("erase under a legal hold: %+v", got)
	}

	// Closed with the debt unpaid, the debt is still the client's claim: refused, whatever
	// the day before its retention ends.
	e.Must(200, "POST", "/cases/"+other+"/return", e.officer(), map[string]any{"reason": "trace_failed"})
	e.Clock.Set(time.Date(2032, 12, 31, 10, 0, 0, 0, time.UTC))
	got = erase(other)
	want = &rights.Refusal{Ground: "legal_claims", Words: "the record is needed to make, exercise or defend a legal claim, such as the debt itself (" +
		e.reference(other) + " was returned to the client with debt or fees unpaid)"}
	if len(got) != 1 || got[0].Done || !reflect.DeepEqual(got[0].Refusal, want) {
		t.Fatalf("erase of a closed case with the debt unpaid: %+v", got)
	}
	// Paid, it is kept under the retention schedule until its retention_due (6+1 years: to the
	// end of the sixth year after the year it closed in).
	e.Clock.Set(start)
	e.Must(200, "POST", "/cases/"+single+"/payments", e.officer(), map[string]any{"amount_pence": 132500})
	if c := e.Must(200, "GET", "/cases/"+single, e.manager(), nil); c["status"] != "paid" || c["retention_due"] != "2033-01-01" {
		t.Fatalf("paid case: %v %v", c["status"], c["retention_due"])
	}
	for _, day := range []time.Time{start, time.Date(2032, 12, 31, 23, 0, 0, 0, time.UTC)} { // 23:00 GMT: still 31 December in London
		e.Clock.Set(day)
		got = erase(single)
		want = &rights.Refusal{Ground: "legal_obligation", Words: "we must keep the record to meet a legal obligation, including our records retention schedule (" +
			e.reference(single) + " is kept until 2033-01-01 under the retention schedule)"}
		if len(got) != 1 || got[0].Done || !reflect.DeepEqual(got[0].Refusal, want) {
			t.Fatalf("erase of a paid case on %s, before its retention ends: %+v", day, got)
		}
	}
	if n := e.Count(`SELECT count(*) FROM debt_personal_data WHERE case_id IN ($1, $2)`, single, other); n != 2 {
		t.Fatalf("a refused erasure erased: %d rows left of 2", n)
	}

	// From its retention_due, nothing but a legal hold keeps it.
	e.Clock.Set(time.Date(2033, 1, 1, 9, 0, 0, 0, time.UTC))
	for range 2 {
		got = erase(single, "0195f0a0-0000-7000-8000-00000000dead")
		if len(got) != 2 || !got[0].Done || got[0].Refusal != nil || len(got[0].Disclosures) != 1 ||
			got[0].Disclosures[0].DisclosureID != disclosed["id"] || got[0].Disclosures[0].Recipient != "courts" {
			t.Fatalf("erase of a closed case: %+v", got)
		}
		if got[1].Done || got[1].Refusal.Ground != "no_such_record" {
			t.Fatalf("unknown record: %+v", got[1])
		}
	}
	if n := e.Count(`SELECT count(*) FROM debt_personal_data WHERE case_id = $1`, single); n != 0 {
		t.Errorf("personal data left after erasure: %d rows", n)
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'case.rights.erased'`); n != 1 {
		t.Errorf("%d erasures recorded, want 1", n)
	}
	exported := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-e", RecordIDs: []string{single}})
	if len(exported.Records) != 1 || !reflect.DeepEqual(exported.Records[0].Held, map[string]any{"erased_on": "2033-01-01"}) {
		t.Errorf("export after erasure: %+v", exported.Records)
	}
}

func TestRightsRectify(t *testing.T) {
	e := newEnv(t)
	_, joint, other := e.referRightsCases()
	rectify := func(field, value string) []rights.Outcome {
		return ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-c", RecordIDs: []string{joint + "/debtor-2"},
			Field: field, Value: value}).Outcomes
	}
	for range 2 {
		if got := rectify("name", "Dora Debtor"); len(got) != 1 || !got[0].Done {
			t.Fatalf("rectify name: %+v", got)
		}
	}
	if got := rectify("address", "2 New Road, Maidstone ME14 2BB"); len(got) != 1 || !got[0].Done {
		t.Fatalf("rectify address: %+v", got)
	}
	var names []string
	var address string
	if err := e.DB.Get(&address, `SELECT address FROM debt_personal_data WHERE case_id = $1`, joint); err != nil {
		t.Fatal(err)
	}
	if err := e.DB.Select(&names, `SELECT unnest(debtor_names) FROM debt_personal_data WHERE case_id = $1`, joint); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(names, []string{"Sam Spouse", "Dora Debtor"}) || address != "2 New Road, Maidstone ME14 2BB" {
		t.Errorf("after rectification: %v, %q", names, address)
	}
	if n := e.Count(`SELECT count(*) FROM audit_log WHERE action = 'case.rights.rectified'`); n != 2 {
		t.Errorf("%d rectifications recorded, want 2 (the repeat changes nothing)", n)
	}
	got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-c", RecordIDs: []string{other}, Field: "email", Value: "not an address"})
	if len(got.Outcomes) != 1 || got.Outcomes[0].Done || got.Outcomes[0].Refusal.Ground != "invalid_value" {
		t.Errorf("a bad e-mail: %+v", got.Outcomes)
	}
	_, err := rightsreply.Call[rights.ActionReply](context.Background(), e.NATS.Conn, rights.Subject(service.Name, rights.Erase),
		map[string]any{"record_ids": "not a list"}, rightsreply.CallConfig{Timeout: 5 * time.Second})
	var refusal *rightsreply.Refusal
	if !errors.As(err, &refusal) || refusal.Code != rightsreply.CodeBadRequest {
		t.Errorf("a malformed request: %v", err)
	}
}

func (e *env) reference(id string) string {
	e.T.Helper()
	var ref string
	if err := e.DB.Get(&ref, `SELECT reference FROM debt_cases WHERE id = $1`, id); err != nil {
		e.T.Fatal(err)
	}
	return ref
}

// A rectification is held to the rules a referral's text is: a name with control
// characters or longer than 200 characters, or an address, phone or e-mail with a control
// character, is refused as that record's outcome (invalid_value), an answer the rights
// service records and does not ask again, and nothing is written.
func TestRightsRectifyRefusesTextAReferralRefuses(t *testing.T) {
	e := newEnv(t)
	single, joint, _ := e.referRightsCases()
	ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-t", Identifiers: rights.Identifiers{Email: "dora@example.org"}}) // the responder is up
	long := strings.Repeat("Perpetua ", 56)[:500]
	for _, tc := range []struct {
		record, field, value, words string
	}{
		{single, "name", "Perpetua\u0007\u001bSnodgrass", "name: contains a control character"},
		{single, "name", long, "name: a name is at most 200 characters"},
		{joint + "/debtor-2", "name", strings.Repeat("é", 201), "name: a name is at most 200 characters"},
		{single, "address", "1 High Street\u0000, Maidstone", "address: contains a control character"},
		{single, "phone", "07700\u001b900123", "phone: contains a control character"},
		{single, "address", "1 High Street\u0085Maidstone", "address: contains a control character"},
	} {
		t.Run(tc.field+" "+tc.words, func(t *testing.T) {
			before := e.snapshot()
			// Asked once: a failure instead of an answer would have the rights service ask
			// again, and again, as it never changes.
			got, err := rightsreply.Call[rights.ActionReply](t.Context(), e.NATS.Conn, rights.Subject(service.Name, rights.Rectify),
				rights.RectifyRequest{RequestID: "req-t", RecordIDs: []string{tc.record}, Field: tc.field, Value: tc.value},
				rightsreply.CallConfig{Timeout: 5 * time.Second, Attempts: 1})
			if err != nil {
				t.Fatalf("no answer, so the rights service would ask again: %v", err)
			}
			want := []rights.Outcome{{RecordID: tc.record, Refusal: &rights.Refusal{Ground: "invalid_value", Words: tc.words},
				Disclosures: []rights.Disclosure{}}}
			if !reflect.DeepEqual(got.Outcomes, want) {
				t.Fatalf("outcomes\n got %+v\nwant %+v", got.Outcomes, want)
			}
			if after := e.snapshot(); !reflect.DeepEqual(after, before) {
				t.Errorf("a refused rectification changed the database:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
	// The same name in a referral is refused with the same words.
	r := e.upload(e.client("maidstone-council-tax"), "application/x-ndjson", `{"client_reference":"CT-T","order_date":"2026-01-10",`+
		`"order_reference":"LO-T","debtor_names":["Perpetua\u0007\u001bSnodgrass"],"address":"1 High Street","amount_pence":1000}`+"\n", "")
	row := r.JSON(t)["rows"].([]any)[0].(map[string]any)
	if er := row["errors"].([]any)[0].(map[string]any); row["outcome"] != "refused" || er["field"] != "debtor_names" || er["reason"] != "contains a control character" {
		t.Fatalf("the referral's row: %v", row)
	}
	// A name within the rules is still corrected.
	if got := ask[rights.ActionReply](e, rights.Rectify, rights.RectifyRequest{RequestID: "req-t", RecordIDs: []string{single},
		Field: "name", Value: "Perpetua Snodgrass"}); len(got.Outcomes) != 1 || !got.Outcomes[0].Done {
		t.Fatalf("a good name: %+v", got.Outcomes)
	}
}

// A debtor's name or address referred in one Unicode form of its accented letters (here
// decomposed, as some clients' exports send them) is found by a search typed in the other:
// the search, debt_compared_names and the address index compare one form (migration 00008).
func TestRightsFindEitherUnicodeForm(t *testing.T) {
	e := newEnv(t)
	const csv = "client_reference,order_date,order_reference,debtor_name,second_debtor_name,address,phone,email,amount_pence\n" +
		"CT-201,2026-01-10,LO-201,Chlo\u0065\u0308 Brunel,Zoe\u0308 Bro\u0308nte,\"1 Rue E\u0301lise, Maidstone ME14 1AA\",,,125000\n"
	r := e.upload(e.client("maidstone-council-tax"), "text/csv", csv, "")
	if r.Status != 200 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	id := r.JSON(t)["rows"].([]any)[0].(map[string]any)["case_id"].(string)
	for _, tc := range []struct {
		who      rights.Identifiers
		recordID string
		matched  []string
	}{
		{rights.Identifiers{Name: "Zo\u00eb Br\u00f6nte"}, id + "/debtor-2", []string{"name"}},
		{rights.Identifiers{Name: "chlo\u00eb\u00a0brunel"}, id + "/debtor-1", []string{"name"}},
		{rights.Identifiers{Address: "1 Rue \u00c9lise, Maidstone ME14 1AA"}, id + "/debtor-1", []string{"address"}},
	} {
		found := ask[rights.FindReply](e, rights.Find, rights.FindRequest{RequestID: "req-u", Identifiers: tc.who})
		if len(found.Candidates) < 1 || found.Candidates[0].RecordID != tc.recordID || !reflect.DeepEqual(found.Candidates[0].Matched, tc.matched) {
			t.Errorf("%+v found %+v, want %s matched by %v", tc.who, found.Candidates, tc.recordID, tc.matched)
		}
	}
}
