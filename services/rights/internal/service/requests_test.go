package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/testkit"
)

var (
	disclosedAt = time.Date(2026, 2, 10, 14, 0, 0, 0, time.UTC)
	// disclosure ids as the services' disclosure logs hold them
	toCouncillor = "0195f0a0-0000-7000-8000-000000000001"
	toLGO        = "0195f0a0-0000-7000-8000-000000000002"
	toSubject    = "0195f0a0-0000-7000-8000-000000000003"
)

// annsComplaint is Ann's complaint as the complaints service exports it: shared with the ward
// councillor (with her consent) and the person complained about.
func annsComplaint() rights.Record {
	return rights.Record{RecordID: "c-1", Kind: "complaint", Reference: "CMP-2026-000007", Role: "complainant",
		Provided: map[string]any{"name": "Ann Applicant", "email": "ann@example.org", "address": "1 Old Road, Maidstone ME15 6JQ",
			"complaint": "Bins missed for three weeks."},
		Held:       map[string]any{"stage": 1, "status": "responded", "outcome": "upheld"},
		Redactions: []string{"the name of the crew member complained about: another person's personal data"},
		Disclosures: []rights.Disclosure{
			{DisclosureID: toCouncillor, Recipient: "ward-councillor", Purpose: "representation", Categories: []string{"complainant_name", "complainant_address", "complaint_details"}, DisclosedAt: disclosedAt, NoticeVersion: "2026.11.1"},
			{DisclosureID: toSubject, Recipient: "subject-of-complaint", Purpose: "complaint_response", Categories: []string{"complaint_details"}, DisclosedAt: disclosedAt, NoticeVersion: "2026.11.1"},
		},
		KeptUntil: "2032-03-20"}
}

// annAsReporter and annAsWitness are two community protection cases: one she reported, one
// in which she is a witness. Other people in them are redacted by the service.
func annAsReporter() rights.Record {
	return rights.Record{RecordID: "i-1", Kind: "investigation", Reference: "INV-2026-000042", Role: "reporter",
		Provided:   map[string]any{"name": "Ann Applicant", "phone": "07700 900123", "report": "Loud music every night from the flat above."},
		Held:       map[string]any{"area": "noise", "status": "open"},
		Redactions: []string{"the person reported: another person's personal data"}, Disclosures: []rights.Disclosure{}}
}

func annAsWitness() rights.Record {
	return rights.Record{RecordID: "i-2", Kind: "investigation", Reference: "INV-2026-000051", Role: "witness",
		Provided:   map[string]any{"name": "Ann Applicant", "statement": "I saw the fly-tipping on 3 February."},
		Held:       map[string]any{"area": "fly_tipping", "status": "closed"},
		Redactions: []string{"the other witnesses' statements: other people's personal data"}, Disclosures: []rights.Disclosure{}}
}

func fakes(t *testing.T, e *env) (complaints, investigations *fakeService) {
	complaints, investigations = newFake("complaints"), newFake("investigations")
	complaints.add("ann@example.org", annsComplaint())
	complaints.add("bob@example.org", rights.Record{RecordID: "c-2", Kind: "complaint", Reference: "CMP-2026-000008", Role: "complainant"})
	investigations.add("ann@example.org", annAsReporter())
	investigations.add("ann@example.org", annAsWitness())
	return complaints, investigations
}

func subjects(msgs []string) []string {
	out := slices.Clone(msgs)
	slices.Sort(out)
	return out
}

// A subject access request finds Ann in every service, the DPO confirms her records, and the
// compiled response lists what is held, why, from where, to whom it went and for how long.
func TestSubjectAccessRequestAcrossServices(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := fakes(t, e)
	complaints.serve(t, e)
	investigations.serve(t, e)
	evs := e.Collect("RIGHTS_EVENTS", "rights.events.>")
	status := e.Collect("RIGHTS_STATUS", "status.rights.>")

	r := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("access"))
	id := r["id"].(string)
	dl := r["deadline"].(map[string]any)
	comp := dl["computation"].(map[string]any)
	if dl["due_date"] != "2026-04-02" || comp["rule"] != "calendar_months" || comp["start_date"] != "2026-03-02" ||
		!strings.HasPrefix(comp["description"].(string), "1 calendar month from 2026-03-02") || comp["holiday_table_version"] == "" {
		t.Fatalf("deadline does not explain itself: %v", dl)
	}
	if r["status"] != "open" || r["phase"] != "new" || !strings.HasPrefix(r["reference"].(string), "RR-2026-") {
		t.Fatalf("logged: %v %v %v", r["status"], r["phase"], r["reference"])
	}

	s := e.Must(202, "POST", "/requests/"+id+"/search", e.officer(), nil)
	if s["phase"] != "searching" {
		t.Fatalf("phase %v", s["phase"])
	}
	r = e.waitFor(id, "every service to answer the search", phaseIs("confirming"))
	cands := r["candidates"].([]any)
	var found []string
	for _, c := range cands {
		c := c.(map[string]any)
		found = append(found, c["service"].(string)+"/"+c["record_id"].(string)+"/"+c["role"].(string))
	}
	if want := []string{"complaints/c-1/complainant", "investigations/i-1/reporter", "investigations/i-2/witness"}; !slices.Equal(subjects(found), want) {
		t.Fatalf("candidates %v, want %v", found, want)
	}
	if r["complete"] != true || len(r["pending"].([]any)) != 0 {
		t.Errorf("complete %v pending %v", r["complete"], r["pending"])
	}

	matches := map[string]any{"matches": []map[string]any{
		{"service": "complaints", "record_id": "c-1"}, {"service": "investigations", "record_id": "i-1"},
		{"service": "investigations", "record_id": "i-2"}}}
	if res := e.Call("POST", "/requests/"+id+"/confirm", e.officer(), matches); res.Status != 403 {
		t.Errorf("an officer confirmed matches: %d", res.Status)
	}
	bad := map[string]any{"matches": []map[string]any{{"service": "complaints", "record_id": "c-2"}}}
	if res := e.Call("POST", "/requests/"+id+"/confirm", e.dpo(), bad); res.Status != 400 {
		t.Errorf("confirmed Bob's complaint, not a candidate: %d %s", res.Status, res.Body)
	}
	e.Must(202, "POST", "/requests/"+id+"/confirm", e.dpo(), matches)
	r = e.waitFor(id, "every service to export", phaseIs("ready"))
	if complaints.questions(rights.Export) != 1 || investigations.questions(rights.Export) != 1 {
		t.Errorf("exports asked %d and %d times", complaints.questions(rights.Export), investigations.questions(rights.Export))
	}

	res := e.Call("GET", "/requests/"+id+"/response", e.officer(), nil)
	if res.Status != 200 || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("response: %d %s", res.Status, res.Body)
	}
	var compiled struct {
		Reference string `json:"reference"`
		Person    string `json:"person"`
		Complete  bool   `json:"complete"`
		Services  []struct {
			Service    string          `json:"service"`
			Records    []rights.Record `json:"records"`
			Purposes   []struct{ Label string }
			Sources    []string
			Retention  []string
			Recipients []struct{ ID, Name string }
		} `json:"services"`
	}
	if err := json.Unmarshal(res.Body, &compiled); err != nil {
		t.Fatal(err)
	}
	if !compiled.Complete || compiled.Person != "Ann Applicant" || len(compiled.Services) != 2 {
		t.Fatalf("compiled %+v", compiled)
	}
	cs, is := compiled.Services[0], compiled.Services[1]
	if cs.Service != "complaints" || len(cs.Records) != 1 || cs.Records[0].Reference != "CMP-2026-000007" ||
		cs.Records[0].Provided["address"] != "1 Old Road, Maidstone ME15 6JQ" || len(cs.Records[0].Disclosures) != 2 {
		t.Errorf("complaints part %+v", cs)
	}
	var recipients []string
	for _, rc := range cs.Recipients {
		recipients = append(recipients, rc.ID+": "+rc.Name)
	}
	if want := []string{"ward-councillor: a councillor acting for the complainant", "subject-of-complaint: the person or organisation complained about"}; !slices.Equal(recipients, want) {
		t.Errorf("recipients %q", recipients)
	}
	if len(cs.Purposes) == 0 || len(cs.Sources) == 0 || !slices.ContainsFunc(cs.Retention, func(s string) bool { return strings.Contains(s, "6 years") }) {
		t.Errorf("the complaints notice's purposes, sources and retention are missing: %+v", cs)
	}
	if is.Service != "investigations" || len(is.Records) != 2 || is.Records[0].Redactions[0] != "the person reported: another person's personal data" {
		t.Errorf("investigations part %+v", is)
	}

	html := e.Call("GET", "/requests/"+id+"/response.html", e.officer(), nil)
	page := string(html.Body)
	if html.Status != 200 || !strings.HasPrefix(html.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("html: %d %s", html.Status, page)
	}
	for _, want := range []string{"The personal data Maidstone Borough Council holds about Ann Applicant", "CMP-2026-000007 (you are the complainant)",
		"INV-2026-000051 (you are the witness)", "a councillor acting for the complainant", "the other witnesses&#39; statements: other people&#39;s personal data",
		"Bins missed for three weeks."} {
		if !strings.Contains(page, want) {
			t.Errorf("the readable response lacks %q", want)
		}
	}

	r = e.Must(200, "POST", "/requests/"+id+"/complete", e.dpo(), nil)
	closure := r["closure"].(map[string]any)
	if r["status"] != "completed" || closure["on_time"] != true || closure["by"] != "dora" || r["retention_due"] != "2028-03-02" {
		t.Errorf("completed: %v %v %v", r["status"], closure, r["retention_due"])
	}

	want := []string{"rights.events.request.answered", "rights.events.request.answered", "rights.events.request.answered",
		"rights.events.request.answered", "rights.events.request.completed", "rights.events.request.matches_confirmed",
		"rights.events.request.received", "rights.events.request.search_started"}
	got := evs.WaitFor(t, len(want))
	var gotSubjects []string
	for _, m := range got {
		gotSubjects = append(gotSubjects, m.Subject())
	}
	if !slices.Equal(subjects(gotSubjects), want) {
		t.Errorf("events %v", subjects(gotSubjects))
	}
	// Status events carry no personal data.
	for _, m := range status.WaitFor(t, len(want)) {
		for _, personal := range []string{"Ann", "ann@example.org", "ME15", "Old Road", "07700"} {
			if strings.Contains(string(m.Data()), personal) {
				t.Errorf("%s carries %q: %s", m.Subject(), personal, m.Data())
			}
		}
		if m.Subject() != "status.rights.requests" {
			t.Errorf("status subject %s", m.Subject())
		}
	}
	for _, m := range got {
		for _, personal := range []string{"Ann", "ann@example.org", "ME15"} {
			if strings.Contains(string(m.Data()), personal) {
				t.Errorf("%s carries %q", m.Subject(), personal)
			}
		}
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'request.read'`); n < 3 {
		t.Errorf("reads audited: %d", n)
	}
}

// A service that is down during the search: the request waits, shows which service it
// waits for, survives a restart, and completes when the service comes back.
func TestServiceDownThenBack(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := fakes(t, e)
	complaints.serve(t, e)

	id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("access"))["id"].(string)
	e.Must(202, "POST", "/requests/"+id+"/search", e.officer(), nil)
	r := e.waitFor(id, "a failed attempt at investigations", func(r map[string]any) bool {
		steps := r["search"].(map[string]any)["services"].([]any)
		return steps[1].(map[string]any)["attempts"].(float64) >= 1 && steps[0].(map[string]any)["state"] == "answered"
	})
	inv := r["search"].(map[string]any)["services"].([]any)[1].(map[string]any)
	if r["phase"] != "searching" || r["complete"] != false || fmt.Sprint(r["pending"]) != "[investigations]" ||
		inv["state"] != "pending" || inv["last_error"] == "" || inv["next_attempt_at"] != start.Add(time.Minute).Format(time.RFC3339) {
		t.Fatalf("while investigations is down: phase %v complete %v pending %v step %v", r["phase"], r["complete"], r["pending"], inv)
	}
	if len(r["candidates"].([]any)) != 1 {
		t.Errorf("the complaints candidate should show while the search waits: %v", r["candidates"])
	}
	// Partial results are never presented as complete.
	res := e.Call("GET", "/requests/"+id+"/response", e.officer(), nil)
	problem := res.JSON(t)
	if res.Status != 409 || problem["type"] != "https://casework.dev/problems/incomplete" || fmt.Sprint(problem["pending"]) != "[investigations]" {
		t.Errorf("response while a service is pending: %d %s", res.Status, res.Body)
	}
	if res := e.Call("POST", "/requests/"+id+"/confirm", e.dpo(), map[string]any{"matches": []any{}}); res.Status != 409 {
		t.Errorf("confirmed while a service is pending: %d", res.Status)
	}

	// The service restarts, and the request still waits.
	e.Shutdown()
	e = newEnvOn(t, e.DB, e.NATS, e.Clock)
	investigations.serve(t, e)
	if got := e.Must(200, "GET", "/requests/"+id, e.officer(), nil); got["phase"] != "searching" {
		t.Fatalf("before the retry is due: %v", got["phase"])
	}
	e.Clock.Advance(time.Minute)
	r = e.waitFor(id, "investigations to answer once asked again", phaseIs("confirming"))
	inv = r["search"].(map[string]any)["services"].([]any)[1].(map[string]any)
	if inv["state"] != "answered" || inv["attempts"].(float64) != 2 || r["complete"] != true || len(r["candidates"].([]any)) != 3 {
		t.Errorf("after: %v candidates %d", inv, len(r["candidates"].([]any)))
	}
	if complaints.questions(rights.Find) != 1 || investigations.questions(rights.Find) != 1 {
		t.Errorf("complaints asked %d times, investigations answered %d times", complaints.questions(rights.Find), investigations.questions(rights.Find))
	}
	e.Must(202, "POST", "/requests/"+id+"/confirm", e.dpo(), map[string]any{"matches": []map[string]any{{"service": "investigations", "record_id": "i-2"}}})
	e.waitFor(id, "the export", phaseIs("ready"))
	if got := e.Must(200, "POST", "/requests/"+id+"/complete", e.dpo(), nil); got["status"] != "completed" {
		t.Errorf("status %v", got["status"])
	}
}

// A rectification of Ann's address: the complaints service corrects it and every recipient
// its disclosure log shows received her data is sent an Article 19 notice, recorded, and the
// DPO sees who has acknowledged.
func TestRectificationSendsArticle19Notices(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := fakes(t, e)
	complaints.serve(t, e)
	investigations.serve(t, e)
	share := e.Collect("RIGHTS_SHARE", "share.>")

	id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("rectification"))["id"].(string)
	e.Must(202, "POST", "/requests/"+id+"/search", e.officer(), nil)
	e.waitFor(id, "the search", phaseIs("confirming"))
	e.Must(202, "POST", "/requests/"+id+"/confirm", e.dpo(), map[string]any{"matches": []map[string]any{
		{"service": "complaints", "record_id": "c-1"}, {"service": "investigations", "record_id": "i-1"}}})
	r := e.waitFor(id, "the rectification", phaseIs("ready"))
	if slices.Compare(complaints.acted[rights.Rectify], []string{"c-1"}) != 0 || slices.Compare(investigations.acted[rights.Rectify], []string{"i-1"}) != 0 {
		t.Errorf("rectified %v and %v", complaints.acted, investigations.acted)
	}
	notices := r["article19_notices"].([]any)
	var sent []string
	for _, n := range notices {
		n := n.(map[string]any)
		sent = append(sent, fmt.Sprintf("%s %s %s %v", n["recipient"], n["action"], n["original_disclosure_id"], n["acknowledged"]))
	}
	if want := []string{"subject-of-complaint rectified " + toSubject + " false", "ward-councillor rectified " + toCouncillor + " false"}; !slices.Equal(subjects(sent), want) {
		t.Fatalf("notices %q", sent)
	}
	msgs := share.WaitFor(t, 2)
	bySubject := map[string]map[string]any{}
	for _, m := range msgs {
		bySubject[m.Subject()] = decode(t, m)
	}
	w := bySubject["share.ward-councillor.rights.article19"]
	if w == nil || bySubject["share.subject-of-complaint.rights.article19"] == nil || len(msgs) != 2 {
		t.Fatalf("share subjects %s", testkit.Subjects(msgs))
	}
	data := w["data"].(map[string]any)
	if data["service"] != "complaints" || data["original_disclosure_id"] != toCouncillor || data["action"] != "rectified" ||
		data["field"] != "address" || data["corrected_value"] != "2 New Road, Maidstone ME14 1AA" || len(data) != 6 {
		t.Errorf("the notice says %v", data)
	}
	if w["purpose"] != "article19_notification" || w["condition"] != "legal_obligation" || w["notice_version"] != "2026.12.1" {
		t.Errorf("envelope %v", w)
	}
	// The person complained about never had Ann's address: told it was rectified, not told
	// what it is now.
	if data := bySubject["share.subject-of-complaint.rights.article19"]["data"].(map[string]any); data["action"] != "rectified" ||
		data["original_disclosure_id"] != toSubject || data["field"] != nil || data["corrected_value"] != nil || len(data) != 4 {
		t.Errorf("the notice to the person complained about says %v", data)
	}
	if n := e.count(`SELECT count(*) FROM disclosure_log WHERE case_id = $1 AND purpose = 'article19_notification'
		AND categories = '{corrected_value,disclosure_reference}' AND data_subject = $2`, id, "subject:"+id); n != 2 {
		t.Errorf("disclosure log rows: %d", n)
	}

	var wardNotice string
	for _, n := range notices {
		if n := n.(map[string]any); n["recipient"] == "ward-councillor" {
			wardNotice = n["id"].(string)
		}
	}
	r = e.Must(200, "POST", "/requests/"+id+"/article19/"+wardNotice+"/acknowledge", e.officer(), nil)
	acked := map[string]bool{}
	for _, n := range r["article19_notices"].([]any) {
		n := n.(map[string]any)
		acked[n["recipient"].(string)] = n["acknowledged"].(bool)
	}
	if !acked["ward-councillor"] || acked["subject-of-complaint"] {
		t.Errorf("acknowledged: %v", acked)
	}
	if res := e.Call("POST", "/requests/"+id+"/article19/"+wardNotice+"/acknowledge", e.officer(), nil); res.Status != 409 {
		t.Errorf("acknowledged twice: %d", res.Status)
	}
	if res := e.Call("GET", "/requests/"+id+"/response", e.officer(), nil); res.Status != 409 {
		t.Errorf("a rectification has no compiled response: %d", res.Status)
	}
}

// An erasure: the complaint is erased and its recipient told; the investigation is refused
// on the ground its service names, and nothing is sent for it.
func TestErasureRefusedForOneServiceWithItsGround(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := fakes(t, e)
	rec := annsComplaint()
	rec.Disclosures = []rights.Disclosure{{DisclosureID: toLGO, Recipient: "lgo", Purpose: "referral", Categories: []string{"complainant_name"}, DisclosedAt: disclosedAt}}
	complaints.add("ann@example.org", rec)
	investigations.refuse["i-1"] = rights.Refusal{Ground: "legal_hold", Words: "the investigation is under a legal hold while proceedings are pending"}
	complaints.serve(t, e)
	investigations.serve(t, e)
	share := e.Collect("RIGHTS_SHARE", "share.>")

	id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("erasure"))["id"].(string)
	e.Must(202, "POST", "/requests/"+id+"/search", e.officer(), nil)
	e.waitFor(id, "the search", phaseIs("confirming"))
	e.Must(202, "POST", "/requests/"+id+"/confirm", e.dpo(), map[string]any{"matches": []map[string]any{
		{"service": "complaints", "record_id": "c-1"}, {"service": "investigations", "record_id": "i-1"}}})
	r := e.waitFor(id, "the erasure", phaseIs("ready"))
	outcomes := map[string]map[string]any{}
	for _, o := range r["outcomes"].([]any) {
		o := o.(map[string]any)
		outcomes[o["service"].(string)] = o
	}
	if c := outcomes["complaints"]; c["done"] != true || c["verb"] != "erase" || c["refusal"] != nil {
		t.Errorf("complaints outcome %v", c)
	}
	inv := outcomes["investigations"]
	refusal, _ := inv["refusal"].(map[string]any)
	if inv["done"] != false || refusal["ground"] != "legal_hold" || refusal["words"] != "the investigation is under a legal hold while proceedings are pending" {
		t.Errorf("investigations outcome %v", inv)
	}
	msgs := share.WaitFor(t, 1)
	if testkit.Subjects(msgs) != "share.lgo.rights.article19" {
		t.Errorf("notices sent: %s", testkit.Subjects(msgs))
	}
	data := decode(t, msgs[0])["data"].(map[string]any)
	if data["action"] != "erased" || data["original_disclosure_id"] != toLGO || data["corrected_value"] != nil {
		t.Errorf("the notice says %v", data)
	}
	if len(investigations.acted[rights.Erase]) != 0 {
		t.Errorf("the investigation was erased: %v", investigations.acted)
	}
	// Complaints erased the record: the request was acted on, and is not refused as a whole.
	e.RefusesBadInput(t, e.dpo(), []testkit.BadInput{{Name: "refused after an erasure", Method: "POST", Path: "/requests/" + id + "/refuse",
		Body: map[string]any{"ground": "manifestly_unfounded", "reasons": "The fourth identical request this month."}, Status: 409, Problem: "conflict", Check: func(t *testing.T, r testkit.Response, p map[string]any) {
			if p["rule"] != "services_acted" || !strings.HasPrefix(p["detail"].(string), "complaints already erased the person's records") {
				t.Errorf("refusal after an erasure: %s", r.Body)
			}
		}}})
	if r := e.Must(200, "POST", "/requests/"+id+"/complete", e.dpo(), nil); r["status"] != "completed" {
		t.Errorf("completed: %v", r["status"])
	}
}

// The month passes with the request open: exactly one overdue event and status event,
// also when the sweep runs again after a restart.
func TestOverdueOnceAcrossRestarts(t *testing.T) {
	e := newEnv(t)
	evs := e.Collect("RIGHTS_EVENTS", "rights.events.request.deadline.overdue")
	status := e.Collect("RIGHTS_STATUS", "status.rights.>")
	id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("access"))["id"].(string)
	ctx := context.Background()

	e.Clock.Set(time.Date(2026, 4, 2, 22, 59, 0, 0, time.UTC)) // 23:59 BST on the due date
	if n, err := e.svc.App.SweepOverdue(ctx, 100); n != 0 || err != nil {
		t.Fatalf("overdue on its due date: %d %v", n, err)
	}
	e.Clock.Set(time.Date(2026, 4, 2, 23, 0, 0, 0, time.UTC)) // midnight in London
	if n, err := e.svc.App.SweepOverdue(ctx, 100); n != 1 || err != nil {
		t.Fatalf("sweep: %d %v", n, err)
	}
	e.Shutdown()
	e = newEnvOn(t, e.DB, e.NATS, e.Clock)
	e.Clock.Advance(24 * time.Hour)
	if n, err := e.svc.App.SweepOverdue(ctx, 100); n != 0 || err != nil {
		t.Errorf("after a restart: %d %v", n, err)
	}
	msgs := evs.WaitFor(t, 1)
	ev := decode(t, msgs[0])
	if len(evs.All()) != 1 || ev["case_id"] != id || ev["kind"] != "access" || ev["status"] != "open" {
		t.Errorf("overdue events %d: %v", len(evs.All()), ev)
	}
	st := status.WaitFor(t, 2)
	last := decode(t, st[1])
	if len(st) != 2 || last["overdue"] != true || last["change"] != "request.deadline.overdue" {
		t.Errorf("status %v", last)
	}
	r := e.Must(200, "GET", "/requests/"+id, e.officer(), nil)
	if r["deadline"].(map[string]any)["overdue_at"] != "2026-04-02T23:00:00Z" {
		t.Errorf("overdue_at %v", r["deadline"])
	}
}

// Proof of identity awaited: the clock stops on receipt, nothing is searched, and the month
// runs from the day the proof arrives; the month may then be extended by two.
func TestIdentityAwaitedThenExtended(t *testing.T) {
	e := newEnv(t)
	body := anAccessRequest("access")
	delete(body, "identity_method")
	r := e.Must(201, "POST", "/requests", e.officer(), body)
	id := r["id"].(string)
	if r["status"] != "clock_stopped" || r["awaiting"] != "identity" || r["deadline"].(map[string]any)["stopped"] != true {
		t.Fatalf("logged without identity: %v %v %v", r["status"], r["awaiting"], r["deadline"])
	}
	if res := e.Call("POST", "/requests/"+id+"/search", e.officer(), nil); res.Status != 409 {
		t.Errorf("searched before identity was verified: %d", res.Status)
	}
	e.Clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	res := e.Call("POST", "/requests/"+id+"/clock/restart", e.officer(), map[string]any{"received_at": "2026-03-05T12:00:00Z"})
	if p := res.JSON(t); res.Status != 400 || !strings.Contains(string(res.Body), "/identity_method") {
		t.Errorf("restart without saying how identity was checked: %d %v", res.Status, p)
	}
	r = e.Must(200, "POST", "/requests/"+id+"/clock/restart", e.officer(),
		map[string]any{"received_at": "2026-03-05T12:00:00Z", "identity_method": "driving licence and bank statement seen"})
	// 5 April 2026 is a Sunday and 6 April Easter Monday.
	if r["status"] != "open" || r["deadline"].(map[string]any)["due_date"] != "2026-04-07" || r["identity"].(map[string]any)["verified"] != true {
		t.Errorf("after the proof: %v %v", r["status"], r["deadline"])
	}
	r = e.Must(200, "POST", "/requests/"+id+"/extend", e.dpo(),
		map[string]any{"months": 2, "reason": "records in several services", "told_on": "2026-03-09", "told_how": "email"})
	if r["deadline"].(map[string]any)["due_date"] != "2026-06-05" || r["extension"].(map[string]any)["months"] != float64(2) {
		t.Errorf("extended: %v", r["deadline"])
	}
	if res := e.Call("POST", "/requests/"+id+"/extend", e.dpo(),
		map[string]any{"months": 1, "reason": "again", "told_on": "2026-03-09", "told_how": "email"}); res.Status != 409 {
		t.Errorf("extended twice: %d", res.Status)
	}
}

// Two years after the answer the request's personal data is erased; the facts stay.
func TestRetentionErasesAfterTwoYears(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := newFake("complaints"), newFake("investigations")
	complaints.serve(t, e)
	investigations.serve(t, e)
	id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("access"))["id"].(string)
	e.Must(202, "POST", "/requests/"+id+"/search", e.officer(), nil)
	e.waitFor(id, "the search", phaseIs("confirming"))
	e.Must(202, "POST", "/requests/"+id+"/confirm", e.dpo(), map[string]any{"matches": []any{}})
	e.Must(200, "POST", "/requests/"+id+"/complete", e.dpo(), nil)
	ctx := context.Background()
	e.Clock.Set(time.Date(2028, 3, 1, 12, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(ctx, 100); n != 0 || err != nil {
		t.Fatalf("erased early: %d %v", n, err)
	}
	e.Clock.Set(time.Date(2028, 3, 2, 12, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(ctx, 100); n != 1 || err != nil {
		t.Fatalf("sweep: %d %v", n, err)
	}
	if n := e.count(`SELECT count(*) FROM rights_request_personal_data`); n != 0 {
		t.Errorf("personal data rows left: %d", n)
	}
	r := e.Must(200, "GET", "/requests/"+id, e.officer(), nil)
	if r["erased"] != true || r["requester"].(map[string]any)["name"] != "" || r["kind"] != "access" || r["status"] != "completed" {
		t.Errorf("after erasure: %v", r)
	}
	if res := e.Call("GET", "/requests/"+id+"/response", e.officer(), nil); res.Status != 409 {
		t.Errorf("response after erasure: %d", res.Status)
	}
}
