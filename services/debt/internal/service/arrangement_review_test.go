package service_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/testkit"
)

// The privacy notice tells debtors there are no automated decisions in this process, so a
// breached instalment arrangement is never ended by the sweep alone (UK GDPR Art 22): the
// sweep records the misses and flags the breach, the arrangement stays in force and
// enforcement stays held until an officer decides (POST /cases/{id}/arrangement/review).

// breach refers, for each client reference, a debt of 1,075.00 outstanding, agrees 30,000
// pence weekly from Monday 9 March 2026 (four instalments, the last 17,500), and lets the
// first two pass unpaid: the sweep raises the first on Tuesday 10 March and breaches the
// arrangement on Tuesday 17 March at 09:00. It returns the case ids.
func (e *env) breach(t *testing.T, refs ...string) []string {
	t.Helper()
	var ids []string
	for _, ref := range refs {
		id := e.referOne("maidstone-council-tax", ref, 100000)
		e.Must(200, "POST", "/cases/"+id+"/arrangement", e.officer(), map[string]any{"first_due": "2026-03-09", "amount_pence": 30000, "count": 4, "frequency": "weekly"})
		ids = append(ids, id)
	}
	e.Clock.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", len(refs)))
	e.Clock.Set(breachedAt)
	assertSwept(t, e.sweep(t), sweptOnly("instalments", len(refs)))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 0))
	return ids
}

// breachedAt is when the sweep breaches the arrangement of (*env).breach.
var breachedAt = time.Date(2026, 3, 17, 9, 0, 0, 0, time.UTC)

// missedOf lists which of an arrangement's instalments were missed.
func missedOf(arr map[string]any) []any {
	var out []any
	for _, x := range arr["instalments"].([]any) {
		out = append(out, x.(map[string]any)["missed"])
	}
	return out
}

// lastTrailEntry is the case's last audit entry before the read that fetched it.
func lastTrailEntry(c map[string]any) map[string]any {
	h := c["history"].([]any)
	return h[len(h)-2].(map[string]any)
}

// The second missed payment flags the arrangement as breached and awaiting an officer's
// review: it is not ended, the case stays where it was, enforcement stays held and the
// 12-month sweep leaves it alone. The case view, the case list and the status events say
// so; the events are the miss and the breach, never a default.
func TestTheSweepFlagsABreachedArrangementAndLeavesItInForce(t *testing.T) {
	e := newEnv(t)
	events := e.Collect("DEBT_EVENTS", "debt.events.>")
	status := e.Collect("DEBT_STATUS", "status.debt.>")
	other := e.referOne("maidstone-council-tax", "CT-AR0", 100000)
	id := e.breach(t, "CT-AR1")[0]

	c := e.Must(200, "GET", "/cases/"+id, e.officer(), nil)
	arr := c["arrangement"].(map[string]any)
	if c["status"] != "compliance" || c["stage"] != "compliance" || len(c["fees"].([]any)) != 1 || c["returned"] != nil ||
		arr["defaulted"] != false || arr["review_pending"] != true || arr["breached_at"] != "2026-03-17T09:00:00Z" || len(c["arrangement_reviews"].([]any)) != 0 ||
		!reflect.DeepEqual(missedOf(arr), []any{true, true, false, false}) {
		t.Fatalf("after the breach: status %v stage %v fees %v arrangement %v", c["status"], c["stage"], c["fees"], arr)
	}
	entry := lastTrailEntry(c)
	wantDetail := map[string]any{"instalment": float64(2), "due_date": "2026-03-16", "missed": float64(2), "review_pending": true}
	if entry["actor"] != "system:instalment-sweep" || entry["action"] != "case.arrangement.breached" || !reflect.DeepEqual(entry["detail"], wantDetail) {
		t.Fatalf("audit entry %v", entry)
	}

	wantEvents := []string{"debt.events.case.referred", "debt.events.case.referred", "debt.events.arrangement.made",
		"debt.events.arrangement.instalment_missed", "debt.events.arrangement.breached"}
	got := events.WaitFor(t, len(wantEvents))
	if s := testkit.Subjects(got); s != strings.Join(wantEvents, ", ") {
		t.Fatalf("events %s", s)
	}
	ev := testkit.Decode(t, got[4])
	if ev["type"] != "arrangement.breached" || ev["case_id"] != id || ev["instalment"] != float64(2) || ev["stage"] != "compliance" ||
		ev["status"] != "compliance" || ev["returned"] != nil {
		t.Fatalf("breach event %v", ev)
	}
	st := testkit.Decode(t, status.WaitFor(t, len(wantEvents))[4])
	if st["change"] != "arrangement.breached" || st["case_id"] != id || st["arrangement"] != true || st["arrangement_review_pending"] != true ||
		st["stage"] != "compliance" || st["status"] != "compliance" || st["control_limit_date"] != "2027-03-09" {
		t.Fatalf("status event %v", st)
	}
	for _, m := range status.All()[:4] {
		if s := testkit.Decode(t, m); s["arrangement_review_pending"] != false {
			t.Fatalf("status before the breach %v", s)
		}
	}

	// The list says which cases await review, and finds them.
	items := e.Must(200, "GET", "/cases", e.officer(), nil)["items"].([]any)
	flags := map[any]any{}
	for _, x := range items {
		flags[x.(map[string]any)["id"]] = x.(map[string]any)["arrangement_review_pending"]
	}
	if !reflect.DeepEqual(flags, map[any]any{id: true, other: false}) {
		t.Fatalf("list flags %v", flags)
	}
	for query, want := range map[string]string{"true": id, "false": other} {
		items := e.Must(200, "GET", "/cases?arrangement_review_pending="+query, e.officer(), nil)["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["id"] != want {
			t.Errorf("arrangement_review_pending=%s: %v", query, items)
		}
	}
	// The client reads the arrangement as breached, awaiting review.
	if cc := e.Must(200, "GET", "/cases/"+id, e.client("maidstone-council-tax"), nil); cc["arrangement"].(map[string]any)["review_pending"] != true {
		t.Fatalf("the client's view %v", cc["arrangement"])
	}

	// Enforcement stays held, and so does a new arrangement, until an officer decides.
	before := e.snapshot()
	p := problemOf(t, e.Call("POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-17T08:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-AR1"}), 409, "conflict")
	if p["rule"] != "arrangement_review_pending" || p["detail"] != c["reference"].(string)+
		" is held: its instalment arrangement was breached and an officer must decide whether it ends before enforcement goes on" {
		t.Fatalf("a visit while the breach awaits review: %v", p)
	}
	p = problemOf(t, e.Call("POST", "/cases/"+id+"/arrangement", e.officer(), map[string]any{"first_due": "2026-03-23", "amount_pence": 60000, "count": 2, "frequency": "weekly"}), 409, "conflict")
	if p["rule"] != "arrangement_exists" {
		t.Fatalf("a new arrangement while the breach awaits review: %v", p)
	}
	if !reflect.DeepEqual(e.snapshot(), before) {
		t.Fatal("a refused request changed the database")
	}

	// Months on, past the 12 months from the breach, the arrangement is still in force: the
	// later misses are raised, the case is not returned (the other case, without an
	// arrangement, is), nothing is ended.
	e.Clock.Set(time.Date(2027, 3, 20, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), map[string]int{"notice_periods": 0, "instalments": 1, "control_limit": 1, "retention": 0})
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 1))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 0))
	if o := e.Must(200, "GET", "/cases/"+other, e.officer(), nil); o["status"] != "returned" {
		t.Fatalf("the case without an arrangement: %v", o["status"])
	}
	c = e.Must(200, "GET", "/cases/"+id, e.officer(), nil)
	arr = c["arrangement"].(map[string]any)
	if c["status"] != "compliance" || arr["defaulted"] != false || arr["review_pending"] != true || arr["breached_at"] != "2026-03-17T09:00:00Z" ||
		!reflect.DeepEqual(missedOf(arr), []any{true, true, true, true}) {
		t.Fatalf("a year on: %v %v", c["status"], arr)
	}
	e.WaitRelayed(t)
	for subject, want := range map[string]int{"debt.events.arrangement.instalment_missed": 3, "debt.events.arrangement.breached": 1,
		"debt.events.arrangement.defaulted": 0, "debt.events.case.returned": 1} {
		if n := e.SubjectCount(t, "DEBT_EVENTS", subject); n != want {
			t.Errorf("%d %s, want %d", n, subject, want)
		}
	}
}

// An officer's "end" ends the breached arrangement as the sweep once did by itself: the
// same event (arrangement.defaulted, naming the second missed instalment), the arrangement
// no longer in force, and enforcement going on. The decision is the officer's in the audit
// trail, in the same statement as the state and the events; the reason is kept exactly as
// sent, with the debtor's data, and is on no event and not in the trail.
func TestAnOfficerEndsABreachedArrangementAndEnforcementResumes(t *testing.T) {
	e := newEnv(t)
	events := e.Collect("DEBT_EVENTS", "debt.events.>")
	status := e.Collect("DEBT_STATUS", "status.debt.>")
	id := e.breach(t, "CT-AR2")[0]
	e.Clock.Set(time.Date(2026, 3, 18, 10, 0, 0, 0, time.UTC))
	reason := "  Debtor has not answered two letters;\nno payment offered.  "
	c := e.Must(200, "POST", "/cases/"+id+"/arrangement/review", e.officer(), map[string]any{"decision": "end", "reason": reason})
	arr := c["arrangement"].(map[string]any)
	wantReviews := []any{map[string]any{"at": "2026-03-18T10:00:00Z", "by": "olive", "arrangement_made_at": "2026-03-02T10:00:00Z",
		"breached_at": "2026-03-17T09:00:00Z", "decision": "end", "reason": reason}}
	if c["status"] != "compliance" || c["stage"] != "compliance" || arr["defaulted"] != true || arr["review_pending"] != false ||
		arr["breached_at"] != nil || !reflect.DeepEqual(c["arrangement_reviews"], wantReviews) {
		t.Fatalf("ended: %v %v %v", c["status"], c["stage"], arr)
	}
	var stored pq.StringArray
	if err := e.DB.Get(&stored, `SELECT arrangement_review_reasons FROM debt_personal_data WHERE case_id = $1`, id); err != nil ||
		len(stored) != 1 || stored[0] != reason {
		t.Fatalf("reason stored as %q (%v), sent %q", stored, err, reason)
	}

	// The events: the sweep's miss and breach, then the officer's end.
	wantEvents := []string{"debt.events.case.referred", "debt.events.arrangement.made", "debt.events.arrangement.instalment_missed",
		"debt.events.arrangement.breached", "debt.events.arrangement.defaulted"}
	got := events.WaitFor(t, len(wantEvents))
	if s := testkit.Subjects(got); s != strings.Join(wantEvents, ", ") {
		t.Fatalf("events %s", s)
	}
	ev := testkit.Decode(t, got[4])
	wantKeys := []string{"case_id", "client_id", "event_id", "instalment", "occurred_at", "reference", "stage", "status", "type"}
	if !reflect.DeepEqual(keysOf(ev), wantKeys) || ev["type"] != "arrangement.defaulted" || ev["case_id"] != id || ev["instalment"] != float64(2) ||
		ev["stage"] != "compliance" || ev["status"] != "compliance" || ev["occurred_at"] != "2026-03-18T10:00:00Z" {
		t.Fatalf("end event %v", ev)
	}
	statuses := status.WaitFor(t, len(wantEvents))
	st := testkit.Decode(t, statuses[4])
	if st["change"] != "arrangement.defaulted" || st["arrangement"] != false || st["arrangement_review_pending"] != false ||
		st["stage"] != "compliance" || st["status"] != "compliance" {
		t.Fatalf("status event %v", st)
	}
	c = e.Must(200, "GET", "/cases/"+id, e.officer(), nil)
	entry := lastTrailEntry(c)
	wantDetail := map[string]any{"decision": "end", "instalment": float64(2), "due_date": "2026-03-16", "missed": float64(2)}
	if entry["actor"] != "olive" || entry["action"] != "case.arrangement.defaulted" || entry["at"] != "2026-03-18T10:00:00Z" ||
		!reflect.DeepEqual(entry["detail"], wantDetail) {
		t.Fatalf("audit entry %v", entry)
	}
	e.noPersonalValueOutsideTheCase(t, append(got, statuses...), "not answered two letters", "no payment offered")
	// Nothing about the review reaches the client but that the arrangement ended.
	if cc := e.Must(200, "GET", "/cases/"+id, e.client("maidstone-council-tax"), nil); cc["arrangement_reviews"] != nil ||
		cc["arrangement"].(map[string]any)["defaulted"] != true || strings.Contains(string(mustJSON(t, cc)), "letters") {
		t.Fatalf("the client's view %v", cc)
	}
	if items := e.Must(200, "GET", "/cases", e.officer(), nil)["items"].([]any); items[0].(map[string]any)["arrangement_review_pending"] != false {
		t.Fatalf("list %v", items)
	}

	// Enforcement goes on; the decision is made, so another is refused.
	c = e.Must(200, "POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-18T09:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-AR2"})
	if c["stage"] != "enforcement" || c["status"] != "enforcement" || len(c["fees"].([]any)) != 2 {
		t.Fatalf("visit after the end: %v %v", c["stage"], c["fees"])
	}
	p := problemOf(t, e.Call("POST", "/cases/"+id+"/arrangement/review", e.officer(), map[string]any{"decision": "continue", "reason": "Changed my mind."}), 409, "conflict")
	if p["rule"] != "no_arrangement_review_pending" {
		t.Fatalf("a second decision: %v", p)
	}
	// A new arrangement replaces the ended one; the decision on the old one stays on record.
	c = e.Must(200, "POST", "/cases/"+id+"/arrangement", e.officer(), map[string]any{"first_due": "2026-03-23", "amount_pence": 32750, "count": 4, "frequency": "weekly"})
	if arr := c["arrangement"].(map[string]any); arr["defaulted"] != false || arr["review_pending"] != false || !reflect.DeepEqual(c["arrangement_reviews"], wantReviews) {
		t.Fatalf("a new arrangement: %v %v", arr, c["arrangement_reviews"])
	}

	// The debtor's subject access export holds the decision on the ended arrangement and its
	// reason, not who made it.
	rec := ask[rights.ExportReply](e, rights.Export, rights.RecordsRequest{RequestID: "req-ar", RecordIDs: []string{id}}).Records
	held := rec[0].Held["arrangement"].(map[string]any)
	wantExport := []any{map[string]any{"reviewed_on": "2026-03-18", "arrangement_made_on": "2026-03-02", "breached_on": "2026-03-17",
		"decision": "end", "reason": reason}}
	if held["made_on"] != "2026-03-18" || held["review_pending"] != false || !reflect.DeepEqual(rec[0].Held["arrangement_reviews"], wantExport) ||
		strings.Contains(string(mustJSON(t, rec[0])), "olive") {
		t.Fatalf("export %v %v", held, rec[0].Held["arrangement_reviews"])
	}

	// Retention erases the reason with the debtor's other data; the decision stays.
	e.Must(200, "POST", "/cases/"+id+"/payments", e.officer(), map[string]any{"amount_pence": 107500 + 23500})
	e.Clock.Set(time.Date(2033, 3, 18, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("retention", 1))
	c = e.Must(200, "GET", "/cases/"+id, e.manager(), nil)
	review := c["arrangement_reviews"].([]any)[0].(map[string]any)
	if c["erased"] != true || review["reason"] != "" || review["decision"] != "end" {
		t.Fatalf("after erasure: %v %v", c["erased"], review)
	}
	if n := e.Count(`SELECT count(*) FROM debt_personal_data`); n != 0 {
		t.Fatalf("%d personal rows after erasure", n)
	}
}

// An officer's "continue" keeps the breached arrangement in force and clears the flag:
// enforcement stays held as for any arrangement being kept, and a later miss flags it for
// review again.
func TestAnOfficerKeepsABreachedArrangement(t *testing.T) {
	e := newEnv(t)
	events := e.Collect("DEBT_EVENTS", "debt.events.>")
	status := e.Collect("DEBT_STATUS", "status.debt.>")
	id := e.breach(t, "CT-AR3")[0]
	reason := "Debtor phoned: lost their job, starts a new one on Monday."
	c := e.Must(200, "POST", "/cases/"+id+"/arrangement/review", e.manager(), map[string]any{"decision": "continue", "reason": reason})
	arr := c["arrangement"].(map[string]any)
	wantReviews := []any{map[string]any{"at": "2026-03-17T09:00:00Z", "by": "mona", "arrangement_made_at": "2026-03-02T10:00:00Z",
		"breached_at": "2026-03-17T09:00:00Z", "decision": "continue", "reason": reason}}
	if c["status"] != "compliance" || arr["defaulted"] != false || arr["review_pending"] != false || arr["breached_at"] != nil ||
		!reflect.DeepEqual(c["arrangement_reviews"], wantReviews) || !reflect.DeepEqual(missedOf(arr), []any{true, true, false, false}) {
		t.Fatalf("kept: %v %v", c["status"], arr)
	}
	wantEvents := []string{"debt.events.case.referred", "debt.events.arrangement.made", "debt.events.arrangement.instalment_missed",
		"debt.events.arrangement.breached", "debt.events.arrangement.continued"}
	got := events.WaitFor(t, len(wantEvents))
	if s := testkit.Subjects(got); s != strings.Join(wantEvents, ", ") {
		t.Fatalf("events %s", s)
	}
	if ev := testkit.Decode(t, got[4]); ev["type"] != "arrangement.continued" || ev["case_id"] != id || ev["stage"] != "compliance" || ev["instalment"] != nil {
		t.Fatalf("continue event %v", ev)
	}
	if st := testkit.Decode(t, status.WaitFor(t, len(wantEvents))[4]); st["change"] != "arrangement.continued" || st["arrangement"] != true ||
		st["arrangement_review_pending"] != false {
		t.Fatalf("status event %v", st)
	}
	c = e.Must(200, "GET", "/cases/"+id, e.officer(), nil)
	if entry := lastTrailEntry(c); entry["actor"] != "mona" || entry["action"] != "case.arrangement.continued" ||
		!reflect.DeepEqual(entry["detail"], map[string]any{"decision": "continue", "missed": float64(2)}) {
		t.Fatalf("audit entry %v", entry)
	}
	e.noPersonalValueOutsideTheCase(t, append(got, status.All()...), "lost their job", "new one on Monday")
	if items := e.Must(200, "GET", "/cases?arrangement_review_pending=true", e.officer(), nil)["items"].([]any); len(items) != 0 {
		t.Fatalf("still listed as awaiting review: %v", items)
	}
	// Kept, the arrangement holds enforcement as any arrangement being kept does.
	p := problemOf(t, e.Call("POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-17T08:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-AR3"}), 409, "conflict")
	if p["rule"] != "arrangement_in_place" {
		t.Fatalf("a visit while the arrangement is kept: %v", p)
	}
	// The third instalment passes unpaid too: breached again, for review again.
	e.Clock.Set(time.Date(2026, 3, 24, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 1))
	c = e.Must(200, "GET", "/cases/"+id, e.officer(), nil)
	if arr := c["arrangement"].(map[string]any); arr["review_pending"] != true || arr["breached_at"] != "2026-03-24T09:00:00Z" || arr["defaulted"] != false {
		t.Fatalf("breached again: %v", arr)
	}
	e.WaitRelayed(t)
	if n := e.SubjectCount(t, "DEBT_EVENTS", "debt.events.arrangement.breached"); n != 2 {
		t.Fatalf("%d breaches, want 2", n)
	}
}

// A review asked for when none is pending, with a reason blank or missing, with a decision
// that is neither, by an agent or a client, or on a closed case, is refused and changes
// nothing.
func TestArrangementReviewRefusalsChangeNothing(t *testing.T) {
	e := newEnv(t)
	kept := e.referOne("maidstone-council-tax", "CT-AR4", 100000)
	e.Must(200, "POST", "/cases/"+kept+"/arrangement", e.officer(), map[string]any{"first_due": "2026-04-06", "amount_pence": 60000, "count": 2, "frequency": "monthly"})
	bare := e.referOne("maidstone-council-tax", "CT-AR5", 100000)
	breached := e.breach(t, "CT-AR6", "CT-AR7")
	id, recalled := breached[0], breached[1]
	e.Must(200, "POST", "/cases/"+recalled+"/recall", e.client("maidstone-council-tax"), nil)
	end := map[string]any{"decision": "end", "reason": "Two missed."}
	for _, tc := range []struct {
		name, path, token string
		body              any
		status            int
		problem           string
		pointers          []string
		rule              string
	}{
		{"an arrangement being kept", kept, e.officer(), end, 409, "conflict", nil, "no_arrangement_review_pending"},
		{"no arrangement", bare, e.officer(), end, 409, "conflict", nil, "no_arrangement_review_pending"},
		{"an empty reason", id, e.officer(), map[string]any{"decision": "end", "reason": ""}, 400, "validation", []string{"/reason"}, ""},
		{"a reason of white space", id, e.officer(), map[string]any{"decision": "end", "reason": " \t\n "}, 400, "validation", []string{"/reason"}, ""},
		{"no reason", id, e.officer(), map[string]any{"decision": "continue"}, 400, "validation", []string{"/reason"}, ""},
		{"a reason with NUL", id, e.officer(), `{"decision":"end","reason":"missed\u0000twice"}`, 400, "validation", []string{"/reason"}, ""},
		{"a reason of 2001 characters", id, e.officer(), map[string]any{"decision": "end", "reason": strings.Repeat("é", 2001)}, 400, "validation", []string{"/reason"}, ""},
		{"a decision that is neither", id, e.officer(), map[string]any{"decision": "suspend", "reason": "Two missed."}, 400, "validation", []string{"/decision"}, ""},
		{"an agent", id, e.agent(), end, 403, "forbidden", nil, ""},
		{"the client", id, e.client("maidstone-council-tax"), end, 403, "forbidden", nil, ""},
		{"a recalled case", recalled, e.officer(), end, 409, "illegal-transition", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			p := problemOf(t, e.Call("POST", "/cases/"+tc.path+"/arrangement/review", tc.token, tc.body), tc.status, tc.problem)
			if tc.pointers != nil && !reflect.DeepEqual(pointersOf(p), tc.pointers) {
				t.Errorf("pointers %v, want %v", pointersOf(p), tc.pointers)
			}
			if p["rule"] != nil && p["rule"] != tc.rule || tc.rule != "" && p["rule"] != tc.rule {
				t.Errorf("rule %v, want %q", p["rule"], tc.rule)
			}
			if !reflect.DeepEqual(e.snapshot(), before) {
				t.Error("a refused review changed the database")
			}
		})
	}
	p := problemOf(t, e.Call("POST", "/cases/"+kept+"/arrangement/review", e.officer(), end), 409, "conflict")
	if p["detail"] != "DEBT-2026-000001 has no breached arrangement awaiting an officer's review" {
		t.Fatalf("detail %v", p["detail"])
	}
	if c := e.Must(200, "GET", "/cases/"+id, e.officer(), nil); c["arrangement"].(map[string]any)["review_pending"] != true || c["version"] != float64(4) {
		t.Fatalf("after the refusals: %v version %v", c["arrangement"], c["version"])
	}
}

// An arrangement the sweep ended at a second missed payment before officers decided stays
// ended: no review is asked of it, none may be made, and enforcement goes on as it did.
func TestAnArrangementTheSweepAlreadyEndedStaysEnded(t *testing.T) {
	e := newEnv(t)
	id := e.referOne("maidstone-council-tax", "CT-AR8", 100000)
	e.Must(200, "POST", "/cases/"+id+"/arrangement", e.officer(), map[string]any{"first_due": "2026-03-09", "amount_pence": 30000, "count": 4, "frequency": "weekly"})
	// As the sweep left it: two instalments raised as missed, ended at the second.
	if _, err := e.DB.Exec(`UPDATE debt_cases SET next_instalment_check = NULL,
		arrangement = jsonb_set(jsonb_set(jsonb_set(arrangement, '{instalments,0,missed_at}', '"2026-03-10T09:00:00Z"'),
			'{instalments,1,missed_at}', '"2026-03-17T09:00:00Z"'), '{defaulted_at}', '"2026-03-17T09:00:00Z"')
		WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	e.Clock.Set(time.Date(2026, 3, 24, 9, 0, 0, 0, time.UTC))
	assertSwept(t, e.sweep(t), sweptOnly("instalments", 0))
	c := e.Must(200, "GET", "/cases/"+id, e.officer(), nil)
	if arr := c["arrangement"].(map[string]any); arr["defaulted"] != true || arr["review_pending"] != false || arr["breached_at"] != nil || len(c["arrangement_reviews"].([]any)) != 0 {
		t.Fatalf("an arrangement the sweep ended: %v", arr)
	}
	if items := e.Must(200, "GET", "/cases", e.officer(), nil)["items"].([]any); items[0].(map[string]any)["arrangement_review_pending"] != false {
		t.Fatalf("list %v", items)
	}
	before := e.snapshot()
	p := problemOf(t, e.Call("POST", "/cases/"+id+"/arrangement/review", e.officer(), map[string]any{"decision": "continue", "reason": "Reinstate."}), 409, "conflict")
	if p["rule"] != "no_arrangement_review_pending" || !reflect.DeepEqual(e.snapshot(), before) {
		t.Fatalf("a review of an ended arrangement: %v", p)
	}
	if c := e.Must(200, "POST", "/cases/"+id+"/visits", e.agent(), map[string]any{"at": "2026-03-24T08:30:00Z", "outcome": "no_contact", "body_worn_video": "BWV-AR8"}); c["stage"] != "enforcement" {
		t.Fatalf("visit %v", c["stage"])
	}
}
