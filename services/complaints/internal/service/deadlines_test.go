package service_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/testkit"
)

func (e *env) sweepOverdue(t *testing.T) int {
	t.Helper()
	n, err := e.svc.App.SweepOverdue(context.Background(), 100)
	if err != nil {
		t.Fatalf("sweep overdue: %v", err)
	}
	return n
}

// withChange keeps the status messages of one kind of change.
func withChange(t *testing.T, msgs []jetstream.Msg, change string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, m := range msgs {
		if v := testkit.Decode(t, m); v["change"] == change {
			out = append(out, v)
		}
	}
	return out
}

func TestOverdueIsRaisedExactlyOnceAcrossSweepsAndRestarts(t *testing.T) {
	e := newEnv(t)
	overdue := e.Collect("COMPLAINTS_EVENTS", "complaints.events.deadline.overdue")
	status := e.Collect("COMPLAINTS_STATUS", "status.complaints.>")
	c := e.Must(http.StatusCreated, "POST", "/complaints", e.officer("alice"), aComplaint())
	id, ref := c["id"].(string), c["reference"].(string)

	// Acknowledge by Monday 9 March: still on time at the last second of that day.
	e.Clock.Set(time.Date(2026, 3, 9, 23, 59, 59, 0, time.UTC))
	if n := e.sweepOverdue(t); n != 0 {
		t.Fatalf("swept %d before the deadline passed", n)
	}
	passed := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	e.Clock.Set(passed)
	if n := e.sweepOverdue(t); n != 1 {
		t.Fatalf("first sweep raised %d, want 1", n)
	}
	e.WaitRelayed(t)
	if n := e.SubjectCount(t, "COMPLAINTS_EVENTS", "complaints.events.deadline.overdue"); n != 1 {
		t.Fatalf("%d overdue events in the stream, want 1", n)
	}
	if n := e.SubjectCount(t, "COMPLAINTS_STATUS", "status.complaints.stage1"); n != 2 { // received, overdue
		t.Fatalf("%d stage 1 status events, want 2", n)
	}

	m := overdue.WaitFor(t, 1)[0]
	got := testkit.Decode(t, m)
	if got["event_id"] != m.Headers().Get(nats.MsgIdHdr) || got["event_id"] == "" {
		t.Fatalf("event_id %v, Nats-Msg-Id %q", got["event_id"], m.Headers().Get(nats.MsgIdHdr))
	}
	delete(got, "event_id")
	want := map[string]any{"type": "deadline.overdue", "occurred_at": "2026-03-10T00:00:00Z", "complaint_id": id,
		"reference": ref, "stage": 1.0, "status": "stage1_received", "service": "waste",
		"deadline": "stage1.acknowledge", "due_at": "2026-03-10T00:00:00Z"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("overdue event\n got %v\nwant %v", got, want)
	}

	statuses := withChange(t, status.WaitFor(t, 2), "deadline.overdue")
	if len(statuses) != 1 {
		t.Fatalf("%d overdue status events, want 1", len(statuses))
	}
	s := statuses[0]
	if s["event_id"] == "" || s["event_id"] == want["event_id"] {
		t.Fatalf("status event_id %v", s["event_id"])
	}
	delete(s, "event_id")
	wantStatus := map[string]any{"at": "2026-03-10T00:00:00Z", "complaint_id": id, "reference": ref, "stage": 1.0,
		"status": "stage1_received", "team": "waste", "acknowledge_due_at": "2026-03-10T00:00:00Z",
		"overdue": []any{"stage1.acknowledge"}, "change": "deadline.overdue"}
	if !reflect.DeepEqual(s, wantStatus) {
		t.Fatalf("overdue status\n got %v\nwant %v", s, wantStatus)
	}

	view := e.Must(http.StatusOK, "GET", "/complaints/"+id, e.officer("alice"), nil)
	ack := view["deadlines"].([]any)[0].(map[string]any)
	if ack["overdue_at"] != "2026-03-10T00:00:00Z" || ack["met_at"] != nil || !reflect.DeepEqual(view["overdue"], []any{"stage1.acknowledge"}) {
		t.Fatalf("after the sweep: deadline %v, overdue %v", ack, view["overdue"])
	}

	// Sweeping again, later, and after a restart raises nothing more.
	rows := e.OutboxRows(t)
	e.Clock.Advance(time.Hour)
	if n := e.sweepOverdue(t); n != 0 {
		t.Fatalf("second sweep raised %d", n)
	}
	e.Shutdown()
	restarted := newEnvOn(t, e.DB, e.NATS, e.Clock)
	e.Clock.Advance(24 * time.Hour)
	if n := restarted.sweepOverdue(t); n != 0 {
		t.Fatalf("sweep after restart raised %d", n)
	}
	if got := restarted.OutboxRows(t); got != rows {
		t.Fatalf("outbox rows %d, want %d: a sweep wrote something", got, rows)
	}
	restarted.WaitRelayed(t)
	if n := restarted.SubjectCount(t, "COMPLAINTS_EVENTS", "complaints.events.deadline.overdue"); n != 1 {
		t.Fatalf("%d overdue events after restart, want 1", n)
	}
	if n := restarted.SubjectCount(t, "COMPLAINTS_STATUS", "status.complaints.stage1"); n != 2 {
		t.Fatalf("%d stage 1 status events after restart, want 2", n)
	}
}

func TestADeadlineMetOnTimeIsNeverReported(t *testing.T) {
	e := newEnv(t)
	overdue := e.Collect("COMPLAINTS_EVENTS", "complaints.events.deadline.overdue")
	alice := func() string { return e.officer("alice") } // tokens expire as the clock moves
	onTime := e.Must(http.StatusCreated, "POST", "/complaints", alice(), aComplaint())["id"].(string)
	late := e.Must(http.StatusCreated, "POST", "/complaints", alice(), aComplaint())["id"].(string)

	e.Clock.Set(time.Date(2026, 3, 9, 16, 0, 0, 0, time.UTC)) // the last day to acknowledge
	e.Must(http.StatusOK, "POST", "/complaints/"+onTime+"/acknowledge", alice(), nil)
	e.Clock.Set(time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC))
	if n := e.sweepOverdue(t); n != 1 { // the late one's acknowledgement only
		t.Fatalf("swept %d, want 1", n)
	}
	// Respond within 10 working days of acknowledgement (by Monday 23 March).
	e.Clock.Set(time.Date(2026, 3, 23, 15, 0, 0, 0, time.UTC))
	c := e.Must(http.StatusOK, "POST", "/complaints/"+onTime+"/respond", alice(), map[string]any{"outcome": "not_upheld", "summary": "Collected as scheduled."})
	if r := c["responses"].([]any)[0].(map[string]any); r["on_time"] != true {
		t.Fatalf("testkit.Response on time: %v", r["on_time"])
	}
	e.Clock.Set(time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	if n := e.sweepOverdue(t); n != 0 {
		t.Fatalf("swept %d after every deadline of the on-time complaint was met", n)
	}
	e.WaitRelayed(t)
	if n := e.SubjectCount(t, "COMPLAINTS_EVENTS", "complaints.events.deadline.overdue"); n != 1 {
		t.Fatalf("%d overdue events, want 1", n)
	}
	got := testkit.Decode(t, overdue.WaitFor(t, 1)[0])
	if got["complaint_id"] != late || got["deadline"] != "stage1.acknowledge" {
		t.Fatalf("overdue event for %v %v, want %s stage1.acknowledge", got["complaint_id"], got["deadline"], late)
	}
	view := e.Must(http.StatusOK, "GET", "/complaints/"+onTime, alice(), nil)
	for _, d := range view["deadlines"].([]any) {
		if d.(map[string]any)["overdue_at"] != nil {
			t.Fatalf("deadline marked overdue: %v", d)
		}
	}
}

func TestAnExtensionMovesTheDueDateTheSweepUses(t *testing.T) {
	e := newEnv(t)
	overdue := e.Collect("COMPLAINTS_EVENTS", "complaints.events.deadline.overdue")
	alice := func() string { return e.officer("alice") } // tokens expire as the clock moves
	id := e.Must(http.StatusCreated, "POST", "/complaints", alice(), aComplaint())["id"].(string)
	c := e.Must(http.StatusOK, "POST", "/complaints/"+id+"/acknowledge", alice(), nil)
	respond := c["deadlines"].([]any)[1].(map[string]any)
	if respond["kind"] != "respond" || respond["due_date"] != "2026-03-16" || respond["due_at"] != "2026-03-17T00:00:00Z" {
		t.Fatalf("respond deadline: %v", respond)
	}

	e.Clock.Set(time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC))
	c = e.Must(http.StatusOK, "POST", "/complaints/"+id+"/extend", alice(),
		map[string]any{"working_days": 5, "reason": "Waiting for the crew's logs."})
	respond = c["deadlines"].([]any)[1].(map[string]any)
	if respond["due_date"] != "2026-03-23" || respond["due_at"] != "2026-03-24T00:00:00Z" {
		t.Fatalf("extended deadline: %v", respond)
	}
	ext := respond["computation"].(map[string]any)["extensions"].([]any)
	wantExt := []any{map[string]any{"amount": 5.0, "reason": "Waiting for the crew's logs.", "from_due_date": "2026-03-16"}}
	if !reflect.DeepEqual(ext, wantExt) {
		t.Fatalf("extensions %v", ext)
	}

	for _, at := range []time.Time{
		time.Date(2026, 3, 17, 0, 0, 0, 0, time.UTC),    // the old due instant
		time.Date(2026, 3, 23, 23, 59, 59, 0, time.UTC), // the last second of the new due date
	} {
		e.Clock.Set(at)
		if n := e.sweepOverdue(t); n != 0 {
			t.Fatalf("at %s swept %d, want 0", at, n)
		}
	}
	e.Clock.Set(time.Date(2026, 3, 24, 0, 0, 0, 0, time.UTC))
	if n := e.sweepOverdue(t); n != 1 {
		t.Fatalf("after the new due date swept %d, want 1", n)
	}
	got := testkit.Decode(t, overdue.WaitFor(t, 1)[0])
	if got["deadline"] != "stage1.respond" || got["due_at"] != "2026-03-24T00:00:00Z" || got["status"] != "stage1_acknowledged" {
		t.Fatalf("overdue event: %v", got)
	}
	e.WaitRelayed(t)
	if n := e.SubjectCount(t, "COMPLAINTS_EVENTS", "complaints.events.deadline.overdue"); n != 1 {
		t.Fatalf("%d overdue events, want 1", n)
	}
	// Too late to extend now.
	r := e.Call("POST", "/complaints/"+id+"/extend", alice(), map[string]any{"working_days": 1, "reason": "More time."})
	if p := testkit.ProblemOf(t, r, http.StatusConflict, "https://casework.dev/problems/conflict"); p["rule"] != "one_extension_per_stage" {
		t.Fatalf("second extension: %s", r.Body)
	}
}

func TestDeadlinesShowHowTheyWereComputed(t *testing.T) {
	e := newEnv(t)
	alice := func() string { return e.officer("alice") } // tokens expire as the clock moves
	c := e.Must(http.StatusCreated, "POST", "/complaints", alice(), aComplaint())
	got := c["deadlines"].([]any)[0].(map[string]any)["computation"].(map[string]any)
	version := got["holiday_table_version"]
	if version == "" || version == nil {
		t.Fatalf("no holiday table version: %v", got)
	}
	want := map[string]any{"start": "2026-03-02T10:00:00Z", "start_date": "2026-03-02", "rule": "working_days", "amount": 5.0,
		"description": "5 working days (England and Wales) after 2026-03-02", "due_date": "2026-03-09", "due": "2026-03-10T00:00:00Z",
		"skipped": []any{
			map[string]any{"date": "2026-03-07", "reason": "Saturday"},
			map[string]any{"date": "2026-03-08", "reason": "Sunday"},
		},
		"holiday_table_version": version}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("computation\n got %v\nwant %v", jsonString(got), jsonString(want))
	}

	// Over Easter 2026, in British Summer Time: Good Friday and Easter Monday do not count,
	// and the deadline ends at London midnight (23:00 UTC).
	e.Clock.Set(time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC))
	c = e.Must(http.StatusCreated, "POST", "/complaints", alice(), aComplaint())
	view := e.Must(http.StatusOK, "GET", "/complaints/"+c["id"].(string), alice(), nil)
	ack := view["deadlines"].([]any)[0].(map[string]any)
	comp := ack["computation"].(map[string]any)
	if ack["due_date"] != "2026-04-10" || ack["due_at"] != "2026-04-10T23:00:00Z" || comp["rule"] != "working_days" || comp["amount"] != 5.0 {
		t.Fatalf("Easter deadline: %v", jsonString(ack))
	}
	wantSkipped := []any{
		map[string]any{"date": "2026-04-03", "reason": "Good Friday (bank holiday)"},
		map[string]any{"date": "2026-04-04", "reason": "Saturday"},
		map[string]any{"date": "2026-04-05", "reason": "Sunday"},
		map[string]any{"date": "2026-04-06", "reason": "Easter Monday (bank holiday)"},
	}
	if !reflect.DeepEqual(comp["skipped"], wantSkipped) || comp["holiday_table_version"] != version {
		t.Fatalf("Easter skipped %v, version %v", jsonString(comp["skipped"]), comp["holiday_table_version"])
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
