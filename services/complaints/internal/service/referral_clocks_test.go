package service_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// A complaint referred to the Ombudsman while stage 1 runs. Logged and acknowledged on Mon
// 2 Mar 2026, its response is due by Mon 16 Mar (the end of that London day, GMT).
var (
	referredAt  = time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC) // Tue: 11, 12, 13, 16 still to go
	sentBackAt  = time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)  // Wed
	resumedDue  = "2026-04-10T23:00:00Z"                        // Fri 10 Apr, the end of the London (BST) day
	originalDue = "2026-03-17T00:00:00Z"
)

// acknowledgedThenReferred logs and acknowledges a complaint now and refers it at referredAt.
func acknowledgedThenReferred(e *env) (id, ref string) {
	e.T.Helper()
	alice := e.officer("alice")
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice, aComplaint())
	id, ref = c["id"].(string), c["reference"].(string)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice, nil)
	e.Clock.Set(referredAt)
	e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/referral", e.officer("alice"), stage3Referral("2026-02-20", false))
	return id, ref
}

// listed is the list's rows for the query, by id.
func listed(e *env, query string) map[string]map[string]any {
	e.T.Helper()
	out := map[string]map[string]any{}
	for _, row := range e.Must(http.StatusOK, "GET", "/complaints?"+query, e.manager("mary"), nil)["items"].([]any) {
		out[row.(map[string]any)["id"].(string)] = row.(map[string]any)
	}
	return out
}

func statusWithout(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	if m["event_id"] == "" {
		t.Fatalf("status without event_id: %v", m)
	}
	delete(m, "event_id")
	return m
}

// Referred while stage 1 runs, the stage's response clock stops: past its old due date it is
// not overdue in the list, the view, the status events (the board's input) or the sweep. Sent
// back as premature, it restarts with the working days it had left: the days from Tue 10 Mar
// to Wed 1 Apr, both included, do not count (17), so 10 + 17 working days after 2 Mar end on
// Fri 10 Apr (Good Friday and Easter Monday not counted).
func TestReferralFromARunningStageStopsItsClockUntilSentBack(t *testing.T) {
	e := newEnv(t)
	status := e.Collect("COMPLAINTS_STATUS", "status.complaints.>")
	overdue := e.Collect("COMPLAINTS_EVENTS", "complaints.events.deadline.overdue")
	id, ref := acknowledgedThenReferred(e)
	p := "/complaints/" + id

	c := e.Must(http.StatusOK, "GET", p, e.lgo("lucy"), nil)
	d := deadlineOf(t, c, 1, "respond")
	wantStop := map[string]any{"kind": "pause", "reason": "the Ombudsman's decision", "stopped_at": "2026-03-10T10:00:00Z",
		"stopped_on": "2026-03-10", "resumed_on": nil, "not_counted": 0.0, "previous_start": nil}
	if d["stopped"] != true || d["ended_at"] != nil || d["due_at"] != originalDue || d["due_date"] != "2026-03-16" ||
		!reflect.DeepEqual(d["computation"].(map[string]any)["stops"], []any{wantStop}) {
		t.Fatalf("after the referral: %v", d)
	}

	// Past the old due date, while the Ombudsman has the complaint.
	e.Clock.Set(time.Date(2026, 3, 18, 10, 0, 0, 0, time.UTC))
	if n := e.sweepOverdue(t); n != 0 {
		t.Fatalf("the sweep raised %d for a stopped clock", n)
	}
	if rows := listed(e, "overdue=true"); len(rows) != 0 {
		t.Fatalf("overdue list %v", rows)
	}
	if row := listed(e, "overdue=false")[id]; row == nil || row["overdue"] != false || row["next_due"] != "" || row["next_due_at"] != nil {
		t.Fatalf("not-overdue list row %v", row)
	}
	if rows := listed(e, "due_before=2026-03-20T00:00:00Z"); len(rows) != 0 {
		t.Fatalf("due_before list %v", rows)
	}
	c = e.Must(http.StatusOK, "POST", p+"/lgo/necessity", e.lgo("lucy"), map[string]any{"reason": "The Ombudsman asks about access."})
	if !reflect.DeepEqual(c["overdue"], []any{}) {
		t.Fatalf("view overdue %v", c["overdue"])
	}
	if n, err := e.svc.App.SettleReferralDeadlines(context.Background(), 100); err != nil || n != 0 {
		t.Fatalf("settling a complaint referred by this release: %d %v", n, err)
	}

	// Sent back as premature: stage 1 again, due Fri 10 Apr.
	e.Clock.Set(sentBackAt)
	c = e.Must(http.StatusOK, "POST", p+"/lgo/decision", e.lgo("lucy"), map[string]any{"outcome": "premature", "decided_on": "2026-04-01",
		"summary": "The council has not finished stage 1."})
	d = deadlineOf(t, c, 1, "respond")
	wantStop["resumed_at"], wantStop["resumed_on"], wantStop["not_counted"] = "2026-04-01T10:00:00Z", "2026-04-01", 17.0
	computation := d["computation"].(map[string]any)
	if c["status"] != "stage1_acknowledged" || c["stage"] != 1.0 || d["stopped"] != false || d["ended_at"] != nil ||
		d["due_at"] != resumedDue || d["due_date"] != "2026-04-10" || !reflect.DeepEqual(computation["stops"], []any{wantStop}) ||
		computation["description"] != "10 working days (England and Wales) after 2026-03-02; clock stopped from 2026-03-10 to 2026-04-01 "+
			"awaiting the Ombudsman's decision (17 working days not counted)" {
		t.Fatalf("after the premature decision: %v %v %v", c["status"], c["stage"], d)
	}
	row := listed(e, "overdue=false")[id]
	if row == nil || row["next_due"] != "stage1.respond" || row["next_due_at"] != resumedDue || row["stage"] != 1.0 {
		t.Fatalf("list row after the premature decision %v", row)
	}
	if rows := listed(e, "due_before=2026-04-11T00:00:00Z"); rows[id] == nil {
		t.Fatalf("due_before list %v", rows)
	}

	// The status events: stage 3 while stopped, with nothing due or overdue past the old due
	// date; stage 1 again with the restarted due date.
	msgs := status.WaitFor(t, 5) // received, acknowledged, referred, necessity, decided
	necessity := statusWithout(t, testkit.Decode(t, msgs[3]))
	want := map[string]any{"at": "2026-03-18T10:00:00Z", "complaint_id": id, "reference": ref, "stage": 3.0, "status": "stage3_referred",
		"team": "waste", "overdue": []any{}, "change": "stage3.necessity_recorded"}
	if !reflect.DeepEqual(necessity, want) {
		t.Fatalf("status while with the Ombudsman\n got %v\nwant %v", necessity, want)
	}
	decided := statusWithout(t, testkit.Decode(t, msgs[4]))
	want = map[string]any{"at": "2026-04-01T10:00:00Z", "complaint_id": id, "reference": ref, "stage": 1.0, "status": "stage1_acknowledged",
		"team": "waste", "respond_due_at": resumedDue, "overdue": []any{}, "change": "stage3.decided"}
	if !reflect.DeepEqual(decided, want) || msgs[4].Subject() != "status.complaints.stage1" {
		t.Fatalf("status after the premature decision on %s\n got %v\nwant %v", msgs[4].Subject(), decided, want)
	}

	// Overdue once the restarted deadline passes, and only then.
	e.Clock.Set(time.Date(2026, 4, 10, 22, 59, 59, 0, time.UTC))
	if n := e.sweepOverdue(t); n != 0 {
		t.Fatalf("swept %d on the restarted deadline's last day", n)
	}
	e.Clock.Set(time.Date(2026, 4, 10, 23, 0, 0, 0, time.UTC))
	if n := e.sweepOverdue(t); n != 1 {
		t.Fatalf("sweep raised %d, want 1", n)
	}
	got := testkit.Decode(t, overdue.WaitFor(t, 1)[0])
	delete(got, "event_id")
	wantEvent := map[string]any{"type": "deadline.overdue", "occurred_at": resumedDue, "complaint_id": id, "reference": ref,
		"stage": 1.0, "status": "stage1_acknowledged", "service": "waste", "deadline": "stage1.respond", "due_at": resumedDue}
	if !reflect.DeepEqual(got, wantEvent) {
		t.Fatalf("overdue event\n got %v\nwant %v", got, wantEvent)
	}
	if row := listed(e, "overdue=true")[id]; row == nil || row["overdue"] != true || row["next_due"] != "stage1.respond" {
		t.Fatalf("overdue list row %v", row)
	}
}

// Decided by the Ombudsman (not premature), the stopped deadline ends: it is never due or
// overdue again.
func TestReferralDecidedByTheOmbudsmanEndsTheStageDeadline(t *testing.T) {
	e := newEnv(t)
	status := e.Collect("COMPLAINTS_STATUS", "status.complaints.stage3")
	id, _ := acknowledgedThenReferred(e)
	decidedAt := time.Date(2026, 3, 18, 10, 0, 0, 0, time.UTC)
	e.Clock.Set(decidedAt)
	c := e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/decision", e.lgo("lucy"), map[string]any{"outcome": "not_upheld",
		"decided_on": "2026-03-18", "summary": "No fault."})
	d := deadlineOf(t, c, 1, "respond")
	if c["status"] != "stage3_decided" || d["ended_at"] != "2026-03-18T10:00:00Z" || d["stopped"] != false || d["met_at"] != nil ||
		!reflect.DeepEqual(c["overdue"], []any{}) {
		t.Fatalf("after the decision: %v %v overdue %v", c["status"], d, c["overdue"])
	}
	if st := testkit.Decode(t, status.WaitFor(t, 2)[1]); !reflect.DeepEqual(st["overdue"], []any{}) || st["respond_due_at"] != nil || st["next_due_at"] != nil {
		t.Fatalf("status after the decision %v", st)
	}
	e.Clock.Set(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	if n := e.sweepOverdue(t); n != 0 {
		t.Fatalf("the sweep raised %d for an ended deadline", n)
	}
	if rows := listed(e, "overdue=true"); len(rows) != 0 {
		t.Fatalf("overdue list %v", rows)
	}
	c = e.Must(http.StatusOK, "GET", "/complaints/"+id, e.manager("mary"), nil)
	if !reflect.DeepEqual(c["overdue"], []any{}) || deadlineOf(t, c, 1, "respond")["ended_at"] != "2026-03-18T10:00:00Z" {
		t.Fatalf("view %v", c)
	}
}

// Complaints referred before this release kept their stage's clock running. The settling
// sweep gives them the pause a referral now records: one still with the Ombudsman, and one
// already sent back, whose due date moves out of overdue.
func TestSettleReferralDeadlinesSavedBeforeClocksStopped(t *testing.T) {
	e := newEnv(t)
	events := e.Collect("COMPLAINTS_EVENTS", "complaints.events.deadline.recomputed")
	asSaved := func(id string) func() {
		var computation string
		if err := e.DB.Get(&computation, `SELECT computation::text FROM complaint_deadlines WHERE complaint_id = $1 AND kind = 'respond'`, id); err != nil {
			t.Fatal(err)
		}
		return func() { // the deadline as the earlier release left it: never stopped
			if _, err := e.DB.Exec(`UPDATE complaint_deadlines SET computation = $1::jsonb, due_at = $2 WHERE complaint_id = $3 AND kind = 'respond'`,
				computation, originalDue, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	logAndAck := func() string {
		id := e.Must(http.StatusCreated, "POST", "/complaints", e.officer("alice"), aComplaint())["id"].(string)
		e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", e.officer("alice"), nil)
		return id
	}
	pending, sentBack := logAndAck(), logAndAck()
	unstopPending, unstopSentBack := asSaved(pending), asSaved(sentBack)
	e.Clock.Set(referredAt)
	for _, id := range []string{pending, sentBack} {
		e.Must(http.StatusOK, "POST", "/complaints/"+id+"/lgo/referral", e.officer("alice"), stage3Referral("2026-02-20", false))
	}
	e.Clock.Set(sentBackAt)
	e.Must(http.StatusOK, "POST", "/complaints/"+sentBack+"/lgo/decision", e.lgo("lucy"), map[string]any{"outcome": "premature",
		"decided_on": "2026-04-01", "summary": "The council has not finished stage 1."})
	unstopPending()
	unstopSentBack()

	e.Clock.Set(time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC))
	if rows := listed(e, "overdue=true"); len(rows) != 1 || rows[sentBack] == nil || rows[sentBack]["next_due_at"] != originalDue {
		t.Fatalf("before settling, overdue: %v", rows)
	}
	if n, err := e.svc.App.SettleReferralDeadlines(context.Background(), 100); err != nil || n != 2 {
		t.Fatalf("settled %d (%v), want 2", n, err)
	}
	if n, err := e.svc.App.SettleReferralDeadlines(context.Background(), 100); err != nil || n != 0 {
		t.Fatalf("settled %d again (%v)", n, err)
	}
	if rows := listed(e, "overdue=true"); len(rows) != 0 {
		t.Fatalf("after settling, overdue: %v", rows)
	}
	if row := listed(e, "overdue=false")[sentBack]; row["next_due_at"] != resumedDue || row["next_due"] != "stage1.respond" {
		t.Fatalf("sent back, settled: %v", row)
	}
	d := deadlineOf(t, e.Must(http.StatusOK, "GET", "/complaints/"+sentBack, e.officer("alice"), nil), 1, "respond")
	if d["due_date"] != "2026-04-10" || d["computation"].(map[string]any)["description"] != "10 working days (England and Wales) after 2026-03-02; "+
		"clock stopped from 2026-03-10 to 2026-04-01 awaiting the Ombudsman's decision (17 working days not counted)" {
		t.Fatalf("sent back, settled: %v", d)
	}
	d = deadlineOf(t, e.Must(http.StatusOK, "GET", "/complaints/"+pending, e.officer("alice"), nil), 1, "respond")
	if d["stopped"] != true || d["computation"].(map[string]any)["description"] != "10 working days (England and Wales) after 2026-03-02; "+
		"clock stopped on 2026-03-10 awaiting the Ombudsman's decision" {
		t.Fatalf("pending, settled: %v", d)
	}
	// Sent back later, the pending one restarts like any referral of this release.
	e.Clock.Set(sentBackAt.Add(24 * time.Hour))
	c := e.Must(http.StatusOK, "POST", "/complaints/"+pending+"/lgo/decision", e.lgo("lucy"), map[string]any{"outcome": "premature",
		"decided_on": "2026-04-02", "summary": "The council has not finished stage 1."})
	if d := deadlineOf(t, c, 1, "respond"); d["due_date"] != "2026-04-13" || d["stopped"] != false {
		t.Fatalf("pending, sent back: %v", d)
	}
	byID := map[string]map[string]any{}
	for _, m := range events.WaitFor(t, 2) {
		ev := testkit.Decode(t, m)
		byID[ev["complaint_id"].(string)] = ev
	}
	if ev := byID[sentBack]; ev["stage"] != 1.0 || ev["status"] != "stage1_acknowledged" || ev["type"] != "deadline.recomputed" {
		t.Fatalf("settled event %v", ev)
	}
	if ev := byID[pending]; ev["stage"] != 3.0 || ev["status"] != "stage3_referred" {
		t.Fatalf("settled event %v", ev)
	}
}
