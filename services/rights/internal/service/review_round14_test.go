package service_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

// A breach assessed as not reportable owes no report, so it never stays on the overdue
// sweep's work list: before, one such breach at the head of a page held back every
// reportable breach after it, which was then never flagged overdue.
func TestBreachesNotReportableDoNotHoldBackTheOverdueSweep(t *testing.T) {
	e := newEnv(t)
	notReportable := e.Must(201, "POST", "/breaches", e.officer(), aBreach())["id"].(string)
	e.Must(200, "POST", "/breaches/"+notReportable+"/assessment", e.dpo(),
		map[string]any{"reportable": false, "reason": "an encrypted laptop, recovered", "high_risk": false, "tell_people": false})
	owed := e.Must(201, "POST", "/breaches", e.officer(), with(aBreach(), "aware_at", "2026-02-27T16:30:00Z"))["id"].(string)
	e.Clock.Set(time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC))
	n, err := e.svc.App.SweepOverdue(context.Background(), 1)
	if err != nil || n != 1 {
		t.Fatalf("sweep of one: %d %v, want the owed report flagged", n, err)
	}
	deadline := func(id string) map[string]any {
		return e.Must(200, "GET", "/breaches/"+id, e.officer(), nil)["ico_deadline"].(map[string]any)
	}
	if deadline(owed)["overdue_at"] == nil {
		t.Error("the reportable breach was not flagged overdue")
	}
	if deadline(notReportable)["overdue_at"] != nil {
		t.Error("a breach that owes no report was flagged overdue")
	}
}

// The clock stops only while it runs: clarification is asked for within the 20 working
// days (EIR reg 9(2)(b)), and what a rights request needs from the person within its month.
// Before, a stop after the deadline and a restart made a late answer look on time.
func TestClockCannotStopOnceTheDeadlinePassed(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	foi := e.Must(201, "POST", "/foi", e.officer(), anFOI())["id"].(string) // due 2026-04-07 or so
	sar := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("access"))["id"].(string)
	e.Clock.Set(time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC))
	for _, c := range []struct{ path, due string }{
		{"/foi/" + foi, "deadline"},
		{"/requests/" + sar, "deadline"},
	} {
		before := e.Must(200, "GET", c.path, e.officer(), nil)
		var body any
		if strings.HasPrefix(c.path, "/requests/") {
			body = map[string]any{"awaiting": "clarification"}
		}
		res := e.Call("POST", c.path+"/clock/stop", e.officer(), body)
		if res.Status != 409 || res.JSON(t)["rule"] != "deadline_passed" {
			t.Errorf("%s: stop after the deadline: %d %s, want 409 deadline_passed", c.path, res.Status, res.Body)
		}
		after := e.Must(200, "GET", c.path, e.officer(), nil)
		if after["status"] != before["status"] || !reflect.DeepEqual(after[c.due], before[c.due]) {
			t.Errorf("%s: a refused stop changed the case: %v %v -> %v %v", c.path, before["status"], before[c.due], after["status"], after[c.due])
		}
	}
}

// Only a subject access request pauses for clarification of what it is about (UK GDPR
// Article 12A); any request may wait for proof of identity.
func TestClarificationPausesOnlyASubjectAccessRequest(t *testing.T) {
	e := newEnv(t)
	erasure := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("erasure"))["id"].(string)
	res := e.Call("POST", "/requests/"+erasure+"/clock/stop", e.officer(), map[string]any{"awaiting": "clarification"})
	if res.Status != 409 || res.JSON(t)["rule"] != "clarification_for_access_only" {
		t.Errorf("clarification of an erasure request: %d %s, want 409 clarification_for_access_only", res.Status, res.Body)
	}
	if got := e.Must(200, "GET", "/requests/"+erasure, e.officer(), nil)["status"]; got != "open" {
		t.Errorf("status %v after a refused stop, want open", got)
	}
	access := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("access"))["id"].(string)
	e.Must(200, "POST", "/requests/"+access+"/clock/stop", e.officer(), map[string]any{"awaiting": "clarification"})
}

// A deadline the bank-holiday table cannot count is a clear refusal, never a 500: here an
// internal review's extension in December of the table's last year.
func TestReviewExtensionPastTheHolidayTableIsRefused(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2027, 11, 1, 9, 0, 0, 0, time.UTC))
	id := e.Must(201, "POST", "/foi", e.officer(), with(anFOI(), "received_at", "2027-10-25T09:00:00Z"))["id"].(string)
	e.Must(200, "POST", "/foi/"+id+"/respond", e.officer(), map[string]any{"parts": []map[string]any{{"description": "d", "outcome": "released"}}, "publish": false})
	e.Clock.Set(time.Date(2027, 12, 1, 9, 0, 0, 0, time.UTC))
	e.Must(200, "POST", "/foi/"+id+"/review", e.officer(), map[string]any{"requested_at": "2027-12-01T08:00:00Z"})
	before := e.Must(200, "GET", "/foi/"+id, e.officer(), nil)
	res := e.Call("POST", "/foi/"+id+"/review/extend", e.officer(), nil)
	if res.Status != 409 || res.JSON(t)["rule"] != "outside_holiday_table" {
		t.Fatalf("extend past the table: %d %s, want 409 outside_holiday_table", res.Status, res.Body)
	}
	if after := e.Must(200, "GET", "/foi/"+id, e.officer(), nil); !reflect.DeepEqual(after["review"], before["review"]) {
		t.Errorf("a refused extension changed the review: %v -> %v", before["review"], after["review"])
	}
}

// An internal review under the EIR is asked for within 40 working days of the response
// (regulation 11(2)); one asked for a year on is refused and changes nothing, one within
// them is taken.
func TestEIRReviewAskedForWithinFortyWorkingDays(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	respond := func() string {
		id := e.Must(201, "POST", "/foi", e.officer(), with(anFOI(), "regime", "eir"))["id"].(string)
		e.Must(200, "POST", "/foi/"+id+"/respond", e.officer(), map[string]any{"parts": []map[string]any{{"description": "d", "outcome": "released"}}, "publish": false})
		return id
	}
	late, inTime := respond(), respond()
	e.Clock.Set(time.Date(2027, 3, 9, 9, 0, 0, 0, time.UTC))
	res := e.Call("POST", "/foi/"+late+"/review", e.officer(), map[string]any{"requested_at": "2027-03-09T08:00:00Z"})
	if res.Status != 409 || res.JSON(t)["rule"] != "review_out_of_time" {
		t.Errorf("a review a year on: %d %s, want 409 review_out_of_time", res.Status, res.Body)
	}
	if got := e.Must(200, "GET", "/foi/"+late, e.officer(), nil)["review"]; got != nil {
		t.Errorf("a refused review was recorded: %v", got)
	}
	// Tuesday 5 May 2026: within 40 working days of Monday 9 March, bank holidays aside.
	e.Must(200, "POST", "/foi/"+inTime+"/review", e.officer(), map[string]any{"requested_at": "2026-05-05T16:00:00Z"})
}

// A request whose clarification never came lapses on its own three months after it was
// asked for ("closed three months after we asked, and kept 2 years from then"): the
// retention sweep closes it on that day, and one closed by hand later keeps the same
// retention, so the requester's details never stay longer than the notice says.
func TestAnUnclarifiedFOIRequestLapsesOnItsOwn(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	swept := e.Must(201, "POST", "/foi", e.officer(), anFOI())["id"].(string)
	byHand := e.Must(201, "POST", "/foi", e.officer(), anFOI())["id"].(string)
	for _, id := range []string{swept, byHand} {
		e.Must(200, "POST", "/foi/"+id+"/clock/stop", e.officer(), nil)
	}
	e.Clock.Set(time.Date(2026, 6, 8, 22, 59, 0, 0, time.UTC)) // a day short of three months in London
	if n, err := e.svc.App.SweepRetention(context.Background(), 100); n != 0 || err != nil {
		t.Fatalf("sweep a day early: %d %v", n, err)
	}
	e.Clock.Set(time.Date(2026, 6, 9, 6, 0, 0, 0, time.UTC))
	// A batch of one: the request left waiting is not starved by the one the sweep lapsed.
	for range 2 {
		if n, err := e.svc.App.SweepRetention(context.Background(), 1); n != 1 || err != nil {
			t.Fatalf("sweep on the day: %d %v", n, err)
		}
	}
	for _, id := range []string{swept, byHand} {
		f := e.Must(200, "GET", "/foi/"+id, e.officer(), nil)
		if f["status"] != "lapsed" || f["retention_due"] != "2028-06-09" {
			t.Errorf("%s: %v %v, want lapsed, kept to 2028-06-09", id, f["status"], f["retention_due"])
		}
	}
}

// A request whose retention ended while its internal review still runs waits for the
// review, and does not hold back the erasure of the requests after it.
func TestARunningReviewDoesNotHoldBackErasure(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	answer := func() string {
		id := e.Must(201, "POST", "/foi", e.officer(), anFOI())["id"].(string)
		e.Must(200, "POST", "/foi/"+id+"/respond", e.officer(), map[string]any{"parts": []map[string]any{{"description": "d", "outcome": "released"}}, "publish": false})
		return id
	}
	reviewed := answer() // kept to 2028-03-09: first on the erasure list
	e.Clock.Set(time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC))
	plain := answer() // kept to 2028-03-10
	e.Must(200, "POST", "/foi/"+reviewed+"/review", e.officer(), map[string]any{"requested_at": "2026-03-10T09:00:00Z"})
	e.Clock.Set(time.Date(2028, 3, 11, 9, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(context.Background(), 1); n != 1 || err != nil {
		t.Fatalf("sweep of one: %d %v, want the unreviewed request erased", n, err)
	}
	if n := e.count(`SELECT count(*) FROM rights_foi_requests WHERE erased_at IS NOT NULL AND id = $1`, plain); n != 1 {
		t.Error("the request after the reviewed one was not erased")
	}
	if n := e.count(`SELECT count(*) FROM rights_foi_requests WHERE erased_at IS NOT NULL AND id = $1`, reviewed); n != 0 {
		t.Error("a request was erased while its review ran")
	}
}

// A request whose lifting is still under way (a service that has not answered yet) waits
// for it before its erasure, and does not hold back the requests after it on the list.
func TestALiftUnderWayDoesNotHoldBackErasure(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := fakes(t, e)
	complaints.serve(t, e)
	investigations.serve(t, e)
	dpo := e.dpo()
	id := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("objection"))["id"].(string)
	p := "/requests/" + id
	e.Must(202, "POST", p+"/search", e.officer(), nil)
	e.waitFor(id, "the search", phaseIs("confirming"))
	e.Must(202, "POST", p+"/confirm", dpo, map[string]any{"matches": []map[string]any{{"service": "complaints", "record_id": "c-1"}}})
	e.waitFor(id, "the restriction", phaseIs("ready"))
	e.Must(200, "POST", p+"/complete", dpo, nil) // kept to 2028-03-02
	other := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("objection"))["id"].(string)
	e.Must(200, "POST", "/requests/"+other+"/refuse", dpo, map[string]any{"ground": "manifestly_unfounded", "reasons": "The fourth identical request this month."})

	e.Clock.Set(time.Date(2028, 3, 3, 10, 0, 0, 0, time.UTC))
	_ = complaints.resp.Stop() // down when asked to lift
	e.Must(200, "POST", p+"/lift", e.dpo(), map[string]any{"told_on": "2028-03-03", "told_how": "letter"})
	e.waitFor(id, "complaints to miss the question", func(r map[string]any) bool {
		steps := r["action"].(map[string]any)["services"].([]any)
		return steps[0].(map[string]any)["attempts"].(float64) >= 1
	})
	if n, err := e.svc.App.SweepRetention(context.Background(), 1); n != 1 || err != nil {
		t.Fatalf("retention, one at a time, with a lifting under way ahead: %d %v", n, err)
	}
	if r := e.Must(200, "GET", "/requests/"+other, e.officer(), nil); r["erased"] != true {
		t.Error("the request behind the one being lifted was not erased")
	}
	if r := e.Must(200, "GET", p, e.officer(), nil); r["erased"] != false {
		t.Error("a request was erased while its lifting was under way")
	}
}
