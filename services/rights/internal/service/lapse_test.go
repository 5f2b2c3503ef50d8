package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// waitingOn9March is Ann's access request received on Monday 9 March 2026, her proof of
// identity not yet seen: the clock stops for it on receipt.
func waitingOn9March() map[string]any {
	body := anAccessRequest("access")
	body["received_at"] = "2026-03-09T09:00:00Z"
	delete(body, "identity_method")
	return body
}

// A rights request left waiting for the requester lapses on its own three calendar months
// after it was asked for (London days): the retention sweep closes it as lapsed on that
// day, with an event and an audit row as any closure, and keeps it 2 years from then. A
// request whose month runs never lapses, one whose requester answered the day before goes
// on, and one the sweep cannot lapse yet (the services still acting on it) holds back none
// after it. What arrives once it lapsed is refused.
func TestARightsRequestWaitingForTheRequesterLapsesOnItsOwn(t *testing.T) {
	e := newEnv(t)
	complaints, investigations := fakes(t, e)
	complaints.serve(t, e)
	investigations.serve(t, e)
	evs := e.Collect("RIGHTS_EVENTS", "rights.events.request.lapsed")
	ctx := context.Background()

	// Monday 2 March: an access request whose export complaints never answers, its clock
	// then stopped for clarification. First on the lapse work list, and never lapsed while
	// the services act on it.
	acting := e.Must(201, "POST", "/requests", e.officer(), anAccessRequest("access"))["id"].(string)
	e.Must(202, "POST", "/requests/"+acting+"/search", e.officer(), nil)
	e.waitFor(acting, "the search", phaseIs("confirming"))
	_ = complaints.resp.Stop()
	e.Must(202, "POST", "/requests/"+acting+"/confirm", e.dpo(), map[string]any{"matches": []map[string]any{{"service": "complaints", "record_id": "c-1"}}})
	e.waitFor(acting, "complaints to miss the export", func(r map[string]any) bool {
		steps := r["action"].(map[string]any)["services"].([]any)
		return steps[0].(map[string]any)["attempts"].(float64) >= 1
	})
	e.Must(200, "POST", "/requests/"+acting+"/clock/stop", e.officer(), map[string]any{"awaiting": "clarification"})

	e.Clock.Set(time.Date(2026, 3, 9, 9, 30, 0, 0, time.UTC))
	waiting := e.Must(201, "POST", "/requests", e.officer(), waitingOn9March())
	if waiting["status"] != "clock_stopped" || waiting["awaiting"] != "identity" {
		t.Fatalf("received: %v awaiting %v", waiting["status"], waiting["awaiting"])
	}
	id := waiting["id"].(string)
	answered := e.Must(201, "POST", "/requests", e.officer(), waitingOn9March())["id"].(string)
	runningBody := anAccessRequest("access")
	runningBody["received_at"] = "2026-03-09T09:00:00Z"
	running := e.Must(201, "POST", "/requests", e.officer(), runningBody)["id"].(string)

	// Monday 8 June, 23:59 in London: a day short of three months. The identity that arrives
	// now restarts the month as it always did.
	e.Clock.Set(time.Date(2026, 6, 8, 22, 59, 0, 0, time.UTC))
	r := e.Must(200, "POST", "/requests/"+answered+"/clock/restart", e.officer(),
		map[string]any{"received_at": "2026-06-08T16:00:00Z", "identity_method": "passport and council tax bill seen"})
	if r["status"] != "open" || r["deadline"].(map[string]any)["due_date"] != "2026-07-08" {
		t.Fatalf("answered the day before: %v due %v", r["status"], r["deadline"])
	}
	if n, err := e.svc.App.SweepRetention(ctx, 100); n != 0 || err != nil {
		t.Fatalf("sweep a day early: %d %v", n, err)
	}

	// Midnight in London on 9 June: a batch of one lapses the waiting request, the one the
	// services act on (ahead of it on the list) holding nothing back.
	e.Clock.Set(time.Date(2026, 6, 8, 23, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(ctx, 1); n != 1 || err != nil {
		t.Fatalf("sweep of one on the day: %d %v, want the waiting request lapsed", n, err)
	}
	if n, err := e.svc.App.SweepRetention(ctx, 100); n != 0 || err != nil {
		t.Fatalf("sweep again: %d %v", n, err)
	}

	r = e.Must(200, "GET", "/requests/"+id, e.officer(), nil)
	closure, _ := r["closure"].(map[string]any)
	if r["status"] != "lapsed" || r["awaiting"] != "identity" || r["retention_due"] != "2028-06-09" || r["erased"] != false {
		t.Errorf("lapsed: %v awaiting %v kept to %v erased %v", r["status"], r["awaiting"], r["retention_due"], r["erased"])
	}
	if closure == nil || closure["outcome"] != "lapsed" || closure["by"] != "system:retention-sweep" ||
		closure["at"] != "2026-06-08T23:00:00Z" || closure["ground"] != nil {
		t.Errorf("closure %v", closure)
	}
	var audited map[string]any
	for _, h := range r["history"].([]any) {
		if h := h.(map[string]any); h["action"] == "request.lapsed" {
			audited = h
		}
	}
	if audited == nil || audited["actor"] != "system:retention-sweep" {
		t.Fatalf("no audit row of the lapse: %v", r["history"])
	}
	if d := audited["detail"].(map[string]any); d["awaited"] != "identity" || d["asked_on"] != "2026-03-09" ||
		d["lapsed_on"] != "2026-06-09" || d["retention_due"] != "2028-06-09" {
		t.Errorf("audited %v", d)
	}
	ev := decode(t, evs.WaitFor(t, 1)[0])
	if ev["type"] != "request.lapsed" || ev["case_id"] != id || ev["status"] != "lapsed" || ev["kind"] != "access" {
		t.Errorf("event %v", ev)
	}
	for _, other := range []struct{ id, status string }{{running, "open"}, {answered, "open"}, {acting, "clock_stopped"}} {
		if r := e.Must(200, "GET", "/requests/"+other.id, e.officer(), nil); r["status"] != other.status || r["closure"] != nil {
			t.Errorf("%s: %v %v, want %s and not closed", other.id, r["status"], r["closure"], other.status)
		}
	}
	list := e.Must(200, "GET", "/requests?status=lapsed", e.officer(), nil)["items"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != id {
		t.Errorf("lapsed requests listed: %v", list)
	}

	// The identity arriving once the request lapsed is refused, changing nothing.
	e.RefusesBadInput(t, e.officer(), []testkit.BadInput{{Name: "identity after the lapse", Method: "POST",
		Path: "/requests/" + id + "/clock/restart", Body: map[string]any{"received_at": "2026-06-08T23:00:00Z", "identity_method": "passport seen"},
		Status: 409, Problem: "conflict", Check: func(t *testing.T, r testkit.Response, p map[string]any) {
			if p["rule"] != "request_lapsed" || !strings.Contains(p["detail"].(string), "lapsed on 2026-06-09") {
				t.Errorf("after the lapse: %s", r.Body)
			}
		}}})

	// Once complaints answers, the request the services acted on lapses too, dated from its
	// own lapse day (2 June) whenever the sweep comes.
	complaints.serve(t, e)
	e.Clock.Set(time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC))
	e.waitFor(acting, "complaints' export", phaseIs("ready"))
	if n, err := e.svc.App.SweepRetention(ctx, 100); n != 1 || err != nil {
		t.Fatalf("sweep once the services answered: %d %v", n, err)
	}
	if r := e.Must(200, "GET", "/requests/"+acting, e.officer(), nil); r["status"] != "lapsed" || r["retention_due"] != "2028-06-02" {
		t.Errorf("acted on, then lapsed: %v kept to %v", r["status"], r["retention_due"])
	}
}

// However late the sweep runs, a lapsed request is kept 2 years from the day it lapsed,
// not from the sweep's, and the retention sweep then erases the requester's details on
// the day its retention ends.
func TestALateSweepDatesALapseFromTheLapseDay(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.Clock.Set(time.Date(2026, 3, 9, 9, 30, 0, 0, time.UTC))
	id := e.Must(201, "POST", "/requests", e.officer(), waitingOn9March())["id"].(string)

	e.Clock.Set(time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)) // five months late
	if n, err := e.svc.App.SweepRetention(ctx, 100); n != 1 || err != nil {
		t.Fatalf("late sweep: %d %v", n, err)
	}
	r := e.Must(200, "GET", "/requests/"+id, e.officer(), nil)
	if r["status"] != "lapsed" || r["retention_due"] != "2028-06-09" || r["closure"].(map[string]any)["outcome"] != "lapsed" {
		t.Fatalf("late lapse: %v kept to %v, want lapsed and kept to 2028-06-09", r["status"], r["retention_due"])
	}

	e.Clock.Set(time.Date(2028, 6, 8, 22, 59, 0, 0, time.UTC)) // 23:59 in London on 8 June
	if n, err := e.svc.App.SweepRetention(ctx, 100); n != 0 || err != nil {
		t.Fatalf("erasure a day early: %d %v", n, err)
	}
	e.Clock.Set(time.Date(2028, 6, 8, 23, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(ctx, 100); n != 1 || err != nil {
		t.Fatalf("erasure on the day: %d %v", n, err)
	}
	r = e.Must(200, "GET", "/requests/"+id, e.officer(), nil)
	if r["erased"] != true || r["status"] != "lapsed" || r["requester"].(map[string]any)["name"] != "" || r["details"] != "" {
		t.Errorf("not erased: %v %v %v", r["erased"], r["requester"], r["details"])
	}
	if n := e.count(`SELECT count(*) FROM rights_request_personal_data WHERE request_id = $1`, id); n != 0 {
		t.Errorf("personal data rows left: %d", n)
	}
}
