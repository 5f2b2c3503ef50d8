package service_test

import (
	"context"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// Stage 3: the Local Government and Social Care Ombudsman (recipient "lgo" in the notice).

func (e *env) lgo(name string) string { return e.Token(name, "complaints_lgo") }

// stage3Answered logs a complaint (with special category details and Kent County Council
// consent) and takes it through both internal stages; it returns its id and reference.
func stage3Answered(e *env) (string, string) {
	e.T.Helper()
	alice, bob := e.officer("alice"), e.officer("bob")
	body := aComplaint()
	body["special_details"] = sharingSpecialText
	body["consent_to"] = []string{sharingKCC}
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, body)
	id := c["id"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice, nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", alice, map[string]any{"outcome": "partly_upheld", "summary": "Crews rescheduled."})
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/escalate", alice, map[string]any{"further_details": "Still missed on Fridays.", "handler": "bob"})
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", bob, nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", bob, map[string]any{"outcome": "upheld", "summary": "Fault found.", "remedies": []string{"apology"}})
	return id, c["reference"].(string)
}

func stage3Referral(firstKnew string, completed bool) map[string]any {
	return map[string]any{"lgo_reference": "25 012 345", "first_knew_on": firstKnew, "process_completed": completed,
		"details": "Fridays are still missed and nobody answers."}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// The fields the notice allows the Ombudsman for ombudsman_referral, as present on this case
// (no decision yet, not closed), without and with the special category details.
var lgoFields = []string{"acknowledged_on", "channel", "complainant_address", "complainant_email", "complainant_name", "complainant_phone",
	"details", "lgo_correspondence", "lgo_reference", "outcome", "received_on", "reference", "remedies", "responded_on",
	"response_due_on", "service", "stage2_details", "stage3_details"}

var lgoCategories = []string{"case_record", "complainant_address", "complainant_email", "complainant_name", "complainant_phone",
	"complaint_details", "complaint_outcome", "ombudsman_correspondence", "stage2_details", "stage3_details"}

func TestStage3TheOmbudsmanReceivesExactlyWhatTheNoticeAllows(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("COMPLAINTS_SHARE", "share.>")
	domainEvents := e.Collect("COMPLAINTS_EVENTS", "complaints.events.>")
	statusEvents := e.Collect("COMPLAINTS_STATUS", "status.complaints.>")
	id, ref := stage3Answered(e)
	alice, lucy := e.officer("alice"), e.lgo("lucy")

	// Before the referral the Ombudsman may receive nothing: the request is not recorded.
	r := e.Call("POST", "/complaints/"+id+"/disclosures", alice, map[string]any{"recipient": "lgo", "purpose": "ombudsman_referral"})
	if r.Status != http.StatusForbidden {
		t.Fatalf("disclosure to the Ombudsman before a referral: %d %s", r.Status, r.Body)
	}

	// An officer records the referral: within 12 months, process completed, so no warnings.
	c := e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/referral", alice, stage3Referral("2026-02-20", true))
	if c["status"] != "stage3_referred" || c["stage"] != 3.0 || !reflect.DeepEqual(c["warnings"], []any{}) {
		t.Fatalf("referral: status %v stage %v warnings %v", c["status"], c["stage"], c["warnings"])
	}
	s3 := c["stage3"].(map[string]any)
	if s3["lgo_reference"] != "25 012 345" || s3["first_knew_on"] != "2026-02-20" || s3["from_status"] != "stage2_responded" || s3["referred_by"] != "alice" {
		t.Fatalf("stage3 view %v", s3)
	}

	// Kent County Council has consent, but the notice gives it nothing at stage 3.
	before := sharingSnapshot(e)
	r = e.Call("POST", "/complaints/"+id+"/disclosures", alice, map[string]any{"recipient": sharingKCC, "purpose": "complaint_handling"})
	sharingRefused(t, r, sharingKCC, "complaint_handling",
		"Kent County Council receives only stage 1 complaint or stage 2 complaint data for handling the complaint at stage 1 and stage 2, not stage 3 (Ombudsman) complaint data.",
		[]string{})
	sharingUnchanged(e, "a stage 3 disclosure to Kent County Council", before)
	for _, other := range []string{sharingSubject, "ward-councillor"} {
		r = e.Call("POST", "/complaints/"+id+"/disclosures", alice, map[string]any{"recipient": other, "purpose": "complaint_handling"})
		if r.Status != http.StatusForbidden {
			t.Fatalf("stage 3 disclosure to %s: %d %s", other, r.Status, r.Body)
		}
	}
	sharingUnchanged(e, "stage 3 disclosures to other recipients", before)

	// An enquiry, due by the end of the London day the Ombudsman set.
	c = e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/enquiries", lucy, map[string]any{
		"questions": "Send your stage 2 testkit.Response and the collection records.", "response_due_on": "2026-03-30"})
	var enquiryDeadline map[string]any
	for _, d := range c["deadlines"].([]any) {
		if d.(map[string]any)["kind"] == "enquiry:1" {
			enquiryDeadline = d.(map[string]any)
		}
	}
	if c["status"] != "stage3_enquiry" || enquiryDeadline["due_date"] != "2026-03-30" || enquiryDeadline["due_at"] != "2026-03-30T23:00:00Z" || enquiryDeadline["stage"] != 3.0 {
		t.Fatalf("enquiry: %v deadline %v", c["status"], enquiryDeadline)
	}

	// The testkit.Response sends the case file; the special category details stay back.
	e.Clock.Advance(time.Minute)
	answeredAt := e.Clock.Now()
	docs := []string{"Stage 2 testkit.Response letter", "Collection log March 2026"}
	got := e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/lgo/enquiries/1/response", lucy, map[string]any{"documents": docs})
	d := got["disclosure"].(map[string]any)
	if got["enquiry"] != 1.0 || got["on_time"] != true || !reflect.DeepEqual(sharingStrings(got["documents"]), docs) ||
		d["recipient"] != "lgo" || d["purpose"] != "ombudsman_referral" || d["condition"] != "complainant_request" ||
		!reflect.DeepEqual(sharingStrings(d["categories"]), lgoCategories) || !reflect.DeepEqual(sharingStrings(d["fields"]), lgoFields) ||
		!reflect.DeepEqual(sharingStrings(d["withheld"]), []string{"complaint_special_details"}) {
		t.Fatalf("enquiry response: %v", got)
	}
	if cv := got["complaint"].(map[string]any); cv["status"] != "stage3_responded" {
		t.Fatalf("after the response: %v", cv["status"])
	}
	firstID := d["id"].(string)

	msgs := share.WaitFor(t, 1)
	m := msgs[0]
	if m.Subject() != "share.lgo.complaints.ombudsman_referral" {
		t.Fatalf("subject %s", m.Subject())
	}
	msg := testkit.Decode(t, m)
	data := msg["data"].(map[string]any)
	if keys := sortedKeys(data); !reflect.DeepEqual(keys, lgoFields) {
		t.Fatalf("the Ombudsman received %v, want exactly %v", keys, lgoFields)
	}
	if strings.Contains(string(m.Data()), "wheelchair") {
		t.Fatalf("special category data went without the recorded necessity: %s", m.Data())
	}
	wantCorrespondence := []any{map[string]any{"enquiry": 1.0, "received_on": "2026-03-02", "questions": "Send your stage 2 testkit.Response and the collection records.",
		"response_due_on": "2026-03-30", "responded_on": "2026-03-02", "documents": []any{"Stage 2 testkit.Response letter", "Collection log March 2026"}}}
	if msg["condition"] != "complainant_request" || msg["reference"] != ref || msg["disclosure_id"] != firstID ||
		data["lgo_reference"] != "25 012 345" || data["stage3_details"] != "Fridays are still missed and nobody answers." ||
		data["outcome"] != "upheld" || !reflect.DeepEqual(data["remedies"], []any{"apology"}) ||
		!reflect.DeepEqual(data["lgo_correspondence"], wantCorrespondence) {
		t.Fatalf("share message %v", msg)
	}

	// With the necessity recorded, a second enquiry's testkit.Response carries the special details too.
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/necessity", lucy, map[string]any{"reason": "The Ombudsman asks how the ramp was blocked."})
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/enquiries", lucy, map[string]any{"questions": "How was access kept clear?", "response_due_on": "2026-04-13"})
	e.Clock.Advance(time.Minute)
	got = e.Must(http.StatusCreated, "POST", "/complaints/"+id+"/lgo/enquiries/2/response", lucy, map[string]any{"documents": []string{"Crew note"}})
	d = got["disclosure"].(map[string]any)
	withSpecial := append(append([]string{}, lgoCategories...), "complaint_special_details")
	sort.Strings(withSpecial)
	if d["condition"] != "complainant_request" || !reflect.DeepEqual(sharingStrings(d["categories"]), withSpecial) ||
		!reflect.DeepEqual(sharingStrings(d["withheld"]), []string{}) {
		t.Fatalf("second response: %v", d)
	}
	msgs = share.WaitFor(t, 2)
	data = testkit.Decode(t, msgs[1])["data"].(map[string]any)
	wantKeys := append(append([]string{}, lgoFields...), "special_details")
	sort.Strings(wantKeys)
	if keys := sortedKeys(data); !reflect.DeepEqual(keys, wantKeys) || data["special_details"] != sharingSpecialText {
		t.Fatalf("the Ombudsman received %v (special %v), want exactly %v", keys, data["special_details"], wantKeys)
	}

	// Nothing from stage 3 went anywhere but the Ombudsman's subject.
	e.WaitRelayed(t)
	if n := sharingStreamMsgs(e, "COMPLAINTS_SHARE"); n != 2 {
		t.Fatalf("%d share messages, want 2", n)
	}
	for _, m := range share.All() {
		if !strings.HasPrefix(m.Subject(), "share.lgo.") {
			t.Fatalf("stage 3 data went to %s", m.Subject())
		}
	}

	// Domain and status events of stage 3 carry no personal data and none of its text.
	// Six changes at stages 1 and 2; referral, two enquiries, two responses, the necessity.
	for _, m := range append(domainEvents.WaitFor(t, 12), statusEvents.WaitFor(t, 12)...) {
		sharingNoPersonalData(t, m.Subject(), m.Data(), append(sharingAdaValues, "Fridays are still missed", "collection records",
			"Stage 2 testkit.Response letter", "Crew note", "ramp", "25 012 345")...)
	}

	// The disclosure log, for the complainant: managers and the escalation handler.
	list := e.Must(http.StatusOK, "GET", "/complaints/"+id+"/disclosures", e.manager("mary"), nil)
	items := list["items"].([]any)
	if list["complaint_id"] != id || len(items) != 2 {
		t.Fatalf("disclosures %v", list)
	}
	first := items[0].(map[string]any)
	wantFirst := map[string]any{"id": firstID, "recipient": "lgo", "purpose": "ombudsman_referral", "condition": "complainant_request",
		"categories": toAny(lgoCategories), "notice_version": sharingNoticeVersion, "disclosed_at": answeredAt.Format(time.RFC3339Nano), "disclosed_by": "lucy"}
	if !reflect.DeepEqual(first, wantFirst) {
		t.Fatalf("disclosure log row\n got %v\nwant %v", first, wantFirst)
	}
	if second := items[1].(map[string]any); !reflect.DeepEqual(second["categories"], toAny(withSpecial)) {
		t.Fatalf("second row %v", second)
	}
	e.Must(http.StatusOK, "GET", "/complaints/"+id+"/disclosures", lucy, nil)
	if r := e.Call("GET", "/complaints/"+id+"/disclosures", alice, nil); r.Status != http.StatusForbidden {
		t.Fatalf("officer reading the disclosure log: %d", r.Status)
	}
	if r := e.Call("GET", "/complaints/01a201e7-7533-7a01-9154-be23cd551c21/disclosures", lucy, nil); r.Status != http.StatusNotFound {
		t.Fatalf("disclosures of an unknown complaint: %d %s", r.Status, r.Body)
	}
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func TestStage3ReferralWarnsButNeverRefuses(t *testing.T) {
	e := newEnv(t)
	alice := e.officer("alice")
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())
	id := c["id"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice, nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", alice, map[string]any{"outcome": "not_upheld", "summary": "No fault."})
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/close", alice, map[string]any{})

	// Today is 2 March 2026: first knowing on 1 March 2025 is 12 months and a day ago.
	c = e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/referral", alice, stage3Referral("2025-03-01", false))
	want := []any{
		map[string]any{"code": "late_complaint", "detail": "The complainant first knew of the matter on 2025-03-01, more than 12 months ago " +
			"(the 12 months ended on 2026-03-01). The Ombudsman normally expects a complaint within 12 months, but may still accept it."},
		map[string]any{"code": "process_not_exhausted", "detail": "The council's complaints process was not completed. " +
			"The Ombudsman normally expects it to be, and may send the complaint back as premature, but may still accept it."},
	}
	if !reflect.DeepEqual(c["warnings"], want) || !reflect.DeepEqual(c["stage3"].(map[string]any)["warnings"], want) {
		t.Fatalf("warnings %v", c["warnings"])
	}
	if c["status"] != "stage3_referred" || c["closed_at"] != nil || c["retention_due"] != nil {
		t.Fatalf("a closed complaint referred: status %v closed_at %v retention %v", c["status"], c["closed_at"], c["retention_due"])
	}
	// A second referral is refused: the complaint is already at stage 3.
	r := e.Call("POST", "/complaints/"+id+"/lgo/referral", alice, stage3Referral("2025-03-02", true))
	if r.Status != http.StatusConflict {
		t.Fatalf("second referral: %d %s", r.Status, r.Body)
	}
	// Extra fields are refused by the contract.
	r = e.Call("POST", "/complaints/"+id+"/lgo/enquiries", e.lgo("lucy"), map[string]any{"questions": "q", "response_due_on": "2026-03-30", "extra": 1})
	if r.Status != http.StatusBadRequest && r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown field: %d %s", r.Status, r.Body)
	}
}

func TestStage3OverdueRemedyRaisedOnceAcrossRestartAndTenYearRetention(t *testing.T) {
	e := newEnv(t)
	overdue := e.Collect("COMPLAINTS_EVENTS", "complaints.events.deadline.overdue")
	status := e.Collect("COMPLAINTS_STATUS", "status.complaints.stage3")
	id, ref := stage3Answered(e)
	lucy := e.lgo("lucy")
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/referral", e.officer("alice"), stage3Referral("2026-02-20", true))

	// The Ombudsman decides on 2 March, with two remedies; the first is due by Friday 20 March.
	c := e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/decision", lucy, map[string]any{
		"outcome": "upheld_fault_injustice", "decided_on": "2026-03-02", "summary": "Fault causing injustice.",
		"remedies": []any{map[string]any{"description": "Apologise in writing", "due_on": "2026-03-20"},
			map[string]any{"description": "Pay £150", "due_on": "2026-04-30"}}})
	if c["status"] != "stage3_decided" || len(c["stage3"].(map[string]any)["remedies"].([]any)) != 2 {
		t.Fatalf("decision: %v %v", c["status"], c["stage3"])
	}
	r := e.Call("POST", "/complaints/"+id+"/close", lucy, map[string]any{})
	if r.Status != http.StatusConflict || r.JSON(t)["rule"] != "remedies_outstanding" {
		t.Fatalf("closing with remedies outstanding: %d %s", r.Status, r.Body)
	}

	e.Clock.Set(time.Date(2026, 3, 20, 23, 59, 59, 0, time.UTC))
	if n := e.sweepOverdue(t); n != 0 {
		t.Fatalf("swept %d on the remedy's last day", n)
	}
	e.Clock.Set(time.Date(2026, 3, 21, 0, 0, 0, 0, time.UTC))
	if n := e.sweepOverdue(t); n != 1 {
		t.Fatalf("sweep raised %d, want 1", n)
	}
	m := overdue.WaitFor(t, 1)[0]
	got := testkit.Decode(t, m)
	delete(got, "event_id")
	want := map[string]any{"type": "deadline.overdue", "occurred_at": "2026-03-21T00:00:00Z", "complaint_id": id, "reference": ref,
		"stage": 3.0, "status": "stage3_decided", "service": "waste", "deadline": "stage3.remedy:1", "due_at": "2026-03-21T00:00:00Z"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("overdue event\n got %v\nwant %v", got, want)
	}
	statuses := withChange(t, status.WaitFor(t, 3), "deadline.overdue") // referred, decided, overdue
	if len(statuses) != 1 {
		t.Fatalf("%d overdue status events", len(statuses))
	}
	st := statuses[0]
	if st["stage"] != 3.0 || st["status"] != "stage3_decided" || !reflect.DeepEqual(st["overdue"], []any{"stage3.remedy:1"}) ||
		st["next_due"] != "stage3.remedy:1" || st["next_due_at"] != "2026-03-21T00:00:00Z" {
		t.Fatalf("overdue status %v", st)
	}
	// The statistics count referrals to the Ombudsman and its decisions as stage 3 (one case:
	// suppressed, with no on-time figure since the decision has no council deadline).
	stats := e.Must(http.StatusOK, "GET", "/statistics?from=2026-03-01&to=2026-03-31", e.manager("mary"), nil)
	stage3Cells := func(cells []any) []any {
		var out []any
		for _, c := range cells {
			if c.(map[string]any)["stage"] == 3.0 {
				out = append(out, c)
			}
		}
		return out
	}
	if got, want := stage3Cells(stats["received"].([]any)), []any{map[string]any{"month": "2026-03", "service": "waste", "stage": 3.0,
		"count": nil, "suppressed": true}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("stage 3 received\n got %v\nwant %v", got, want)
	}
	if got, want := stage3Cells(stats["responses"].([]any)), []any{map[string]any{"month": "2026-03", "service": "waste", "stage": 3.0,
		"outcome": "upheld_fault_injustice", "count": nil, "suppressed": true}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("stage 3 decisions\n got %v\nwant %v", got, want)
	}
	// A manager's list shows the stage 3 case, its status and its overdue remedy like any other deadline.
	overdueList := e.Must(http.StatusOK, "GET", "/complaints?stage=3&overdue=true", e.manager("mary"), nil)["items"].([]any)
	if len(overdueList) != 1 {
		t.Fatalf("manager's overdue stage 3 list %v", overdueList)
	}
	if row := overdueList[0].(map[string]any); row["id"] != id || row["stage"] != 3.0 || row["status"] != "stage3_decided" ||
		row["next_due"] != "stage3.remedy:1" || row["next_due_at"] != "2026-03-21T00:00:00Z" || row["overdue"] != true {
		t.Fatalf("manager's list row %v", row)
	}

	// Restart: nothing is raised again.
	e.Shutdown()
	restarted := newEnvOn(t, e.DB, e.NATS, e.Clock)
	e.Clock.Advance(48 * time.Hour)
	if n := restarted.sweepOverdue(t); n != 0 {
		t.Fatalf("sweep after restart raised %d", n)
	}
	restarted.WaitRelayed(t)
	if n := restarted.SubjectCount(t, "COMPLAINTS_EVENTS", "complaints.events.deadline.overdue"); n != 1 {
		t.Fatalf("%d overdue events after restart, want 1", n)
	}
	if n := restarted.SubjectCount(t, "COMPLAINTS_STATUS", "status.complaints.stage3"); n != 3 {
		t.Fatalf("%d stage 3 status events, want 3", n)
	}

	// Compliance, then closure: retention is 10 years from closure (notice rule stage_3).
	lucy = restarted.lgo("lucy")
	restarted.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/remedies/1/compliance", lucy, map[string]any{"note": "Letter sent."})
	c = restarted.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/remedies/2/compliance", lucy, map[string]any{})
	rem := c["stage3"].(map[string]any)["remedies"].([]any)
	if rem[0].(map[string]any)["complied_at"] != "2026-03-23T00:00:00Z" || rem[0].(map[string]any)["note"] != "Letter sent." || rem[1].(map[string]any)["due_on"] != "2026-04-30" {
		t.Fatalf("remedies %v", rem)
	}
	c = restarted.Must(http.StatusOK, "POST", "/complaints/"+id+"/close", lucy, map[string]any{})
	if c["status"] != "closed" || c["retention_due"] != "2036-03-23" {
		t.Fatalf("closed: %v retention %v", c["status"], c["retention_due"])
	}
	// Ten years on, retention erases the personal data and the stage 3 text; the facts stay.
	e.Clock.Set(time.Date(2036, 3, 23, 0, 0, 0, 0, time.UTC))
	if n, err := restarted.svc.App.SweepRetention(context.Background(), 100); err != nil || n != 1 {
		t.Fatalf("retention sweep: %d %v", n, err)
	}
	c = restarted.Must(http.StatusOK, "GET", "/complaints/"+id, restarted.manager("mary"), nil)
	s3 := c["stage3"].(map[string]any)
	rem = s3["remedies"].([]any)
	if c["complainant"] != nil || s3["details"] != "" || rem[0].(map[string]any)["description"] != "" || s3["decision"].(map[string]any)["summary"] != "" ||
		s3["lgo_reference"] != "" || s3["decision"].(map[string]any)["outcome"] != "upheld_fault_injustice" || rem[0].(map[string]any)["complied_at"] != "2026-03-23T00:00:00Z" {
		t.Fatalf("after erasure: complainant %v stage3 %v", c["complainant"], s3)
	}

	// Managers see stage 3 like any other stage.
	list := restarted.Must(http.StatusOK, "GET", "/complaints?stage=3", restarted.manager("mary"), nil)
	if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != id {
		t.Fatalf("stage 3 list %v", list)
	}
}

func TestStage3Roles(t *testing.T) {
	e := newEnv(t)
	id, _ := stage3Answered(e)
	alice, mary, lucy := e.officer("alice"), e.manager("mary"), e.lgo("lucy")
	before := sharingSnapshot(e)

	// The escalation handler may not do stage 1 and 2 work.
	for _, route := range []struct {
		method, path string
		body         any
	}{{"POST", "/complaints", aComplaint()}, {"POST", "/complaints/" + id + "/acknowledge", nil},
		{"POST", "/complaints/" + id + "/disclosures", map[string]any{"recipient": "lgo", "purpose": "ombudsman_referral"}}, {"GET", "/statistics", nil}} {
		r := e.Call(route.method, route.path, lucy, route.body)
		if r.Status != http.StatusForbidden || !reflect.DeepEqual(sharingStrings(r.JSON(t)["required_roles"]), []string{"complaints_officer", "complaints_manager"}) {
			t.Fatalf("lgo %s %s: %d %s", route.method, route.path, r.Status, r.Body)
		}
	}
	sharingUnchanged(e, "refused lgo requests", before)

	// Officers may record the referral, not the rest of stage 3.
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/referral", alice, stage3Referral("2026-02-20", true))
	for _, tok := range []string{alice, mary} {
		for _, route := range []struct {
			path string
			body map[string]any
		}{
			{"/lgo/enquiries", map[string]any{"questions": "q", "response_due_on": "2026-03-30"}},
			{"/lgo/necessity", map[string]any{"reason": "r"}},
			{"/lgo/decision", map[string]any{"outcome": "not_upheld", "decided_on": "2026-03-02", "summary": "s"}},
			{"/lgo/enquiries/1/response", map[string]any{}},
			{"/lgo/remedies/1/compliance", map[string]any{}},
		} {
			r := e.Call("POST", "/complaints/"+id+route.path, tok, route.body)
			if r.Status != http.StatusForbidden || !reflect.DeepEqual(sharingStrings(r.JSON(t)["required_roles"]), []string{"complaints_lgo"}) {
				t.Fatalf("%s: %d %s", route.path, r.Status, r.Body)
			}
		}
	}
	// The escalation handler reads cases.
	c := e.Must(http.StatusOK, "GET", "/complaints/"+id, lucy, nil)
	if c["status"] != "stage3_referred" {
		t.Fatalf("lgo read %v", c["status"])
	}
	e.Must(http.StatusOK, "GET", "/complaints?stage=3", lucy, nil)
}
