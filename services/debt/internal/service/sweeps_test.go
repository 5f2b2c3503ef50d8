package service_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/testkit"
)

// sweep runs every sweep once, as the service's ticker does, and returns what each changed.
func (e *env) sweep(t *testing.T) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for name, sweep := range map[string]func(context.Context, int) (int, error){
		"notice_periods": e.svc.App.RecomputeNoticePeriods, "instalments": e.svc.App.SweepInstalments,
		"control_limit": e.svc.App.SweepControlLimit, "retention": e.svc.App.SweepRetention,
	} {
		n, err := sweep(context.Background(), 100)
		if err != nil {
			t.Fatalf("%s sweep: %v", name, err)
		}
		counts[name] = n
	}
	return counts
}

func sweptOnly(name string, n int) map[string]int {
	counts := map[string]int{"notice_periods": 0, "instalments": 0, "control_limit": 0, "retention": 0}
	counts[name] = n
	return counts
}

func assertSwept(t *testing.T, got, want map[string]int) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("swept %v, want %v", got, want)
	}
}

// Control of goods must be taken within the 12 months beginning with the notice (SI
// 2013/1894 reg 9(1)): the last day is 1 March 2027 for a notice on 2 March 2026. After it a
// visit is refused and the sweep returns the case to the client, once; a case whose goods
// were taken into control in time goes on.
func TestTwelveMonthLimitReturnsTheCaseOnce(t *testing.T) {
	e := newEnv(t)
	returned := e.Collect("DEBT_EVENTS", "debt.events.case.returned")
	idle := e.referOne("maidstone-council-tax", "CT-L1", 100000)
	controlled := e.referOne("maidstone-council-tax", "CT-L2", 100000)
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	e.Must(200, "POST", "/cases/"+controlled+"/visits", e.agent(), map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "controlled_goods_agreement", "body_worn_video": "BWV-L"})

	e.Clock.Set(time.Date(2027, 3, 1, 20, 0, 0, 0, time.UTC)) // the last day, in time
	assertSwept(t, e.sweep(t), sweptOnly("control_limit", 0))
	e.Clock.Set(time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC))
	before := e.snapshot()
	p := problemOf(t, e.Call("POST", "/cases/"+idle+"/visits", e.agent(), map[string]any{"at": "2027-03-02T08:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-L1"}), 409, "conflict")
	if p["rule"] != "control_limit_passed" || p["detail"] != "the 12 months for taking control ended on 2027-03-01 (SI 2013/1894 reg 9)" {
		t.Fatalf("late visit: %v", p)
	}
	if e.snapshot()["debt_cases"] != before["debt_cases"] {
		t.Fatal("the refused visit changed the case")
	}
	assertSwept(t, e.sweep(t), sweptOnly("control_limit", 1))
	assertSwept(t, e.sweep(t), sweptOnly("control_limit", 0))

	c := e.Must(200, "GET", "/cases/"+idle, e.manager(), nil)
	if c["status"] != "returned" || c["returned"].(map[string]any)["reason"] != "control_limit_passed" || c["retention_due"] != "2034-01-01" {
		t.Fatalf("returned: %v %v %v", c["status"], c["returned"], c["retention_due"])
	}
	last := c["history"].([]any)[len(c["history"].([]any))-2].(map[string]any) // the read itself is the last entry
	if last["actor"] != "system:control-limit-sweep" || last["action"] != "case.case.returned" {
		t.Fatalf("history %v", last)
	}
	ev := testkit.Decode(t, returned.WaitFor(t, 1)[0])
	if ev["case_id"] != idle || ev["returned"] != "control_limit_passed" || ev["stage"] != "compliance" {
		t.Fatalf("event %v", ev)
	}
	if c := e.Must(200, "GET", "/cases/"+controlled, e.officer(), nil); c["status"] != "enforcement" {
		t.Fatalf("controlled case %v", c["status"])
	}
	e.WaitRelayed(t)
	if n := e.SubjectCount(t, "DEBT_EVENTS", "debt.events.case.returned"); n != 1 {
		t.Fatalf("%d returned events", n)
	}
}

// A missed instalment raises one event, also across a restart; the second miss breaches
// the arrangement, flagged for an officer's review, once: it stays in force, and enforcement
// goes on only when an officer ends it.
func TestMissedInstalmentIsRaisedExactlyOnceAcrossRestarts(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-A1", 100000)
	// 1,075.00 outstanding: 30,000 pence weekly from Monday 9 March, the last taking the rest.
	c := e.Must(200, "POST", "/cases/"+id+"/arrangement", e.officer(), map[string]any{"first_due": "2026-03-09", "amount_pence": 30000, "count": 4, "frequency": "weekly"})
	var dues []string
	for _, x := range c["arrangement"].(map[string]any)["instalments"].([]any) {
		in := x.(map[string]any)
		dues = append(dues, fmt.Sprintf("%v:%v", in["due_date"], in["amount_pence"]))
	}
	if fmt.Sprint(dues) != "[2026-03-09:30000 2026-03-16:30000 2026-03-23:30000 2026-03-30:17500]" {
		t.Fatalf("instalments %v", dues)
	}
	e.Clock.Set(time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC))
	e.Must(200, "POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 30000})

	e.Clock.Set(time.Date(2026, 3, 16, 23, 59, 0, 0, time.UTC)) // the second is due today: not missed yet
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 0))
	e.Clock.Set(time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 1))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 0))
	e.WaitRelayed(t)
	rows := e.OutboxRows(t)

	e.Shutdown()
	e = newEnvOn(t, e.DB, e.NATS, e.Clock, e.schedules)
	e.Clock.Set(time.Date(2026, 3, 18, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 0))
	if got := e.OutboxRows(t); got != rows {
		t.Fatalf("outbox rows %d, want %d: a sweep after the restart wrote something", got, rows)
	}
	e.WaitRelayed(t)
	if n := e.SubjectCount(t, "DEBT_EVENTS", "debt.events.arrangement.instalment_missed"); n != 1 {
		t.Fatalf("%d instalment_missed events after the restart, want 1", n)
	}
	missed := testkit.Collect(t, e.NATS.JS, "DEBT_EVENTS", "debt.events.arrangement.instalment_missed").WaitFor(t, 1)
	if ev := testkit.Decode(t, missed[0]); ev["instalment"] != float64(2) || ev["case_id"] != id || ev["stage"] != "compliance" {
		t.Fatalf("missed event %v", ev)
	}
	// While the arrangement is kept enforcement waits.
	problemOf(t, e.Call("POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-18T08:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-A"}), 409, "conflict")

	// The third instalment passes unpaid too: the arrangement is breached, flagged once, and
	// stays in force until an officer ends it.
	e.Clock.Set(time.Date(2026, 3, 24, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 1))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 0))
	p := problemOf(t, e.Call("POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-24T08:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-A"}), 409, "conflict")
	if p["rule"] != "arrangement_review_pending" {
		t.Fatalf("a visit while the breach awaits review: %v", p)
	}
	e.Must(200, "POST", "/cases/"+id+"/arrangement/review", e.officer(), map[string]any{"decision": "end", "reason": "Two instalments missed; no contact."})
	c = e.Must(200, "POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-24T08:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-A"})
	arr := c["arrangement"].(map[string]any)
	if arr["defaulted"] != true || arr["review_pending"] != false || c["stage"] != "enforcement" {
		t.Fatalf("after the officer ended it: %v %v", arr, c["stage"])
	}
	e.WaitRelayed(t)
	for subject, want := range map[string]int{"debt.events.arrangement.instalment_missed": 1, "debt.events.arrangement.breached": 1,
		"debt.events.arrangement.defaulted": 1} {
		if n := e.SubjectCount(t, "DEBT_EVENTS", subject); n != want {
			t.Errorf("%d %s, want %d", n, subject, want)
		}
	}
}

// SI 2013/1894 reg 9(2): while an arrangement is kept the 12-month sweep leaves the case
// alone; the debtor's breach starts 12 months again, stored so the sweep and a late visit
// go by the new date.
func TestABrokenArrangementStartsTheTwelveMonthsAgain(t *testing.T) {
	e := newEnv(t)
	status := e.Collect("DEBT_STATUS", "status.debt.>")
	id := e.referOne("maidstone-council-tax", "CT-A9", 100000)
	e.Must(200, "POST", "/cases/"+id+"/arrangement", e.officer(), map[string]any{"first_due": "2026-04-01", "amount_pence": 4500, "count": 24, "frequency": "monthly"})
	e.Clock.Set(time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC))
	e.Must(200, "POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 12 * 4500}) // kept to March 2027

	e.Clock.Set(time.Date(2027, 3, 20, 9, 0, 0, 0, time.UTC)) // past 1 March 2027, the limit from the notice
	assertSwept(t, e.sweep(t), sweptOnly("control_limit", 0))
	e.Clock.Set(time.Date(2027, 4, 2, 9, 0, 0, 0, time.UTC)) // the instalment of 1 April is unpaid
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 1))
	c := e.Must(200, "GET", "/cases/"+id, e.officer(), nil)
	limit := c["notice_of_enforcement"].(map[string]any)["control_limit"].(map[string]any)
	if limit["due_date"] != "2028-04-01" || limit["start_date"] != "2027-04-02" {
		t.Fatalf("control limit after the breach: %v", limit)
	}
	e.Clock.Set(time.Date(2027, 5, 3, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 1)) // the second miss breaches it, for an officer's review
	assertSwept(t, e.sweep(t), sweptOnly("control_limit", 0))
	e.Must(200, "POST", "/cases/"+id+"/arrangement/review", e.officer(), map[string]any{"decision": "end", "reason": "No payment since March."})
	c = e.Must(200, "POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2027-05-03T08:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-9"})
	if c["stage"] != "enforcement" {
		t.Fatalf("visit after the default: %v", c["stage"])
	}
	var last map[string]any
	for _, m := range status.WaitFor(t, 7) {
		last = testkit.Decode(t, m)
	}
	if last["control_limit_date"] != "2028-04-01" || last["change"] != "visit.recorded" {
		t.Fatalf("status %v", last)
	}
	// A year after the breach, with no control taken, the case goes back to the client.
	e.Clock.Set(time.Date(2028, 4, 2, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("control_limit", 1))
}

// A newly announced bank holiday moves the notice periods still running: restarted with
// Thursday 5 March 2026 announced as a holiday, the service counts again the notice given
// on Monday 2 March of a case still in the compliance stage, so control may be taken from
// 12 March, not 11 (SI 2013/1894 reg 6(2)); the case records how the period was counted and
// with which table. A case an agent has attended keeps its period. Each is counted once.
func TestANewlyAnnouncedHolidayMovesRunningNoticePeriods(t *testing.T) {
	e := newEnv(t)
	running := e.referOne("maidstone-council-tax", "CT-N1", 100000)
	attended := e.referOne("maidstone-council-tax", "CT-N2", 100000)
	e.Clock.Set(time.Date(2026, 3, 11, 9, 0, 0, 0, time.UTC))
	e.Must(200, "POST", "/cases/"+attended+"/visits", e.agent(), map[string]any{"at": "2026-03-11T08:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-N2"})
	old := e.Must(200, "GET", "/cases/"+running, e.officer(), nil)["notice_of_enforcement"].(map[string]any)
	if old["earliest_control_date"] != "2026-03-11" {
		t.Fatalf("before: %v", old["earliest_control_date"])
	}

	e.Shutdown()
	announced := calendar.Config{Extra: []calendar.Holiday{{Date: calendar.NewDate(2026, 3, 5), Name: "Announced holiday"}}}
	e = newEnvWith(t, e.DB, e.NATS, e.Clock, e.schedules, announced)
	recomputed := e.Collect("DEBT_EVENTS", "debt.events.notice.recomputed")
	cal, err := calendar.New(announced)
	if err != nil {
		t.Fatal(err)
	}
	version := cal.HolidayTableVersion()
	if version == old["earliest_control"].(map[string]any)["holiday_table_version"] {
		t.Fatalf("the announced holiday did not change the table version %s", version)
	}
	assertSwept(t, e.sweep(t), sweptOnly("notice_periods", 1))
	assertSwept(t, e.sweep(t), sweptOnly("notice_periods", 0))

	e.Clock.Set(time.Date(2026, 3, 11, 10, 0, 0, 0, time.UTC))
	before := e.snapshot()
	p := problemOf(t, e.Call("POST", "/cases/"+running+"/visits", e.agent(),
		map[string]any{"at": "2026-03-11T09:30:00Z", "outcome": "controlled_goods_agreement", "body_worn_video": "BWV-N1"}), 409, "conflict")
	if p["rule"] != "notice_period" || !strings.HasPrefix(p["detail"].(string), "control of goods may not be taken before 2026-03-12: ") {
		t.Fatalf("a visit on 11 March: %v", p)
	}
	if after := e.snapshot(); !reflect.DeepEqual(after, before) {
		t.Fatal("the refused visit changed the database")
	}
	notice := e.Must(200, "GET", "/cases/"+running, e.officer(), nil)["notice_of_enforcement"].(map[string]any)
	earliest := notice["earliest_control"].(map[string]any)
	if notice["earliest_control_date"] != "2026-03-12" || earliest["due_date"] != "2026-03-12" || earliest["holiday_table_version"] != version ||
		earliest["start"] != old["earliest_control"].(map[string]any)["start"] ||
		!reflect.DeepEqual(earliest["skipped"], []any{map[string]any{"date": "2026-03-05", "reason": "Announced holiday (bank holiday)"}, map[string]any{"date": "2026-03-08", "reason": "Sunday"}}) {
		t.Fatalf("after the new table: %v", notice)
	}
	kept := e.Must(200, "GET", "/cases/"+attended, e.officer(), nil)["notice_of_enforcement"].(map[string]any)
	if kept["earliest_control_date"] != "2026-03-11" || kept["earliest_control"].(map[string]any)["holiday_table_version"] == version {
		t.Fatalf("the attended case: %v", kept)
	}
	ev := testkit.Decode(t, recomputed.WaitFor(t, 1)[0])
	if ev["case_id"] != running || ev["stage"] != "compliance" {
		t.Fatalf("event %v", ev)
	}
	var detail string
	if err := e.DB.Get(&detail, `SELECT detail::text FROM audit_log WHERE chain = $1 AND action = 'case.notice.recomputed'`, "debt_case:"+running); err != nil ||
		!strings.Contains(detail, `"moved_from": "2026-03-11"`) || !strings.Contains(detail, `"earliest_control_date": "2026-03-12"`) {
		t.Fatalf("audit detail %s %v", detail, err)
	}
	e.Clock.Set(time.Date(2026, 3, 12, 10, 0, 0, 0, time.UTC))
	e.Must(200, "POST", "/cases/"+running+"/visits", e.agent(), map[string]any{"at": "2026-03-12T09:30:00Z", "outcome": "controlled_goods_agreement", "body_worn_video": "BWV-N3"})
}

// missedAndLimit reads which of a case's instalments stand missed, whether its arrangement
// awaits review and the last day for taking control.
func (e *env) missedAndLimit(t *testing.T, id string) (missed []any, reviewPending any, controlLimit any) {
	t.Helper()
	c := e.Must(200, "GET", "/cases/"+id, e.officer(), nil)
	arr := c["arrangement"].(map[string]any)
	return missedOf(arr), arr["review_pending"], c["notice_of_enforcement"].(map[string]any)["control_limit_date"]
}

// An instalment is paid on time when the money was received by the end of its due date
// (London), whenever it is recorded. A bank transfer received on the due date and recorded
// the next morning, after the sweep raised the instalment as missed, takes the miss back
// with the 12 months for taking control it began again (SI 2013/1894 reg 9(2)); the
// payment's entry in the history says so. Two such weeks leave nothing missed, no breach
// and the 12 months from the notice, and enforcement is held only as by any arrangement
// being kept.
func TestInstalmentsPaidOnTheirDueDatesButRecordedLaterAreNotMissed(t *testing.T) {
	e := newEnv(t)
	status := e.Collect("DEBT_STATUS", "status.debt.>")
	id := e.referOne("maidstone-council-tax", "CT-A8", 100000)
	e.Must(200, "POST", "/cases/"+id+"/arrangement", e.officer(), map[string]any{"first_due": "2026-03-09", "amount_pence": 30000, "count": 4, "frequency": "weekly"})
	for i, week := range []struct{ due, restarted string }{{"2026-03-09", "2027-03-09"}, {"2026-03-16", "2027-03-16"}} {
		due, err := calendar.ParseDate(week.due)
		if err != nil {
			t.Fatal(err)
		}
		e.Clock.Set(due.EndOfDay().Add(5 * time.Minute)) // 00:05 the next day: the payment is not recorded yet
		assertSwept(t, e.sweep(t), sweptOnly("instalments", 1))
		wantMissed := []any{false, false, false, false}
		wantMissed[i] = true
		if missed, pending, limit := e.missedAndLimit(t, id); !reflect.DeepEqual(missed, wantMissed) || pending != false || limit != week.restarted {
			t.Fatalf("swept after %s: missed %v, review pending %v, control limit %v", week.due, missed, pending, limit)
		}
		e.Clock.Set(due.EndOfDay().Add(9 * time.Hour))
		c := e.Must(200, "POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 30000, "received_at": week.due + "T15:00:00Z"})
		arr := c["arrangement"].(map[string]any)
		if !reflect.DeepEqual(missedOf(arr), []any{false, false, false, false}) || arr["review_pending"] != false ||
			c["notice_of_enforcement"].(map[string]any)["control_limit_date"] != "2027-03-01" {
			t.Fatalf("recorded on the morning after %s: %v, control limit %v", week.due, arr, c["notice_of_enforcement"])
		}
		payments := c["payments"].([]any)
		entry := lastTrailEntry(e.Must(200, "GET", "/cases/"+id, e.officer(), nil))
		want := map[string]any{"payment": payments[len(payments)-1].(map[string]any)["id"], "source": "payment",
			"misses_withdrawn": []any{float64(i + 1)}, "missed": float64(0), "control_limit_date": "2027-03-01"}
		if entry["actor"] != "olive" || entry["action"] != "case.payment.received" || !reflect.DeepEqual(entry["detail"], want) {
			t.Fatalf("audit entry %v", entry)
		}
	}
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 0))

	before := e.snapshot()
	p := problemOf(t, e.Call("POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-17T08:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-A8"}), 409, "conflict")
	if p["rule"] != "arrangement_in_place" {
		t.Fatalf("a visit while the arrangement is kept: %v", p)
	}
	if !reflect.DeepEqual(e.snapshot(), before) {
		t.Fatal("the refused visit changed the database")
	}
	// Managers are told the miss and its new 12 months, then that they are taken back.
	statuses := status.WaitFor(t, 6)
	for n, want := range map[int][2]any{2: {"arrangement.instalment_missed", "2027-03-09"}, 3: {"payment.received", "2027-03-01"},
		4: {"arrangement.instalment_missed", "2027-03-16"}, 5: {"payment.received", "2027-03-01"}} {
		if st := testkit.Decode(t, statuses[n]); st["change"] != want[0] || st["control_limit_date"] != want[1] || st["arrangement_review_pending"] != false {
			t.Errorf("status event %d: %v", n, st)
		}
	}
}

// A payment recorded after the sweep breached the arrangement that shows the second
// instalment was paid on its due date takes that miss back and the breach with it: one miss
// no longer breaches it, so no review awaits and enforcement is held only by the
// arrangement. The first instalment was missed all the same: its miss stands, and so do the
// 12 months it began again.
func TestAPaymentRecordedAfterABreachTakesBackTheMissItPaid(t *testing.T) {
	e := newEnv(t)
	id := e.breach(t, "CT-AR9")[0]
	e.Clock.Set(breachedAt.Add(time.Hour))
	// 60,000 received on 16 March pays the first instalment late and the second on time.
	c := e.Must(200, "POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 60000, "received_at": "2026-03-16T15:00:00Z"})
	arr := c["arrangement"].(map[string]any)
	if !reflect.DeepEqual(missedOf(arr), []any{true, false, false, false}) || arr["review_pending"] != false || arr["breached_at"] != nil ||
		c["notice_of_enforcement"].(map[string]any)["control_limit_date"] != "2027-03-09" {
		t.Fatalf("after the payment: %v, control limit %v", arr, c["notice_of_enforcement"])
	}
	payments := c["payments"].([]any)
	entry := lastTrailEntry(e.Must(200, "GET", "/cases/"+id, e.officer(), nil))
	want := map[string]any{"payment": payments[0].(map[string]any)["id"], "source": "payment", "misses_withdrawn": []any{float64(2)},
		"missed": float64(1), "review_pending": false}
	if entry["action"] != "case.payment.received" || !reflect.DeepEqual(entry["detail"], want) {
		t.Fatalf("audit entry %v", entry)
	}
	if items := e.Must(200, "GET", "/cases?arrangement_review_pending=true", e.officer(), nil)["items"].([]any); len(items) != 0 {
		t.Fatalf("cases awaiting review: %v", items)
	}
	before := e.snapshot()
	p := problemOf(t, e.Call("POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-17T09:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-AR9"}), 409, "conflict")
	if p["rule"] != "arrangement_in_place" {
		t.Fatalf("a visit: %v", p)
	}
	p = problemOf(t, e.Call("POST", "/cases/"+id+"/arrangement/review", e.officer(), map[string]any{"decision": "end", "reason": "Two missed."}), 409, "conflict")
	if p["rule"] != "no_arrangement_review_pending" {
		t.Fatalf("a review: %v", p)
	}
	if !reflect.DeepEqual(e.snapshot(), before) {
		t.Fatal("a refused request changed the database")
	}
	// The third instalment passes unpaid: with the first, two misses breach it again.
	e.Clock.Set(time.Date(2026, 3, 24, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 1))
	if missed, pending, limit := e.missedAndLimit(t, id); !reflect.DeepEqual(missed, []any{true, false, true, false}) || pending != true || limit != "2027-03-09" {
		t.Fatalf("the third missed: %v %v %v", missed, pending, limit)
	}
}

// A payment received before the arrangement was made but recorded after it was not in the
// balance the schedule was set on, so it counts towards the instalments: the debtor paid the
// first before it fell due.
func TestAPaymentReceivedBeforeTheArrangementButRecordedAfterCountsTowardsIt(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-A7", 100000)
	e.Clock.Set(time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC))
	e.Must(200, "POST", "/cases/"+id+"/arrangement", e.officer(), map[string]any{"first_due": "2026-03-09", "amount_pence": 30000, "count": 4, "frequency": "weekly"})
	e.Clock.Set(time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC))
	c := e.Must(200, "POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 30000, "received_at": "2026-03-02T16:00:00Z"})
	if c["debt_outstanding_pence"] != float64(77500) || c["fees_outstanding_pence"] != float64(0) {
		t.Fatalf("outstanding %v + %v", c["debt_outstanding_pence"], c["fees_outstanding_pence"])
	}
	e.Clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 0))
	e.Clock.Set(time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 1))
	if missed, pending, limit := e.missedAndLimit(t, id); !reflect.DeepEqual(missed, []any{false, true, false, false}) || pending != false || limit != "2027-03-16" {
		t.Fatalf("after the second due date: %v %v %v", missed, pending, limit)
	}
}
