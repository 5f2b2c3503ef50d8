package service_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/httpserver"
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

// A complaint received on a day the holiday table covers gets the right deadline, one-off
// bank holidays included; a date outside the table is refused naming the field, and nothing
// is written.
func TestReceivedDatesAreCountedWithTheTableOrRefused(t *testing.T) {
	e := newEnv(t)
	// A received date must be within the twelve months before the clock (issue 8 item 10).
	e.Clock.Set(time.Date(2012, 6, 1, 15, 0, 0, 0, time.UTC))
	alice := e.officer("alice")
	jubilee := e.Must(http.StatusCreated, "POST", "/complaints", alice,
		validBody(func(m map[string]any) { m["received_at"] = "2012-06-01T09:00:00+01:00" }))
	ack := jubilee["deadlines"].([]any)[0].(map[string]any)
	if ack["due_date"] != "2012-06-12" { // 4 and 5 June 2012 were bank holidays
		t.Fatalf("acknowledgement due %v, want 2012-06-12", ack["due_date"])
	}

	before := e.TableCounts(t)
	e.Clock.Set(time.Date(1995, 2, 1, 10, 0, 0, 0, time.UTC))
	r := e.Call("POST", "/complaints", e.officer("alice"), validBody(func(m map[string]any) { m["received_at"] = "1994-12-20T09:00:00Z" }))
	p := testkit.ProblemOf(t, r, http.StatusBadRequest, httpserver.TypeValidation)
	want := []any{map[string]any{"pointer": "/received_at", "detail": "1994-12-20 is before the years the England and Wales " +
		"bank holiday table covers (1995 to 2027, version 2026-11-29), so its working days cannot be known"}}
	if !reflect.DeepEqual(p["errors"], want) {
		t.Fatalf("errors %v\nwant   %v", p["errors"], want)
	}

	// After the table's last year nothing the request says can help: the table must be extended.
	e.Clock.Set(time.Date(2028, 3, 1, 10, 0, 0, 0, time.UTC))
	r = e.Call("POST", "/complaints", e.officer("alice"), aComplaint())
	p = testkit.ProblemOf(t, r, http.StatusConflict, httpserver.TypeConflict)
	if p["rule"] != "outside_holiday_table" || p["detail"] != "2028-03-01 is after the years the England and Wales bank holiday "+
		"table covers (1995 to 2027, version 2026-11-29), so its working days cannot be known" {
		t.Fatalf("problem %v", p)
	}
	if after := e.TableCounts(t); !reflect.DeepEqual(after, before) {
		t.Fatalf("a refused complaint wrote rows: %v -> %v", before, after)
	}
}

func validBody(edit func(m map[string]any)) map[string]any {
	m := aComplaint()
	edit(m)
	return m
}

// A new holiday table that moves no date of most open complaints still records on each that
// it was counted with the new table, so those complaints leave the sweep's work list: before,
// they stayed at its head, and with a page of them the complaint whose date did move was
// never reached.
func TestComplaintsWhoseDatesStayPutDoNotHoldBackTheRecompute(t *testing.T) {
	a := newEnv(t)
	a.Clock.Set(time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC))
	officer := a.officer("alice")
	var unmoved []string
	for range 3 { // received 20 March: the holiday announced below is not in their count
		unmoved = append(unmoved, a.Must(http.StatusCreated, "POST", "/complaints", officer,
			validBody(func(m map[string]any) { m["received_at"] = "2026-03-20T09:00:00Z" }))["id"].(string))
	}
	moving := a.Must(http.StatusCreated, "POST", "/complaints", officer,
		validBody(func(m map[string]any) { m["received_at"] = "2026-03-02T09:00:00Z" }))["id"].(string)
	a.Shutdown()

	cal, err := calendar.New(calendar.Config{Extra: []calendar.Holiday{{Date: calendar.NewDate(2026, 3, 5), Name: "Announced holiday"}}})
	if err != nil {
		t.Fatal(err)
	}
	b := newEnvWithCalendar(t, a.DB, a.NATS, a.Clock, cal)
	for pass := range 4 { // a batch of one, once per complaint
		if n, err := b.svc.App.RecomputeDeadlines(context.Background(), 1); n != 1 || err != nil {
			t.Fatalf("pass %d counted %d (%v), want 1", pass, n, err)
		}
	}
	if n, _ := b.svc.App.RecomputeDeadlines(context.Background(), 1); n != 0 {
		t.Fatalf("a fifth pass counted %d", n)
	}
	if due := b.Must(http.StatusOK, "GET", "/complaints/"+moving, officer, nil)["deadlines"].([]any)[0].(map[string]any)["due_date"]; due != "2026-03-10" {
		t.Errorf("the complaint the holiday moves: acknowledgement due %v, want 2026-03-10", due)
	}
	for _, id := range unmoved {
		ack := b.Must(http.StatusOK, "GET", "/complaints/"+id, officer, nil)["deadlines"].([]any)[0].(map[string]any)
		if ack["due_date"] != "2026-03-27" || ack["computation"].(map[string]any)["holiday_table_version"] != cal.HolidayTableVersion() {
			t.Errorf("%s: acknowledgement %v under %v, want 2026-03-27 under %s", id, ack["due_date"], ack["computation"].(map[string]any)["holiday_table_version"], cal.HolidayTableVersion())
		}
	}
}
