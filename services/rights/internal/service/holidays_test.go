package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
)

// A bank holiday announced after a request arrived moves its running deadline (DESIGN, Time:
// the holiday tables are versioned data), before any is judged overdue: a rights request's
// month due on the new holiday is due the next working day, and an FOI request's 20 working
// days and an internal review's pass over it. A stopped clock (counted when it restarts), a
// closed request and a response already sent stay as they were.
func TestNewlyAnnouncedBankHolidayMovesRunningDeadlines(t *testing.T) {
	a := newEnv(t)
	olly, dora := a.officer(), a.dpo()
	received := map[string]any{"received_at": "2026-03-02T09:00:00Z"}
	running := a.Must(201, "POST", "/requests", olly, with(anAccessRequest("access"), "received_at", received["received_at"]))["id"].(string)
	unverified := anAccessRequest("access")
	delete(unverified, "identity_method")
	stopped := a.Must(201, "POST", "/requests", olly, unverified)["id"].(string)
	refused := a.Must(201, "POST", "/requests", olly, anAccessRequest("access"))["id"].(string)
	a.Must(200, "POST", "/requests/"+refused+"/refuse", dora, map[string]any{"ground": "manifestly_unfounded", "reasons": "The fourth identical request this month."})
	foi := a.Must(201, "POST", "/foi", olly, with(anFOI(), "received_at", received["received_at"]))["id"].(string)
	reviewed := a.Must(201, "POST", "/foi", olly, with(anFOI(), "received_at", received["received_at"]))["id"].(string)
	a.Must(200, "POST", "/foi/"+reviewed+"/respond", olly, map[string]any{"parts": []map[string]any{{"description": "d", "outcome": "released"}}, "publish": false})
	a.Clock.Set(time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC))
	a.Must(200, "POST", "/foi/"+reviewed+"/review", a.officer(), map[string]any{"requested_at": "2026-03-03T09:00:00Z"})

	due := func(e *env, path string, at ...string) (string, string) {
		t.Helper()
		v := any(e.Must(200, "GET", path, e.officer(), nil))
		for _, k := range at {
			v = v.(map[string]any)[k]
		}
		d := v.(map[string]any)
		return fmt.Sprint(d["due_date"]), fmt.Sprint(d["computation"].(map[string]any)["holiday_table_version"])
	}
	for _, c := range []struct {
		path string
		at   []string
		want string
	}{
		{"/requests/" + running, []string{"deadline"}, "2026-04-02"},
		{"/foi/" + foi, []string{"deadline"}, "2026-03-31"},
		{"/foi/" + reviewed, []string{"review", "deadline"}, "2026-04-01"},
	} {
		if got, _ := due(a, c.path, c.at...); got != c.want {
			t.Fatalf("%s %v before the announcement: %s, want %s", c.path, c.at, got, c.want)
		}
	}
	_, stoppedVersion := due(a, "/requests/"+stopped, "deadline")
	a.Shutdown()

	// Thursday 2 April 2026 in England and Wales, Tuesday 10 March 2026 across the UK.
	cal, err := calendar.New(calendar.Config{Extra: []calendar.Holiday{{Date: calendar.NewDate(2026, 4, 2), Name: "Announced holiday"}}})
	if err != nil {
		t.Fatal(err)
	}
	uk, err := calendar.New(calendar.Config{Holidays: calendar.UnitedKingdomHolidays(),
		Extra: []calendar.Holiday{{Date: calendar.NewDate(2026, 3, 10), Name: "Announced holiday"}}})
	if err != nil {
		t.Fatal(err)
	}
	b := newEnvWithCalendars(t, a.DB, a.NATS, a.Clock, services, cal, uk)
	ctx := context.Background()
	if n, err := b.svc.App.RecomputeDeadlines(ctx, 100); err != nil || n != 3 {
		t.Fatalf("recomputed %d cases (%v), want 3: the running month, the response and the review", n, err)
	}
	if n, err := b.svc.App.RecomputeDeadlines(ctx, 100); err != nil || n != 0 {
		t.Fatalf("a second pass recomputed %d (%v)", n, err)
	}
	for _, c := range []struct {
		path    string
		at      []string
		want    string
		version string
	}{
		// 2 April the new holiday, 3 Good Friday, 4 and 5 a weekend, 6 Easter Monday.
		{"/requests/" + running, []string{"deadline"}, "2026-04-07", cal.HolidayTableVersion()},
		{"/foi/" + foi, []string{"deadline"}, "2026-04-01", uk.HolidayTableVersion()},
		{"/foi/" + reviewed, []string{"review", "deadline"}, "2026-04-02", uk.HolidayTableVersion()},
		{"/foi/" + reviewed, []string{"deadline"}, "2026-03-31", "uk-2026-11-29"}, // the response was sent
		{"/requests/" + stopped, []string{"deadline"}, "2026-04-02", stoppedVersion},
	} {
		if got, version := due(b, c.path, c.at...); got != c.want || version != c.version {
			t.Errorf("%s %v after the announcement: %s (%s), want %s (%s)", c.path, c.at, got, version, c.want, c.version)
		}
	}
	if r := b.Must(200, "GET", "/requests/"+refused, b.officer(), nil); r["status"] != "refused" ||
		r["deadline"].(map[string]any)["computation"].(map[string]any)["holiday_table_version"] == cal.HolidayTableVersion() {
		t.Errorf("a refused request's month was counted again: %v", r["deadline"])
	}
	var recount map[string]any
	for _, h := range b.Must(200, "GET", "/requests/"+running, b.officer(), nil)["history"].([]any) {
		if h := h.(map[string]any); h["action"] == "request.deadline.recomputed" {
			recount = h
		}
	}
	if recount == nil {
		t.Fatal("the recount is not in the request's history")
	}
	moved, _ := recount["detail"].(map[string]any)["moved"].(map[string]any)["month"].(map[string]any)
	if recount["actor"] != "system:holiday-table" || moved["from"] != "2026-04-02" || moved["to"] != "2026-04-07" {
		t.Errorf("history of the recount: %v", recount)
	}

	// On Friday 3 April the month, now due on 7 April, is not overdue.
	b.Clock.Set(time.Date(2026, 4, 3, 12, 0, 0, 0, time.UTC))
	if _, err := b.svc.App.SweepOverdue(ctx, 100); err != nil {
		t.Fatal(err)
	}
	if d := b.Must(200, "GET", "/requests/"+running, b.officer(), nil)["deadline"].(map[string]any); d["overdue_at"] != nil {
		t.Errorf("the month was judged overdue on the day the new holiday moved it past: %v", d)
	}
}

// A bank holiday the service's England and Wales calendar knows and the built-in UK table
// does not (announced since: a newer table, or an extra holiday) is a bank holiday in a part
// of the UK, so no working day of an FOI request's 20 either (FOIA s10(6)): the FOI
// calendar passes over it too.
func TestTheFOICalendarKnowsHolidaysAnnouncedInEnglandAndWales(t *testing.T) {
	cal, err := calendar.New(calendar.Config{Extra: []calendar.Holiday{{Date: calendar.NewDate(2026, 3, 10), Name: "Announced holiday"}}})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWithCalendars(t, nil, nil, calendar.NewManualClock(start), services, cal, nil)
	f := e.Must(201, "POST", "/foi", e.officer(), with(anFOI(), "received_at", "2026-03-02T09:00:00Z"))
	d := f["deadline"].(map[string]any)
	// 31 March without it (St Patrick's Day, 17 March, passed over too).
	if d["due_date"] != "2026-04-01" || !strings.HasSuffix(d["computation"].(map[string]any)["holiday_table_version"].(string), "+2026-03-10") {
		t.Errorf("FOI deadline %v (%v), want 2026-04-01 counted with the announced holiday", d["due_date"], d["computation"])
	}
}
