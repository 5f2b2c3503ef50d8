package e2e_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"casework.dev/pkg/testkit"
)

// TestErasureAcrossServicesTellsEveryRecipient: Ann asks for erasure. She is the
// complainant of a closed complaint shown to her ward councillor, the reporter of a closed
// noise case referred to the police, and a witness in a case still open. Complaints erases
// the complaint; investigations erases her from the closed case and refuses for the open
// one on its notice's ground, in the words a DPO would write; the request records each
// answer; the councillor and the police, and no one else, are told (Art 19) by a notice that
// says only what was done to which disclosure, announced by events that name no one.
func TestErasureAcrossServicesTellsEveryRecipient(t *testing.T) {
	c := newCouncil(t)
	partners := c.rights.Collect("RIGHTS_SHARE", "share.>")
	rightsEvents := c.rights.Collect("RIGHTS_EVENTS", "rights.events.>")
	complaintEvents := c.complaints.Collect("COMPLAINTS_EVENTS", "complaints.events.rights.>")
	investigationEvents := c.investigations.Collect("INVESTIGATIONS_EVENTS", "investigations.events.rights.>")
	alice, olive := c.complaints.Token("alice", "complaints_officer"), c.investigations.Token("olive", "investigations_officer")
	mona := c.investigations.Token("mona", "investigations_manager")

	complaintID := c.complaints.Must(201, "POST", "/complaints", alice, map[string]any{"complainant": ann,
		"details": "Bins not collected for three weeks on Old Road.", "service": "waste", "channel": "web", "consent_to": []string{"ward-councillor"}})["id"].(string)
	toCouncillor := c.complaints.Must(201, "POST", "/complaints/"+complaintID+"/disclosures", alice,
		map[string]any{"recipient": "ward-councillor", "purpose": "complaint_handling"})["id"].(string)
	c.complaints.Must(200, "POST", "/complaints/"+complaintID+"/close", alice, map[string]any{"reason": "withdrawn"})

	reported := c.investigations.Must(201, "POST", "/investigations", olive, map[string]any{"area": "noise", "channel": "web",
		"people": []any{person("reporter", ann), map[string]any{"role": "subject", "name": "Sam Subject"}},
		"matter": map[string]any{"summary": "Loud music every night", "locations": []any{"Old Road, Maidstone"}, "dates": []any{"2026-02-20"}}})
	reportedID := reported["id"].(string)
	inv := "/investigations/" + reportedID
	c.investigations.Must(200, "POST", inv+"/conditions", olive, map[string]any{"recipient": "kent-police", "condition": "crime_prevention", "reason": "police request 42"})
	toPolice := c.investigations.Must(201, "POST", inv+"/referrals", olive,
		map[string]any{"recipient": "kent-police", "purpose": "prevention_and_detection_of_crime"})["id"].(string)
	c.investigations.Must(200, "POST", inv+"/outcome", olive, map[string]any{"outcome": "no_further_action"})
	c.investigations.Must(200, "POST", inv+"/close", olive, map[string]any{"reason": "resolved"})

	witnessed := c.investigations.Must(201, "POST", "/investigations", olive, map[string]any{"area": "noise", "channel": "phone",
		"people": []any{map[string]any{"role": "reporter", "name": "Rita Reporter", "email": "rita@example.org"},
			map[string]any{"role": "subject", "name": "Simon Other"}, person("witness", map[string]any{"name": "Ann Applicant", "email": "ann@example.org"})},
		"matter": map[string]any{"summary": "Barking dog at night", "locations": []any{"Mill Lane, Maidstone"}, "dates": []any{"2026-02-25"}, "times": []any{"night"}}})

	id, candidates := c.rightsRequest("erasure", nil)
	all := []string{"complaints complainant", "investigations reporter", "investigations witness"}
	if got := slices.Sorted(maps.Keys(candidates)); !slices.Equal(got, all) {
		t.Fatalf("candidates %v, want %v", got, all)
	}
	r := c.confirm(id, candidates, all...)

	// Each service's answer, recorded per record.
	got := outcomes(r)
	type answer struct {
		done          bool
		ground, words string
	}
	want := map[string]answer{
		"complaints erase " + candidates["complaints complainant"]:      {done: true},
		"investigations erase " + candidates["investigations reporter"]: {done: true},
		"investigations erase " + candidates["investigations witness"]: {ground: "public_task",
			words: "the investigation or enforcement action is still under way (" + witnessed["reference"].(string) + " is still open (received))"},
	}
	if len(got) != len(want) {
		t.Errorf("outcomes %v, want one per confirmed record", got)
	}
	for key, w := range want {
		o := got[key]
		var g answer
		if o != nil {
			g.done, _ = o["done"].(bool)
			if ref, ok := o["refusal"].(map[string]any); ok {
				g.ground, g.words = ref["ground"].(string), ref["words"].(string)
			}
		}
		if o == nil || g != w {
			t.Errorf("%s: %v, want %+v", key, o, w)
		}
	}
	if r["status"] != "open" || r["complete"] != true || len(r["pending"].([]any)) != 0 {
		t.Errorf("the request after the answers: status %v complete %v pending %v", r["status"], r["complete"], r["pending"])
	}

	// The recipients of the erased records, and only they, are told.
	told := notices(r)
	slices.Sort(told)
	if w := []string{"complaints ward-councillor erased " + toCouncillor, "investigations kent-police erased " + toPolice}; !slices.Equal(told, w) {
		t.Fatalf("Article 19 notices %q, want %q", told, w)
	}
	for _, n := range r["article19_notices"].([]any) {
		if n := n.(map[string]any); n["sent_at"] != "2026-03-02T10:00:00Z" || n["refused"] != nil || n["acknowledged"] != false {
			t.Errorf("notice %v", n)
		}
	}
	sent := map[string]map[string]any{}
	for _, m := range partners.WaitFor(t, 2) {
		d := testkit.Decode(t, m)
		if d["purpose"] != "article19_notification" || d["reference"] != r["reference"] {
			t.Errorf("%s: %v", m.Subject(), d)
		}
		sent[m.Subject()] = d["data"].(map[string]any)
	}
	wantSent := map[string]map[string]any{
		"share.ward-councillor.rights.article19": {"service": "complaints", "original_disclosure_id": toCouncillor,
			"disclosed_at": "2026-03-02T10:00:00Z", "action": "erased"},
		"share.kent-police.rights.article19": {"service": "investigations", "original_disclosure_id": toPolice,
			"disclosed_at": "2026-03-02T10:00:00Z", "action": "erased"},
	}
	if !reflect.DeepEqual(sent, wantSent) {
		t.Errorf("Article 19 notices sent %v, want %v", sent, wantSent)
	}

	// Each notice is a disclosure in the rights service's log, under the notice's id, sent
	// on the recipient's subject.
	var logged []string
	if err := c.rights.DB.Select(&logged, `SELECT id || ' ' || recipient || ' ' || purpose || ' ' || subject FROM disclosure_log
		WHERE case_id = $1 ORDER BY recipient`, id); err != nil {
		t.Fatal(err)
	}
	var wantLogged []string
	for _, n := range r["article19_notices"].([]any) {
		n := n.(map[string]any)
		wantLogged = append(wantLogged, fmt.Sprintf("%s %s article19_notification share.%s.rights.article19", n["id"], n["recipient"], n["recipient"]))
	}
	slices.SortFunc(wantLogged, func(a, b string) int { return strings.Compare(strings.Fields(a)[1], strings.Fields(b)[1]) })
	if !slices.Equal(logged, wantLogged) {
		t.Errorf("the rights service's disclosure log %q, want %q", logged, wantLogged)
	}

	// The request's events record each answer and each notice, naming no one.
	var afterConfirm []string
	confirmed := false
	for _, m := range rightsEvents.WaitFor(t, 11) {
		e := testkit.Decode(t, m)
		if e["case_id"] != id {
			continue
		}
		if confirmed {
			afterConfirm = append(afterConfirm, fmt.Sprintf("%s %v %v", e["type"], e["service"], e["recipient"]))
		}
		confirmed = confirmed || e["type"] == "request.matches_confirmed"
		if strings.Contains(string(m.Data()), "Ann") || strings.Contains(string(m.Data()), "ann@") {
			t.Errorf("%s names Ann: %s", m.Subject(), m.Data())
		}
	}
	slices.Sort(afterConfirm)
	wantEvents := []string{"request.answered complaints <nil>", "request.answered investigations <nil>",
		"request.article19.sent complaints ward-councillor", "request.article19.sent investigations kent-police"}
	if !slices.Equal(afterConfirm, wantEvents) {
		t.Errorf("rights events after the confirmation %q, want %q", afterConfirm, wantEvents)
	}
	if m := complaintEvents.WaitFor(t, 1); len(m) != 1 || m[0].Subject() != "complaints.events.rights.erased" ||
		testkit.Decode(t, m[0])["complaint_id"] != complaintID {
		t.Errorf("complaints announced %s", testkit.Subjects(m))
	}
	if m := investigationEvents.WaitFor(t, 1); len(m) != 1 || m[0].Subject() != "investigations.events.rights.person_erased" ||
		testkit.Decode(t, m[0])["investigation_id"] != reportedID {
		t.Errorf("investigations announced %s", testkit.Subjects(m))
	}

	// What each service holds now: nothing of Ann where erased, all of it where refused.
	complaint := c.complaints.Must(200, "GET", "/complaints/"+complaintID, alice, nil)
	if complaint["complainant"] != nil || complaint["erased_at"] != "2026-03-02T10:00:00Z" {
		t.Errorf("the erased complaint: complainant %v erased_at %v", complaint["complainant"], complaint["erased_at"])
	}
	if raw := must(json.Marshal(c.investigations.Must(200, "GET", inv, mona, nil))); strings.Contains(string(raw), "Ann Applicant") ||
		strings.Contains(string(raw), "ann@example.org") || !strings.Contains(string(raw), "Sam Subject") {
		t.Errorf("the closed case after Ann's erasure: %s", raw)
	}
	if raw := must(json.Marshal(c.investigations.Must(200, "GET", "/investigations/"+witnessed["id"].(string), mona, nil))); !strings.Contains(string(raw), "Ann Applicant") {
		t.Errorf("the open case lost Ann's data: %s", raw)
	}
}
