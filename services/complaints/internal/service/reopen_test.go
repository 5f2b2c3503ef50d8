package service_test

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

const notExhausted = "The council's complaints process was not completed. " +
	"The Ombudsman normally expects it to be, and may send the complaint back as premature, but may still accept it."

// stage1Closed logs a complaint, answers stage 1 (alice) and closes it; the clock is then
// two days on (Wed 4 Mar 2026 10:00 GMT).
func stage1Closed(e *env) string {
	e.T.Helper()
	alice := e.officer("alice")
	id := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice, nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/respond", alice, map[string]any{"outcome": "not_upheld", "summary": "Collections were made."})
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/close", alice, map[string]any{})
	return id
}

func deadlineOf(t *testing.T, c map[string]any, stage float64, kind string) map[string]any {
	t.Helper()
	for _, d := range c["deadlines"].([]any) {
		if m := d.(map[string]any); m["stage"] == stage && m["kind"] == kind {
			return m
		}
	}
	t.Fatalf("no stage %v %s deadline in %v", stage, kind, c["deadlines"])
	return nil
}

// Defects 1 and 5 over HTTP: a closed stage 1 complaint is escalated, its stage 2
// acknowledgement clock running from when the request arrived; bad received_at refused.
func TestEscalateAClosedStage1ComplaintFromWhenTheRequestArrived(t *testing.T) {
	e := newEnv(t)
	alice, bob := e.officer("alice"), e.officer("bob")
	id := stage1Closed(e)
	p := "/complaints/" + id
	c := e.Expect(http.StatusOK, "GET", p, alice, nil).JSON(t)
	if !reflect.DeepEqual(c["allowed_actions"], []any{"escalate", "refer_lgo"}) {
		t.Fatalf("closed after the stage 1 response: allowed_actions %v", c["allowed_actions"])
	}
	e.Clock.Advance(48 * time.Hour)                   // Wed 4 Mar
	alice, bob = e.officer("alice"), e.officer("bob") // tokens issued now
	valid := func(received string) map[string]any {
		return map[string]any{"further_details": "Collections are still missed.", "handler": "bob", "received_at": received}
	}
	e.RefusesBadInput(t, alice, []testkit.BadInput{
		{Name: "received at Go's zero time", Method: "POST", Path: p + "/escalate", Body: valid("0001-01-01T00:00:00Z"),
			Status: 400, Problem: "validation", Pointers: []string{"/received_at"}},
		{Name: "received in the future", Method: "POST", Path: p + "/escalate", Body: valid("2026-03-05T10:00:00Z"),
			Status: 400, Problem: "validation", Pointers: []string{"/received_at"}},
		{Name: "received before the stage 1 response", Method: "POST", Path: p + "/escalate", Body: valid("2026-03-02T09:59:00Z"),
			Status: 400, Problem: "validation", Pointers: []string{"/received_at"}},
	})
	e.Expect(http.StatusConflict, "POST", p+"/escalate", alice, map[string]any{"further_details": "x", "handler": "alice"}) // stage 1 handler

	// Received Tue 3 Mar 09:00: acknowledge by Tue 10 Mar (4, 5, 6, 9, 10), the end of that London day.
	c = e.Expect(http.StatusOK, "POST", p+"/escalate", alice, valid("2026-03-03T09:00:00Z")).JSON(t)
	if c["status"] != "stage2_received" || c["stage"] != 2.0 || c["closed_at"] != nil || c["retention_due"] != nil ||
		c["handlers"].(map[string]any)["stage2"] != "bob" || c["stage2_details"] != "Collections are still missed." ||
		!reflect.DeepEqual(c["allowed_actions"], []any{"acknowledge", "refer_lgo", "close"}) {
		t.Fatalf("escalated: status %v stage %v closed_at %v retention_due %v handlers %v allowed %v",
			c["status"], c["stage"], c["closed_at"], c["retention_due"], c["handlers"], c["allowed_actions"])
	}
	ack := deadlineOf(t, c, 2, "acknowledge")
	computation := ack["computation"].(map[string]any)
	if ack["due_date"] != "2026-03-10" || ack["due_at"] != "2026-03-11T00:00:00Z" || ack["met_at"] != nil ||
		computation["start"] != "2026-03-03T09:00:00Z" || computation["start_date"] != "2026-03-03" || computation["amount"] != 5.0 {
		t.Fatalf("stage 2 acknowledge deadline %v", ack)
	}
	// Stage 2 as usual: not the stage 1 handler; bob's acknowledgement starts 20 working days.
	e.Expect(http.StatusConflict, "POST", p+"/acknowledge", alice, nil)
	c = e.Expect(http.StatusOK, "POST", p+"/acknowledge", bob, nil).JSON(t)
	if d := deadlineOf(t, c, 2, "respond"); d["due_date"] != "2026-04-01" { // 20 working days from Wed 4 Mar
		t.Fatalf("stage 2 respond deadline %v", d)
	}
}

// Defects 2, 3 and 4 over HTTP.
func TestOmbudsmanReferralsFollowTheRecord(t *testing.T) {
	e := newEnv(t)
	alice, bob, lucy := e.officer("alice"), e.officer("bob"), e.lgo("lucy")
	notExhaustedWarnings := []any{map[string]any{"code": "process_not_exhausted", "detail": notExhausted}}

	// Defect 3: referred while stage 2 runs (over delay): allowed, with the warning.
	id, _ := stage3Answered(e)
	running := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())["id"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+running+"/acknowledge", alice, nil)
	e.Must(http.StatusOK, "POST", "/complaints/"+running+"/respond", alice, map[string]any{"outcome": "not_upheld", "summary": "No fault."})
	e.Must(http.StatusOK, "POST", "/complaints/"+running+"/escalate", alice, map[string]any{"further_details": "Still missed.", "handler": "bob"})
	e.Must(http.StatusOK, "POST", "/complaints/"+running+"/acknowledge", bob, nil)
	c := e.Expect(http.StatusOK, "POST", "/complaints/"+running+"/lgo/referral", alice, stage3Referral("2026-02-20", false)).JSON(t)
	if c["status"] != "stage3_referred" || !reflect.DeepEqual(c["warnings"], notExhaustedWarnings) ||
		c["stage3"].(map[string]any)["from_status"] != "stage2_acknowledged" || c["stage3"].(map[string]any)["process_completed"] != false {
		t.Fatalf("referral at stage2_acknowledged: status %v warnings %v stage3 %v", c["status"], c["warnings"], c["stage3"])
	}

	// Defect 4: stage 1 only, closed, the officer says complete: the record says not.
	closed := stage1Closed(e)
	p := "/complaints/" + closed
	c = e.Expect(http.StatusOK, "POST", p+"/lgo/referral", alice, stage3Referral("2026-02-20", true)).JSON(t)
	if !reflect.DeepEqual(c["warnings"], notExhaustedWarnings) || c["stage3"].(map[string]any)["process_completed"] != false {
		t.Fatalf("stage-1-only referral stated complete: warnings %v stage3 %v", c["warnings"], c["stage3"])
	}
	// Stage 2 answered, the officer says not complete: the record says complete.
	c = e.Expect(http.StatusOK, "POST", "/complaints/"+id+"/lgo/referral", alice, stage3Referral("2026-02-20", false)).JSON(t)
	if !reflect.DeepEqual(c["warnings"], []any{}) || c["stage3"].(map[string]any)["process_completed"] != true {
		t.Fatalf("stage 2 answered: warnings %v stage3 %v", c["warnings"], c["stage3"])
	}

	// Defect 2: sent back as premature; stage 2 is done; the complainant returns to the Ombudsman.
	c = e.Expect(http.StatusOK, "POST", p+"/lgo/decision", lucy, map[string]any{"outcome": "premature", "decided_on": "2026-03-02",
		"summary": "The council's stage 2 has not been used."}).JSON(t)
	if c["status"] != "stage3_decided" || !reflect.DeepEqual(c["allowed_actions"], []any{"escalate", "refer_lgo", "close"}) {
		t.Fatalf("premature: status %v allowed %v", c["status"], c["allowed_actions"])
	}
	e.Clock.Advance(time.Hour)
	alice, bob = e.officer("alice"), e.officer("bob") // tokens issued now
	c = e.Expect(http.StatusOK, "POST", p+"/escalate", alice, map[string]any{"further_details": "Please review.", "handler": "bob"}).JSON(t)
	if c["status"] != "stage2_received" || c["stage"] != 2.0 || deadlineOf(t, c, 2, "acknowledge")["due_date"] != "2026-03-09" {
		t.Fatalf("escalated after premature: status %v stage %v deadlines %v", c["status"], c["stage"], c["deadlines"])
	}
	e.Expect(http.StatusOK, "POST", p+"/acknowledge", bob, nil)
	e.Expect(http.StatusOK, "POST", p+"/respond", bob, map[string]any{"outcome": "not_upheld", "summary": "No fault at stage 2."})
	// Closed at stage 2, it has been to the Ombudsman: kept 10 years, not 6.
	c = e.Expect(http.StatusOK, "POST", p+"/close", bob, map[string]any{}).JSON(t)
	if c["status"] != "closed" || c["retention_due"] != "2036-03-02" || !reflect.DeepEqual(c["allowed_actions"], []any{"refer_lgo"}) {
		t.Fatalf("closed after stage 2: status %v retention_due %v allowed %v", c["status"], c["retention_due"], c["allowed_actions"])
	}
	again := stage3Referral("2026-02-20", false)
	again["lgo_reference"] = "25 099 001"
	c = e.Expect(http.StatusOK, "POST", p+"/lgo/referral", alice, again).JSON(t)
	s3 := c["stage3"].(map[string]any)
	earlier := s3["earlier"].([]any)
	if c["status"] != "stage3_referred" || !reflect.DeepEqual(c["warnings"], []any{}) || s3["lgo_reference"] != "25 099 001" ||
		s3["process_completed"] != true || s3["from_status"] != "closed" || s3["decision"] != nil || len(earlier) != 1 {
		t.Fatalf("referred again: status %v warnings %v stage3 %v", c["status"], c["warnings"], s3)
	}
	old := earlier[0].(map[string]any)
	if old["lgo_reference"] != "25 012 345" || old["from_status"] != "closed" || old["process_completed"] != false ||
		old["decision"].(map[string]any)["outcome"] != "premature" || old["decision"].(map[string]any)["summary"] != "The council's stage 2 has not been used." {
		t.Fatalf("earlier referral %v", old)
	}
	// Read back from the database.
	got := e.Expect(http.StatusOK, "GET", p, alice, nil).JSON(t)
	if !reflect.DeepEqual(got["stage3"], c["stage3"]) {
		t.Fatalf("stage3 read back\n got %v\nwant %v", got["stage3"], c["stage3"])
	}
}
