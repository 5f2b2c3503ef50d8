package service_test

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

func (e *env) sweepRetention(t *testing.T) int {
	t.Helper()
	n, err := e.svc.App.SweepRetention(context.Background(), 100)
	if err != nil {
		t.Fatalf("sweep retention: %v", err)
	}
	return n
}

// countWhere counts the rows of table belonging to one complaint.
func (e *env) countWhere(t *testing.T, table, id string) int {
	t.Helper()
	var n int
	if err := e.DB.Get(&n, `SELECT count(*) FROM `+table+` WHERE complaint_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRetentionErasesPersonalDataSixYearsAfterClosureUnlessHeld(t *testing.T) {
	e := newEnv(t)
	erasedEvents := e.Collect("COMPLAINTS_EVENTS", "complaints.events.erased")
	officer := func() string { return e.officer("alice") } // tokens expire as the clock moves
	manager := func() string { return e.manager("morgan") }

	// One complaint through a full stage 1, four withdrawn; one of those is under a legal hold.
	body := aComplaint()
	body["special_details"] = "The complainant uses a wheelchair."
	body["consent_to"] = []string{"ward-councillor"}
	full := e.Must(http.StatusCreated, "POST", "/complaints", officer(), body)["id"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+full+"/acknowledge", officer(), nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+full+"/extend", officer(), map[string]any{"working_days": 3, "reason": "Ada is in hospital until Friday."})
	e.Must(http.StatusOK, "POST", "/complaints/"+full+"/respond", officer(), map[string]any{
		"outcome": "partly_upheld", "summary": "Crews missed Ada's bin.", "remedies": []string{"apology to Ada"}})
	closed := e.Must(http.StatusOK, "POST", "/complaints/"+full+"/close", officer(), map[string]any{"reason": "Ada is satisfied."})
	if closed["retention_due"] != "2032-03-02" {
		t.Fatalf("retention_due %v", closed["retention_due"])
	}
	ids := []string{full}
	for range 4 {
		id := e.Must(http.StatusCreated, "POST", "/complaints", officer(), aComplaint())["id"].(string)
		e.Must(http.StatusOK, "POST", "/complaints/"+id+"/close", officer(), map[string]any{"reason": "Withdrawn by Ada."})
		ids = append(ids, id)
	}
	held := ids[4]
	r := e.Call("PUT", "/complaints/"+held+"/legal-hold", officer(), map[string]any{"reason": "Pending county court claim."})
	testkit.ProblemOf(t, r, http.StatusForbidden, "https://casework.dev/problems/forbidden")
	e.Must(http.StatusOK, "PUT", "/complaints/"+held+"/legal-hold", manager(), map[string]any{"reason": "Pending county court claim."})

	// The day before the retention date: nothing goes.
	e.Clock.Set(time.Date(2032, 3, 1, 23, 59, 59, 0, time.UTC))
	if n := e.sweepRetention(t); n != 0 {
		t.Fatalf("erased %d a day early", n)
	}
	if v := e.Must(http.StatusOK, "GET", "/complaints/"+full, officer(), nil); v["complainant"] == nil || v["erased_at"] != nil {
		t.Fatalf("erased a day early: %v", v["complainant"])
	}

	// On the retention date: all but the held one.
	erasedAt := time.Date(2032, 3, 2, 0, 0, 0, 0, time.UTC)
	e.Clock.Set(erasedAt)
	if n := e.sweepRetention(t); n != 4 {
		t.Fatalf("erased %d on the retention date, want 4", n)
	}
	if n := e.sweepRetention(t); n != 0 {
		t.Fatalf("second sweep erased %d", n)
	}

	v := e.Must(http.StatusOK, "GET", "/complaints/"+full, officer(), nil)
	for field, want := range map[string]any{"complainant": nil, "details": "", "special_details": "", "stage2_details": "",
		"closure_reason": "", "consents": []any{}, "erased_at": "2032-03-02T00:00:00Z", "status": "closed", "stage": 1.0,
		"service": "waste", "channel": "web", "retention_due": "2032-03-02", "legal_hold": nil} {
		if !reflect.DeepEqual(v[field], want) {
			t.Errorf("after erasure %s = %#v, want %#v", field, v[field], want)
		}
	}
	resp := v["responses"].([]any)[0].(map[string]any)
	if resp["outcome"] != "partly_upheld" || resp["summary"] != "" || !reflect.DeepEqual(resp["remedies"], []any{}) {
		t.Errorf("testkit.Response after erasure: %v", resp)
	}
	// The extension stays (it explains the dates) but its free-text reason goes.
	respond := v["deadlines"].([]any)[1].(map[string]any)
	wantExt := []any{map[string]any{"amount": 3.0, "reason": "", "from_due_date": "2026-03-16"}}
	if ext := respond["computation"].(map[string]any)["extensions"]; !reflect.DeepEqual(ext, wantExt) {
		t.Errorf("extensions after erasure: %v", jsonString(ext))
	}
	// Nothing the complainant or officers wrote about them survives, anywhere in the case.
	raw := string(e.Call("GET", "/complaints/"+full, officer(), nil).Body)
	var deadlineRows string
	if err := e.DB.Get(&deadlineRows, `SELECT string_agg(computation::text, ' ') FROM complaint_deadlines WHERE complaint_id = $1`, full); err != nil {
		t.Fatal(err)
	}
	for _, personal := range []string{"Ada", "Lovelace", "High Street", "01622", "example.org", "wheelchair", "hospital", "Bins not collected"} {
		if strings.Contains(raw, personal) {
			t.Errorf("GET after erasure still shows %q: %s", personal, raw)
		}
		if strings.Contains(deadlineRows, personal) {
			t.Errorf("complaint_deadlines after erasure still hold %q: %s", personal, deadlineRows)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	if n := e.countWhere(t, "complaint_personal_data", full); n != 0 {
		t.Fatalf("%d personal data rows left", n)
	}
	if n := e.countWhere(t, "complaint_consents", full); n != 0 {
		t.Fatalf("%d consent rows left", n)
	}
	var personal int
	if err := e.DB.Get(&personal, `SELECT count(*) FROM complaint_personal_data`); err != nil || personal != 1 {
		t.Fatalf("personal data rows %d (err %v), want 1: the held complaint's", personal, err)
	}
	var anon struct {
		Stage   int    `db:"stage"`
		Outcome string `db:"stage1_outcome"`
		Service string `db:"service"`
		Status  string `db:"status"`
	}
	if err := e.DB.Get(&anon, `SELECT stage, stage1_outcome, service, status FROM complaints WHERE id = $1`, full); err != nil {
		t.Fatal(err)
	}
	if anon.Stage != 1 || anon.Outcome != "partly_upheld" || anon.Service != "waste" || anon.Status != "closed" {
		t.Fatalf("anonymous row: %+v", anon)
	}

	got := erasedEvents.WaitFor(t, 4)
	erasedIDs := map[string]bool{}
	for _, m := range got {
		p := testkit.Decode(t, m)
		if p["type"] != "erased" || p["status"] != "closed" || p["occurred_at"] != "2032-03-02T00:00:00Z" {
			t.Fatalf("erased event: %v", p)
		}
		erasedIDs[p["complaint_id"].(string)] = true
	}
	if len(erasedIDs) != 4 || erasedIDs[held] || !erasedIDs[full] {
		t.Fatalf("erased events for %v", erasedIDs)
	}

	// The anonymous facts still count: five received in March 2026.
	stats := e.Must(http.StatusOK, "GET", "/statistics?from=2026-03-01&to=2026-03-31", officer(), nil)
	want := []any{map[string]any{"month": "2026-03", "service": "waste", "stage": 1.0, "count": 5.0, "suppressed": false}}
	if !reflect.DeepEqual(stats["received"], want) {
		t.Fatalf("received %v, want %v", jsonString(stats["received"]), jsonString(want))
	}

	// The hold keeps the data; once released, the next sweep erases it.
	if v := e.Must(http.StatusOK, "GET", "/complaints/"+held, officer(), nil); v["complainant"] == nil || v["legal_hold"] == nil {
		t.Fatalf("held complaint: complainant %v, legal_hold %v", v["complainant"], v["legal_hold"])
	}
	e.Clock.Advance(time.Hour)
	e.Must(http.StatusOK, "DELETE", "/complaints/"+held+"/legal-hold", manager(), nil)
	if n := e.sweepRetention(t); n != 1 {
		t.Fatalf("erased %d after the hold was released, want 1", n)
	}
	if v := e.Must(http.StatusOK, "GET", "/complaints/"+held, officer(), nil); v["complainant"] != nil || v["erased_at"] != "2032-03-02T01:00:00Z" {
		t.Fatalf("released complaint: complainant %v, erased_at %v", v["complainant"], v["erased_at"])
	}
	if err := e.DB.Get(&personal, `SELECT count(*) FROM complaint_personal_data`); err != nil || personal != 0 {
		t.Fatalf("personal data rows %d (err %v), want 0", personal, err)
	}
	erasedEvents.WaitFor(t, 5)

	// An erased complaint cannot be held or shared any more.
	r = e.Call("PUT", "/complaints/"+held+"/legal-hold", manager(), map[string]any{"reason": "Too late."})
	if p := testkit.ProblemOf(t, r, http.StatusConflict, "https://casework.dev/problems/conflict"); p["rule"] != "erased" {
		t.Fatalf("hold after erasure: %s", r.Body)
	}
}
