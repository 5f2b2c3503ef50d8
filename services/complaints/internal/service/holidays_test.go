package service_test

import (
	"context"
	"net/http"
	"testing"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/testkit"
)

// A bank holiday announced after a complaint arrived moves its running deadline; a met
// deadline stays where it was.
func TestNewlyAnnouncedBankHolidayMovesRunningDeadlines(t *testing.T) {
	a := newEnv(t)
	events := a.Collect("COMPLAINTS_EVENTS", "complaints.events.deadline.>")
	officer := a.officer("alice")
	running := a.Must(http.StatusCreated, "POST", "/complaints", officer, aComplaint())["id"].(string)
	met := a.Must(http.StatusCreated, "POST", "/complaints", officer, aComplaint())["id"].(string)
	a.Must(http.StatusOK, "POST", "/complaints/"+met+"/acknowledge", officer, nil)
	a.Shutdown()

	cal, err := calendar.New(calendar.Config{Extra: []calendar.Holiday{{Date: calendar.NewDate(2026, 3, 5), Name: "Announced holiday"}}})
	if err != nil {
		t.Fatal(err)
	}
	b := newEnvWithCalendar(t, a.DB, a.NATS, a.Clock, cal)
	moved, err := b.svc.App.RecomputeDeadlines(context.Background(), 100)
	if err != nil || moved != 2 { // both: the second one's testkit.Response deadline is running
		t.Fatalf("recomputed %d complaints (%v), want 2", moved, err)
	}
	if again, _ := b.svc.App.RecomputeDeadlines(context.Background(), 100); again != 0 {
		t.Fatalf("second pass moved %d", again)
	}

	c := b.Must(http.StatusOK, "GET", "/complaints/"+running, officer, nil)
	ack := c["deadlines"].([]any)[0].(map[string]any)
	comp := ack["computation"].(map[string]any)
	if ack["due_date"] != "2026-03-10" || comp["holiday_table_version"] != cal.HolidayTableVersion() {
		t.Fatalf("running deadline after the announcement: %v / %v", ack["due_date"], comp["holiday_table_version"])
	}
	skipped := comp["skipped"].([]any)
	if first := skipped[0].(map[string]any); first["date"] != "2026-03-05" || first["reason"] != "Announced holiday (bank holiday)" {
		t.Fatalf("skipped days: %v", skipped)
	}
	m := b.Must(http.StatusOK, "GET", "/complaints/"+met, officer, nil)
	dl := m["deadlines"].([]any)
	if ack, respond := dl[0].(map[string]any), dl[1].(map[string]any); ack["due_date"] != "2026-03-09" || respond["due_date"] != "2026-03-17" {
		t.Fatalf("met acknowledgement must stay (2026-03-09), running testkit.Response must move (2026-03-17): %v, %v", ack["due_date"], respond["due_date"])
	}

	got := events.WaitFor(t, 2)
	ids := map[any]bool{}
	for _, m := range got {
		e := testkit.Decode(t, m)
		if m.Subject() != "complaints.events.deadline.recomputed" || e["type"] != "deadline.recomputed" {
			t.Fatalf("event %s %v", m.Subject(), e)
		}
		ids[e["complaint_id"]] = true
	}
	if len(got) != 2 || !ids[running] || !ids[met] {
		t.Fatalf("events: %s", testkit.Subjects(got))
	}
}
