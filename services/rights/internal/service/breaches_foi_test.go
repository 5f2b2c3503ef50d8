package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"casework.dev/contracts"
	"casework.dev/contracts/events"
	"casework.dev/pkg/bootstrap"
	"casework.dev/pkg/notice"
	"casework.dev/pkg/testkit"
	"casework.dev/services/rights/internal/service"
)

// aBreach was discovered and became known on Friday 27 February 2026 at 15:30.
func aBreach() map[string]any {
	return map[string]any{
		"confirmed":           true,
		"discovered_at":       "2026-02-27T15:00:00Z",
		"aware_at":            "2026-02-27T15:30:00Z",
		"nature":              "A letter about a noise complaint was posted to the wrong address.",
		"released":            "Carla Complainant's name, address and her account of the noise",
		"released_to":         "the neighbour she complained about",
		"categories_affected": []string{"identity", "contact"},
		"people_affected":     1,
		"records_affected":    1,
		"reported_by":         map[string]any{"name": "Olly Officer", "email": "olly@maidstone.gov.uk"},
		"affected_contacts":   []map[string]any{{"name": "Carla Complainant", "address": "3 Mill Lane, Maidstone ME15 7XX"}},
	}
}

// A breach from Friday afternoon: reported to the ICO within its 72 elapsed hours, as a
// minimised, logged disclosure; the affected person told; closed; at the end of 10 years
// plus the current year a review task, not a deletion.
func TestBreachRegister(t *testing.T) {
	e := newEnv(t)
	share := e.Collect("RIGHTS_SHARE", "share.>")
	status := e.Collect("RIGHTS_STATUS", "status.rights.breaches")
	evs := e.Collect("RIGHTS_EVENTS", "rights.events.breach.>")

	b := e.Must(201, "POST", "/breaches", e.officer(), aBreach())
	id := b["id"].(string)
	dl := b["ico_deadline"].(map[string]any)
	if dl["due_at"] != "2026-03-02T15:30:00Z" || dl["computation"].(map[string]any)["rule"] != "hours" ||
		!strings.HasPrefix(b["reference"].(string), "BR-2026-") || b["status"] != "open" {
		t.Fatalf("recorded: %v %v", b["reference"], dl)
	}
	if res := e.Call("POST", "/breaches/"+id+"/assessment", e.officer(), map[string]any{"reportable": true, "reason": "r", "high_risk": false, "tell_people": false}); res.Status != 403 {
		t.Errorf("an officer assessed the breach: %d", res.Status)
	}
	if res := e.Call("POST", "/breaches/"+id+"/report", e.dpo(), map[string]any{"consequences": "c", "measures": "m"}); res.Status != 409 {
		t.Errorf("reported before it was assessed reportable: %d %s", res.Status, res.Body)
	}
	e.Must(200, "POST", "/breaches/"+id+"/assessment", e.dpo(), map[string]any{"reportable": true,
		"reason": "Her home address reached the person she complained about.", "high_risk": true, "tell_people": true,
		"tell_reason": "She can take steps to protect herself."})
	b = e.Must(200, "POST", "/breaches/"+id+"/report", e.dpo(), map[string]any{
		"consequences": "Risk of harassment.", "measures": "Letter recovered; post checks added."})
	report := b["report"].(map[string]any)
	if report["on_time"] != true || report["disclosure_id"] == "" {
		t.Fatalf("report %v", report)
	}
	msgs := share.WaitFor(t, 1)
	if testkit.Subjects(msgs) != "share.ico.rights.breach_report" {
		t.Fatalf("report went to %s", testkit.Subjects(msgs))
	}
	sent := decode(t, msgs[0])
	data := sent["data"].(map[string]any)
	var fields []string
	for k := range data {
		fields = append(fields, k)
	}
	slices.Sort(fields)
	if want := []string{"aware_at", "categories_affected", "confirmed", "consequences", "discovered_at", "dpo_contact", "high_risk",
		"late_reason", "measures", "nature", "people_affected", "records_affected", "reference", "reportable_reason", "tell_people"}; !slices.Equal(fields, want) {
		t.Errorf("the ICO received %v", fields)
	}
	if strings.Contains(string(msgs[0].Data()), "Carla") || strings.Contains(string(msgs[0].Data()), "Mill Lane") {
		t.Errorf("the report carries the released data: %s", msgs[0].Data())
	}
	if sent["purpose"] != "breach_report" || sent["condition"] != "legal_obligation" || sent["disclosure_id"] != report["disclosure_id"] {
		t.Errorf("envelope %v", sent)
	}
	if n := e.count(`SELECT count(*) FROM disclosure_log WHERE case_id = $1 AND recipient = 'ico' AND purpose = 'breach_report'
		AND categories = '{breach_contact,breach_facts}'`, id); n != 1 {
		t.Errorf("disclosure log rows %d", n)
	}
	if res := e.Call("POST", "/breaches/"+id+"/close", e.dpo(), nil); res.Status != 409 || !strings.Contains(string(res.Body), "people_not_told") {
		t.Errorf("closed before the person was told: %d %s", res.Status, res.Body)
	}
	e.Must(200, "POST", "/breaches/"+id+"/people-told", e.officer(), map[string]any{"told_on": "2026-03-02", "method": "letter", "count": 1})
	b = e.Must(200, "POST", "/breaches/"+id+"/close", e.dpo(), nil)
	if b["status"] != "closed" || b["review_due"] != "2037-01-01" {
		t.Fatalf("closed: %v %v", b["status"], b["review_due"])
	}

	ctx := context.Background()
	e.Clock.Set(time.Date(2036, 12, 31, 23, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(ctx, 100); n != 0 || err != nil {
		t.Fatalf("review raised early: %d %v", n, err)
	}
	e.Clock.Set(time.Date(2037, 1, 1, 0, 30, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(ctx, 100); n != 1 || err != nil {
		t.Fatalf("retention sweep: %d %v", n, err)
	}
	b = e.Must(200, "GET", "/breaches/"+id, e.dpo(), nil)
	if b["status"] != "review_due" || b["erased"] != false || b["released"] != "Carla Complainant's name, address and her account of the noise" {
		t.Errorf("at the end of retention: %v erased %v", b["status"], b["erased"])
	}
	if n := e.count(`SELECT count(*) FROM rights_breach_personal_data WHERE breach_id = $1`, id); n != 1 {
		t.Errorf("the sweep deleted the record")
	}
	b = e.Must(200, "POST", "/breaches/"+id+"/review", e.dpo(), map[string]any{"decision": "keep", "reason": "a claim is threatened", "keep_years": 2})
	if b["status"] != "closed" || b["review_due"] != "2039-01-01" {
		t.Errorf("kept: %v %v", b["status"], b["review_due"])
	}

	want := []string{"rights.events.breach.assessed", "rights.events.breach.closed", "rights.events.breach.people_told",
		"rights.events.breach.recorded", "rights.events.breach.reported", "rights.events.breach.review_due", "rights.events.breach.reviewed"}
	var got []string
	for _, m := range evs.WaitFor(t, len(want)) {
		got = append(got, m.Subject())
	}
	if !slices.Equal(subjects(got), want) {
		t.Errorf("events %v", subjects(got))
	}
	for _, m := range status.WaitFor(t, len(want)) {
		for _, personal := range []string{"Carla", "Mill Lane", "Olly", "noise complaint"} {
			if strings.Contains(string(m.Data()), personal) {
				t.Errorf("status carries %q: %s", personal, m.Data())
			}
		}
	}
}

// The 72 hours pass unreported: one overdue event, also when the sweep runs again after a
// restart; a late report must give its reasons.
func TestBreachReportOverdueOnce(t *testing.T) {
	e := newEnv(t)
	evs := e.Collect("RIGHTS_EVENTS", "rights.events.breach.report.overdue")
	id := e.Must(201, "POST", "/breaches", e.officer(), aBreach())["id"].(string)
	ctx := context.Background()
	e.Clock.Set(time.Date(2026, 3, 2, 15, 29, 59, 0, time.UTC))
	if n, _ := e.svc.App.SweepOverdue(ctx, 100); n != 0 {
		t.Fatalf("overdue a second early")
	}
	e.Clock.Set(time.Date(2026, 3, 2, 15, 30, 0, 0, time.UTC))
	if n, _ := e.svc.App.SweepOverdue(ctx, 100); n != 0 {
		t.Fatalf("overdue at the 72nd hour itself, when a report is still on time (Art 33(1): not later than 72 hours)")
	}
	e.Clock.Set(time.Date(2026, 3, 2, 15, 30, 1, 0, time.UTC))
	if n, err := e.svc.App.SweepOverdue(ctx, 100); n != 1 || err != nil {
		t.Fatalf("sweep %d %v", n, err)
	}
	e.Shutdown()
	e = newEnvOn(t, e.DB, e.NATS, e.Clock)
	if n, _ := e.svc.App.SweepOverdue(ctx, 100); n != 0 {
		t.Errorf("overdue raised again after a restart")
	}
	if ev := decode(t, evs.WaitFor(t, 1)[0]); len(evs.All()) != 1 || ev["case_id"] != id || ev["kind"] != "breach" {
		t.Errorf("overdue events %v", ev)
	}
	e.Must(200, "POST", "/breaches/"+id+"/assessment", e.dpo(), map[string]any{"reportable": true, "reason": "risk", "high_risk": false, "tell_people": false})
	res := e.Call("POST", "/breaches/"+id+"/report", e.dpo(), map[string]any{"consequences": "c", "measures": "m"})
	if res.Status != 400 || !strings.Contains(string(res.Body), "/late_reason") {
		t.Errorf("late report without reasons: %d %s", res.Status, res.Body)
	}
	r := e.Must(200, "POST", "/breaches/"+id+"/report", e.dpo(), map[string]any{"consequences": "c", "measures": "m", "late_reason": "the DPO was away"})
	if r["report"].(map[string]any)["on_time"] != false {
		t.Errorf("a late report on time")
	}
}

func anFOI() map[string]any {
	return map[string]any{
		"regime":      "foi",
		"received_at": "2026-03-07T11:00:00Z", // a Saturday
		"requester":   map[string]any{"name": "Fred Asker", "email": "fred@example.org"},
		"details":     "Please tell me how many fly-tipping reports you got in 2025 and what the clearance contract costs. Fred",
		"summary":     "Fly-tipping reports in 2025 and the cost of the clearance contract",
	}
}

// An FOI request received on a Saturday, answered part by part (one part withheld under a
// qualified exemption with the public interest test), published in the disclosure log
// without the requester, reviewed, and erased after 3 years.
func TestFOIRequestAndReview(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	status := e.Collect("RIGHTS_STATUS", "status.rights.foi")
	f := e.Must(201, "POST", "/foi", e.officer(), anFOI())
	id := f["id"].(string)
	comp := f["deadline"].(map[string]any)["computation"].(map[string]any)
	// Day one is Monday 9 March; St Patrick's Day, Good Friday and Easter Monday do not count.
	if f["deadline"].(map[string]any)["due_date"] != "2026-04-08" || comp["description"] != "20 working days (the United Kingdom) after 2026-03-07" ||
		!strings.HasPrefix(f["reference"].(string), "FOI-2026-") {
		t.Fatalf("received: %v %v", f["deadline"], f["reference"])
	}
	skipped := comp["skipped"].([]any)
	if !slices.ContainsFunc(skipped, func(s any) bool {
		return s.(map[string]any)["reason"] == "St Patrick's Day (Northern Ireland) (bank holiday)"
	}) {
		t.Errorf("St Patrick's Day was counted: %v", skipped)
	}
	e.Must(200, "POST", "/foi/"+id+"/regime", e.officer(), map[string]any{"regime": "eir", "reason": "fly-tipping is the state of the land"})
	e.Must(200, "POST", "/foi/"+id+"/regime", e.officer(), map[string]any{"regime": "foi", "reason": "the contract costs are not environmental information"})
	e.Must(200, "POST", "/foi/"+id+"/clock/stop", e.officer(), nil)
	e.Clock.Set(time.Date(2026, 3, 9, 12, 0, 0, 0, time.UTC))
	f = e.Must(200, "POST", "/foi/"+id+"/clock/restart", e.officer(), map[string]any{"received_at": "2026-03-09T10:00:00Z"})
	// The 20 working days run again from Monday 9 March, when the clarification arrived.
	if f["status"] != "open" || f["deadline"].(map[string]any)["due_date"] != "2026-04-09" {
		t.Errorf("after clarification on Monday 9 March: %v %v", f["status"], f["deadline"].(map[string]any)["due_date"])
	}
	if res := e.Call("POST", "/foi/"+id+"/extend", e.officer(), map[string]any{"reason": " "}); res.Status != 400 ||
		!strings.Contains(string(res.Body), "s10(3)") {
		t.Errorf("an FOI request extended with no exemption to weigh: %d %s", res.Status, res.Body)
	}
	parts := []map[string]any{
		{"description": "number of fly-tipping reports in 2025", "outcome": "released"},
		{"description": "cost of the clearance contract", "outcome": "withheld", "exemption": "s43"},
	}
	res := e.Call("POST", "/foi/"+id+"/respond", e.officer(), map[string]any{"parts": parts, "publish": true})
	if res.Status != 400 || !strings.Contains(string(res.Body), "/parts/1/public_interest") {
		t.Fatalf("a qualified exemption without the public interest test: %d %s", res.Status, res.Body)
	}
	parts[1]["public_interest"] = map[string]any{"for_disclosure": "transparency in spending", "for_withholding": "the contract is being retendered",
		"favours_withholding": true, "conclusion": "withhold until the tender closes"}
	e.Clock.Set(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))
	f = e.Must(200, "POST", "/foi/"+id+"/respond", e.officer(), map[string]any{"parts": parts, "publish": true})
	if f["status"] != "responded" || f["on_time"] != true || f["outcome"] != "partly_released" || f["retention_due"] != "2028-04-01" {
		t.Fatalf("responded: %v %v %v %v", f["status"], f["on_time"], f["outcome"], f["retention_due"])
	}

	log := e.Call("GET", "/public/foi-disclosure-log", "", nil)
	if log.Status != 200 || strings.Contains(string(log.Body), "Fred") || strings.Contains(string(log.Body), "fred@example.org") {
		t.Fatalf("disclosure log: %d %s", log.Status, log.Body)
	}
	entries := log.JSON(t)["responses"].([]any)
	entry := entries[0].(map[string]any)
	if len(entries) != 1 || entry["request"] != "Fly-tipping reports in 2025 and the cost of the clearance contract" ||
		entry["received_on"] != "2026-03-07" || entry["responded_on"] != "2026-04-01" || len(entry["parts"].([]any)) != 2 ||
		entry["parts"].([]any)[1].(map[string]any)["exemption"] != "s43" {
		t.Errorf("disclosure log entry %v", entry)
	}

	e.Clock.Set(time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC))
	f = e.Must(200, "POST", "/foi/"+id+"/review", e.officer(), map[string]any{"requested_at": "2026-04-02T09:00:00Z"})
	// 20 working days after Thursday 2 April: Good Friday, Easter Monday and the early May
	// bank holiday passed over.
	if f["review"].(map[string]any)["deadline"].(map[string]any)["due_date"] != "2026-05-05" {
		t.Errorf("review due %v", f["review"])
	}
	if res := e.Call("POST", "/foi/"+id+"/review/decision", e.officer(), map[string]any{"outcome": "upheld", "reasons": "r"}); res.Status != 403 {
		t.Errorf("an officer decided the review: %d", res.Status)
	}
	e.Clock.Set(time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC))
	f = e.Must(200, "POST", "/foi/"+id+"/review/decision", e.dpo(), map[string]any{"outcome": "upheld", "reasons": "the tender is still open"})
	if f["retention_due"] != "2029-04-20" {
		t.Errorf("retention after the review %v", f["retention_due"])
	}
	ctx := context.Background()
	e.Clock.Set(time.Date(2029, 4, 19, 12, 0, 0, 0, time.UTC))
	if n, _ := e.svc.App.SweepRetention(ctx, 100); n != 0 {
		t.Fatalf("erased early")
	}
	e.Clock.Set(time.Date(2029, 4, 20, 12, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(ctx, 100); n != 1 || err != nil {
		t.Fatalf("retention: %d %v", n, err)
	}
	f = e.Must(200, "GET", "/foi/"+id, e.officer(), nil)
	if f["erased"] != true || f["requester"].(map[string]any)["name"] != "" || f["details"] != "" {
		t.Errorf("after erasure %v", f)
	}
	if entries := e.Call("GET", "/public/foi-disclosure-log", "", nil).JSON(t)["responses"].([]any); len(entries) != 1 {
		t.Errorf("the disclosure log lost the published response")
	}
	for _, m := range status.WaitFor(t, 8) {
		if strings.Contains(string(m.Data()), "Fred") || strings.Contains(string(m.Data()), "fred@") {
			t.Errorf("status carries the requester: %s", m.Data())
		}
	}
}

// An EIR request extended to 40 working days, and an FOI response overdue once.
func TestEIRExtensionAndOverdue(t *testing.T) {
	e := newEnv(t)
	body := anFOI()
	body["regime"], body["received_at"] = "eir", "2026-03-02T09:00:00Z"
	id := e.Must(201, "POST", "/foi", e.officer(), body)["id"].(string)
	f := e.Must(200, "POST", "/foi/"+id+"/extend", e.officer(), map[string]any{"reason": "12 years of inspection records across 40 sites"})
	// 40 working days after 2 March: St Patrick's Day, Good Friday and Easter Monday passed over.
	if f["deadline"].(map[string]any)["due_date"] != "2026-04-30" || f["extension_reason"] == "" {
		t.Errorf("extended: %v", f["deadline"])
	}
	other := anFOI()
	other["received_at"] = "2026-03-02T09:00:00Z"
	late := e.Must(201, "POST", "/foi", e.officer(), other)["id"].(string)
	evs := e.Collect("RIGHTS_EVENTS", "rights.events.foi.deadline.overdue")
	ctx := context.Background()
	e.Clock.Set(time.Date(2026, 3, 31, 22, 59, 0, 0, time.UTC))
	if n, _ := e.svc.App.SweepOverdue(ctx, 100); n != 0 {
		t.Fatalf("overdue on the due date")
	}
	e.Clock.Set(time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC)) // midnight BST ending 31 March
	if n, err := e.svc.App.SweepOverdue(ctx, 100); n != 1 || err != nil {
		t.Fatalf("sweep %d %v", n, err)
	}
	if n, _ := e.svc.App.SweepOverdue(ctx, 100); n != 0 {
		t.Errorf("overdue twice")
	}
	if ev := decode(t, evs.WaitFor(t, 1)[0]); ev["case_id"] != late || ev["kind"] != "foi" {
		t.Errorf("overdue event %v", ev)
	}
}

// Neither notice lets an FOI/EIR requester's details go to anyone: sharing needs their
// consent, which the service never records.
func TestFOIRequestersAreSharedWithNoOne(t *testing.T) {
	n, _, err := bootstrap.LoadNotice(service.Name, "", contracts.Notice)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range n.Recipients {
		for _, ct := range []string{"foi_request", "foi_internal_review"} {
			for _, p := range []string{"foi_request", "foi_internal_review", "article19_notification"} {
				if d := n.Decide(notice.Request{Recipient: r.ID, Purpose: p, CaseType: ct}); d.Allowed {
					t.Errorf("%s may receive %s for %s", r.ID, ct, p)
				}
			}
		}
	}
}

// The people told are counted in the register's 32-bit integer, as people_affected is: a
// count beyond it is refused naming the field, and nothing changes. A count above
// people_affected is accepted: that is the approximate number known when the breach was
// recorded (Article 33(3)(a)), which the register cannot revise, and a breach whose people
// must be told is closed only once they were.
func TestPeopleToldCountIsBounded(t *testing.T) {
	e := newEnv(t)
	b := aBreach()
	b["people_affected"] = 3
	id := e.Must(201, "POST", "/breaches", e.officer(), b)["id"].(string)
	p := "/breaches/" + id
	e.Must(200, "POST", p+"/assessment", e.dpo(), map[string]any{"reportable": true, "reason": "addresses reached a neighbour",
		"high_risk": true, "tell_people": true, "tell_reason": "they can protect themselves"})
	told := func(count any) map[string]any {
		return map[string]any{"told_on": "2026-03-02", "method": "letter", "count": count}
	}
	e.RefusesBadInput(t, e.officer(), []testkit.BadInput{
		{Name: "eleven digits told", Method: "POST", Path: p + "/people-told", Body: told(99999999999),
			Status: 400, Problem: "validation", Pointers: []string{"/count"}},
		{Name: "one past the 32-bit count", Method: "POST", Path: p + "/people-told", Body: told(2147483648),
			Status: 400, Problem: "validation", Pointers: []string{"/count"}},
		{Name: "no one told", Method: "POST", Path: p + "/people-told", Body: told(0),
			Status: 400, Problem: "validation", Pointers: []string{"/count"}},
	})
	if got := e.Must(200, "GET", p, e.officer(), nil); got["people_told"] != nil {
		t.Fatalf("recorded: %v", got["people_told"])
	}
	got := e.Must(200, "POST", p+"/people-told", e.officer(), told(5))
	if pt := got["people_told"].(map[string]any); pt["count"] != float64(5) {
		t.Errorf("people told %v", pt)
	}
}

// A breach's status events give managers its deadlines, dates and no personal data: the
// ICO's 72 hours while a report is owed, then the record's review date while it is kept,
// and the review as a deadline (due by the end of that date in London) once raised; an
// erased record has neither.
func TestBreachStatusGivesManagersItsDeadlines(t *testing.T) {
	e := newEnv(t)
	status := e.Collect("RIGHTS_STATUS", "status.rights.breaches")
	id := e.Must(201, "POST", "/breaches", e.officer(), aBreach())["id"].(string)
	b := "/breaches/" + id
	e.Must(200, "POST", b+"/assessment", e.dpo(), map[string]any{"reportable": true, "reason": "Her address reached a neighbour.",
		"high_risk": false, "tell_people": false})
	e.Must(200, "POST", b+"/report", e.dpo(), map[string]any{"consequences": "Risk of harassment.", "measures": "Letter recovered."})
	e.Must(200, "POST", b+"/close", e.dpo(), nil)
	sweep := func(at time.Time) {
		t.Helper()
		e.Clock.Set(at)
		if n, err := e.svc.App.SweepRetention(context.Background(), 100); n != 1 || err != nil {
			t.Fatalf("retention sweep at %s: %d %v", at, n, err)
		}
	}
	sweep(time.Date(2037, 1, 1, 0, 30, 0, 0, time.UTC))
	e.Must(200, "POST", b+"/review", e.dpo(), map[string]any{"decision": "keep", "reason": "a claim is threatened", "keep_years": 1})
	sweep(time.Date(2038, 1, 1, 0, 30, 0, 0, time.UTC))
	e.Must(200, "POST", b+"/review", e.dpo(), map[string]any{"decision": "erase", "reason": "no claim came"})

	type seen struct{ change, status, dueAt, reviewDueOn string }
	want := []seen{
		{"breach.recorded", "open", "2026-03-02T15:30:00Z", ""}, // aware Friday 27 February 15:30, plus 72 hours
		{"breach.assessed", "open", "2026-03-02T15:30:00Z", ""},
		{"breach.reported", "open", "", ""},
		{"breach.closed", "closed", "", "2037-01-01"},
		{"breach.review_due", "review_due", "2037-01-02T00:00:00Z", "2037-01-01"},
		{"breach.reviewed", "closed", "", "2038-01-01"},
		{"breach.review_due", "review_due", "2038-01-02T00:00:00Z", "2038-01-01"},
		{"breach.reviewed", "closed", "", ""},
	}
	msgs := status.WaitFor(t, len(want))
	if len(msgs) != len(want) {
		t.Fatalf("%d status events, want %d: %s", len(msgs), len(want), testkit.Subjects(msgs))
	}
	for i, m := range msgs {
		// Read strictly as the contract's type: a member it does not declare fails here.
		var st events.RightsStatus
		dec := json.NewDecoder(bytes.NewReader(m.Data()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&st); err != nil {
			t.Fatalf("status %d: %v: %s", i, err, m.Data())
		}
		got := seen{change: st.Change, status: st.Status, reviewDueOn: st.ReviewDueOn}
		if st.DueAt != nil {
			got.dueAt = st.DueAt.UTC().Format(time.RFC3339)
		}
		if got != want[i] || st.Kind != "breach" || st.CaseID != id || st.Overdue {
			t.Errorf("status %d: %+v kind %s overdue %v, want %+v", i, got, st.Kind, st.Overdue, want[i])
		}
		if raw := string(m.Data()); (want[i].reviewDueOn == "") == strings.Contains(raw, "review_due_on") {
			t.Errorf("status %d: review_due_on present or absent wrongly: %s", i, raw)
		}
	}
}

// A breach assessed as not reportable owes the ICO no report: its status events give
// managers no due date and no overdue flag, though it was overdue before the assessment.
func TestABreachNotReportableIsNotOverdue(t *testing.T) {
	e := newEnv(t)
	status := e.Collect("RIGHTS_STATUS", "status.rights.breaches")
	id := e.Must(201, "POST", "/breaches", e.officer(), aBreach())["id"].(string)
	e.Clock.Set(time.Date(2026, 3, 2, 15, 31, 0, 0, time.UTC)) // the 72 hours ended at 15:30
	if n, err := e.svc.App.SweepOverdue(context.Background(), 100); n != 1 || err != nil {
		t.Fatalf("overdue sweep: %d %v", n, err)
	}
	e.Must(200, "POST", "/breaches/"+id+"/assessment", e.dpo(), map[string]any{"reportable": false,
		"reason": "The letter came back unopened.", "high_risk": false, "tell_people": false})
	st := status.WaitFor(t, 3)
	overdue, assessed := decode(t, st[1]), decode(t, st[2])
	if overdue["change"] != "breach.report.overdue" || overdue["overdue"] != true || overdue["due_at"] != "2026-03-02T15:30:00Z" {
		t.Errorf("while the report was due: %v", overdue)
	}
	if _, hasDue := assessed["due_at"]; assessed["change"] != "breach.assessed" || assessed["overdue"] != false || (hasDue && assessed["due_at"] != nil) {
		t.Errorf("assessed not reportable: %v", assessed)
	}
}

// A request whose clarification never comes is closed as lapsed three months after it was
// asked for, not before; its requester's details are then erased with the request's
// retention, as for an answered one.
func TestAnUnclarifiedFOIRequestLapses(t *testing.T) {
	e := newEnv(t)
	e.Clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
	id := e.Must(201, "POST", "/foi", e.officer(), anFOI())["id"].(string)
	e.Must(200, "POST", "/foi/"+id+"/clock/stop", e.officer(), nil)
	e.Clock.Set(time.Date(2026, 6, 8, 22, 59, 0, 0, time.UTC)) // 23:59 in London on 8 June: a day short of three months
	e.RefusesBadInput(t, e.officer(), []testkit.BadInput{{Name: "lapsed too soon", Method: "POST", Path: "/foi/" + id + "/lapse",
		Status: 409, Problem: "conflict", Check: func(t *testing.T, r testkit.Response, p map[string]any) {
			if p["rule"] != "clarification_awaited" || !strings.Contains(p["detail"].(string), "from 2026-06-09") {
				t.Errorf("lapsed too soon: %s", r.Body)
			}
		}}})
	e.Clock.Set(time.Date(2026, 6, 8, 23, 0, 0, 0, time.UTC)) // midnight in London
	f := e.Must(200, "POST", "/foi/"+id+"/lapse", e.officer(), nil)
	if f["status"] != "lapsed" || f["retention_due"] != "2028-06-09" {
		t.Fatalf("lapsed: %v %v", f["status"], f["retention_due"])
	}
	if r := e.Call("POST", "/foi/"+id+"/clock/restart", e.officer(), map[string]any{"received_at": "2026-06-09T08:30:00Z"}); r.Status != 409 {
		t.Errorf("a lapsed request restarted: %d %s", r.Status, r.Body)
	}
	e.Clock.Set(time.Date(2028, 6, 9, 9, 0, 0, 0, time.UTC))
	if n, err := e.svc.App.SweepRetention(context.Background(), 100); n != 1 || err != nil {
		t.Fatalf("retention sweep: %d %v", n, err)
	}
	if n := e.count(`SELECT count(*) FROM rights_foi_requests WHERE id = $1 AND erased_at IS NOT NULL`, id); n != 1 {
		t.Errorf("the lapsed request's requester was not erased")
	}
}
