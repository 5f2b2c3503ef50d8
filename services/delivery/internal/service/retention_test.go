package service_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/testkit"
	"casework.dev/services/delivery/internal/domain"
)

// A partner that answers 503 until healthy is set.
func flakyReceiver(t *testing.T) (*receiver, *atomic.Bool) {
	t.Helper()
	var healthy atomic.Bool
	return newReceiver(t, func(string, int) int {
		if healthy.Load() {
			return 0
		}
		return http.StatusServiceUnavailable
	}), &healthy
}

// startClock is a manual clock at the current second: the receiver checks signatures
// against the real time (5 minutes' tolerance), and whole seconds survive Postgres exactly.
func startClock() *calendar.ManualClock {
	return calendar.NewManualClock(time.Now().UTC().Truncate(time.Second))
}

var oneAttempt = domain.RetryPolicy{MaxAttempts: 1, InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond}

// deadLetterOf is the id of the dead letter of a disclosure, once there is one.
func (e *env) deadLetterOf(disclosure string) string {
	e.T.Helper()
	var id string
	testkit.Eventually(e.T, 10*time.Second, "a dead letter for "+disclosure, func() (bool, string) {
		_ = e.DB.Get(&id, `SELECT id FROM dead_letters WHERE disclosure_id = $1`, disclosure)
		return id != "", "none yet"
	})
	return id
}

// listed is the dead letters the API lists (status all), by disclosure id.
func (e *env) listed(token string) map[string]map[string]any {
	e.T.Helper()
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(e.Expect(200, "GET", "/dead-letters?status=all", token, nil).Body, &page); err != nil {
		e.T.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, it := range page.Items {
		out[it["disclosure_id"].(string)] = it
	}
	return out
}

type bodyRecord struct {
	Held           bool       `db:"held"`
	ErasedAt       *time.Time `db:"body_erased_at"`
	ErasedBy       *string    `db:"body_erased_by"`
	Erasure        *string    `db:"body_erasure"`
	Reason         string     `db:"reason"`
	Attempts       int        `db:"attempts"`
	Partner        string     `db:"partner"`
	Subject        string     `db:"subject"`
	Disclosure     string     `db:"disclosure_id"`
	DeadLetteredAt time.Time  `db:"dead_lettered_at"`
}

func (e *env) bodyRecord(id string) bodyRecord {
	e.T.Helper()
	var r bodyRecord
	if err := e.DB.Get(&r, `SELECT body IS NOT NULL AS held, body_erased_at, body_erased_by, body_erasure, reason, attempts,
		partner, subject, disclosure_id, dead_lettered_at FROM dead_letters WHERE id = $1`, id); err != nil {
		e.T.Fatal(err)
	}
	return r
}

// assertDiscloseAgain: a retry refused with 409, rule disclose_again naming the source
// service, nothing posted and nothing logged.
func assertDiscloseAgain(t *testing.T, e *env, lgo *receiver, id, disclosure, token, wantDetail string) {
	t.Helper()
	before := e.count(`SELECT count(*) FROM delivery_attempts WHERE disclosure_id = $1`, disclosure)
	requests, _, _ := lgo.snapshot()
	r := e.Call("POST", "/dead-letters/"+id+"/retry", token, nil)
	assertProblem(t, r, http.StatusConflict)
	var p map[string]any
	_ = json.Unmarshal(r.Body, &p)
	if p["rule"] != "disclose_again" || p["source_service"] != "complaints" ||
		!strings.Contains(p["detail"].(string), "ask the complaints service to disclose again") ||
		!strings.Contains(p["detail"].(string), wantDetail) {
		t.Fatalf("refusal %s, want rule disclose_again from complaints saying %q", r.Body, wantDetail)
	}
	if after := e.count(`SELECT count(*) FROM delivery_attempts WHERE disclosure_id = $1`, disclosure); after != before {
		t.Fatalf("a refused retry logged an attempt (%d, then %d)", before, after)
	}
	if now, _, _ := lgo.snapshot(); now[disclosure] != requests[disclosure] {
		t.Fatalf("a refused retry posted the disclosure (%d, then %d)", requests[disclosure], now[disclosure])
	}
}

// TestRetentionSweepErasesDeadLetterBodiesAfter30Days: by default a dead letter keeps the
// disclosure's content 30 days from when delivery gave up, not a second more: the sweep then
// erases it, keeps the metadata and records the erasure; the list says so, and a retry is
// refused with a rule telling the manager to ask the source service to disclose again.
func TestRetentionSweepErasesDeadLetterBodiesAfter30Days(t *testing.T) {
	lgo, _ := flakyReceiver(t)
	clock := startClock()
	t0 := clock.Now()
	e := newEnvWith(t, envOptions{Clock: clock}, oneAttempt, lgo.partner("lgo"))
	e.publish("lgo", "d-1")
	id := e.deadLetterOf("d-1")
	e.drained("lgo")
	if e.svc.App.Retention() != 30*24*time.Hour {
		t.Fatalf("default retention %s, want 30 days", e.svc.App.Retention())
	}
	before := e.bodyRecord(id)
	if !before.Held || before.ErasedAt != nil || !before.DeadLetteredAt.Equal(t0) {
		t.Fatalf("fresh dead letter %+v, want its body held, dead-lettered at %s", before, t0)
	}
	it := e.listed(e.Token("mgr", "delivery_manager"))["d-1"]
	if it["body_held"] != true || it["body_kept_until"] != t0.Add(30*24*time.Hour).Format(time.RFC3339) || it["body_erased_at"] != nil {
		t.Fatalf("listed %v, want body held until %s", it, t0.Add(30*24*time.Hour).Format(time.RFC3339))
	}

	clock.Set(t0.Add(30*24*time.Hour - time.Second))
	if n, err := e.svc.App.SweepDeadLetterBodies(t.Context(), 10); err != nil || n != 0 {
		t.Fatalf("a second early: erased %d (%v)", n, err)
	}
	clock.Set(t0.Add(30 * 24 * time.Hour))
	if n, err := e.svc.App.SweepDeadLetterBodies(t.Context(), 10); err != nil || n != 1 {
		t.Fatalf("on time: erased %d (%v), want 1", n, err)
	}
	after := e.bodyRecord(id)
	if after.Held || after.ErasedAt == nil || !after.ErasedAt.Equal(clock.Now()) || *after.ErasedBy != "system:retention-sweep" ||
		*after.Erasure != "retention" {
		t.Fatalf("swept dead letter %+v, want its body erased now by the retention sweep", after)
	}
	if after.Reason != before.Reason || after.Attempts != 1 || after.Partner != "lgo" || after.Subject != "share.lgo.complaints.referral" ||
		after.Disclosure != "d-1" || !after.DeadLetteredAt.Equal(t0) {
		t.Fatalf("the sweep lost metadata: %+v, was %+v", after, before)
	}
	manager := e.Token("mgr", "delivery_manager")
	it = e.listed(manager)["d-1"]
	if it["body_held"] != false || it["body_kept_until"] != nil || it["body_erasure"] != "retention" ||
		it["body_erased_by"] != "system:retention-sweep" || it["body_erased_at"] != clock.Now().Format(time.RFC3339) || it["reason"] != before.Reason {
		t.Fatalf("listed after the sweep: %v", it)
	}
	assertDiscloseAgain(t, e, lgo, id, "d-1", manager, "erased after the retention of 30 days")
	if n, err := e.svc.App.SweepDeadLetterBodies(t.Context(), 10); err != nil || n != 0 {
		t.Fatalf("a second sweep erased %d (%v)", n, err)
	}
}

// TestRetryWithinTheRetentionWorksAndPastItIsRefused: a retry a second before the retention
// ends still delivers; one at its end is refused though the sweep has not run yet, and
// nothing is sent.
func TestRetryWithinTheRetentionWorksAndPastItIsRefused(t *testing.T) {
	lgo, healthy := flakyReceiver(t)
	clock := startClock()
	t0 := clock.Now()
	// A short retention, so the signature's timestamp stays within the receiver's tolerance.
	const retention = 2 * time.Minute
	e := newEnvWith(t, envOptions{Clock: clock, Retention: retention}, oneAttempt, lgo.partner("lgo"))
	e.publish("lgo", "d-1")
	e.publish("lgo", "d-2")
	first, second := e.deadLetterOf("d-1"), e.deadLetterOf("d-2")
	e.drained("lgo")
	healthy.Store(true)

	clock.Set(t0.Add(retention - time.Second))
	r := e.Expect(200, "POST", "/dead-letters/"+first+"/retry", e.Token("mgr-1", "complaints_manager"), nil)
	var res struct {
		Delivered  bool           `json:"delivered"`
		DeadLetter map[string]any `json:"dead_letter"`
	}
	if err := json.Unmarshal(r.Body, &res); err != nil || !res.Delivered || res.DeadLetter["body_held"] != false ||
		res.DeadLetter["body_erasure"] != "delivered" || res.DeadLetter["body_erased_by"] != "retry:mgr-1" {
		t.Fatalf("retry within the retention: %s", r.Body)
	}
	if _, successes, _ := lgo.snapshot(); successes["d-1"] != 1 {
		t.Fatalf("d-1 delivered %d times, want 1", successes["d-1"])
	}

	clock.Set(t0.Add(retention))
	if !e.bodyRecord(second).Held {
		t.Fatal("the body should still be held: the sweep has not run")
	}
	assertDiscloseAgain(t, e, lgo, second, "d-2", e.Token("mgr-1", "complaints_manager"), "longer ago than the retention of 2m0s")
	if open := e.count(`SELECT count(*) FROM dead_letters WHERE id = $1 AND resolved_at IS NULL AND retry_claimed_at IS NULL`, second); open != 1 {
		t.Fatal("a refused retry must leave the dead letter open and unclaimed")
	}
}

// TestScheduledSweepErasesBodiesPastRetention: the worker runs the sweep by itself every
// interval.
func TestScheduledSweepErasesBodiesPastRetention(t *testing.T) {
	lgo, _ := flakyReceiver(t)
	clock := startClock()
	e := newEnvWith(t, envOptions{Clock: clock, Retention: time.Hour, SweepInterval: 20 * time.Millisecond}, oneAttempt, lgo.partner("lgo"))
	e.publish("lgo", "d-1")
	id := e.deadLetterOf("d-1")
	e.drained("lgo")
	if !e.bodyRecord(id).Held {
		t.Fatal("swept before the retention passed")
	}
	clock.Advance(time.Hour)
	testkit.Eventually(t, 10*time.Second, "the scheduled sweep erased the body", func() (bool, string) {
		r := e.bodyRecord(id)
		return !r.Held && r.Erasure != nil && *r.Erasure == "retention", jsonString(r)
	})
}

// TestDiscardErasesTheBodyAtOnceAndIsIdempotent: a manager discards a dead letter's content;
// it is erased at once, who and when recorded; discarding again changes nothing; a retry is
// then refused; another dead letter keeps its body; another service's manager cannot; one a
// retry delivered is not discarded (409, state redelivered).
func TestDiscardErasesTheBodyAtOnceAndIsIdempotent(t *testing.T) {
	lgo, healthy := flakyReceiver(t)
	clock := startClock()
	e := newEnvWith(t, envOptions{Clock: clock}, oneAttempt, lgo.partner("lgo"))
	e.publish("lgo", "d-1")
	e.publish("lgo", "d-2")
	e.publish("lgo", "d-3")
	id, kept, delivered := e.deadLetterOf("d-1"), e.deadLetterOf("d-2"), e.deadLetterOf("d-3")
	e.drained("lgo")

	// Another service's manager does not see it, and discards nothing.
	assertProblem(t, e.Call("POST", "/dead-letters/"+id+"/discard", e.Token("ivan", "investigations_manager"), nil), 404)
	if !e.bodyRecord(id).Held {
		t.Fatal("an investigations manager discarded a complaints dead letter")
	}

	clock.Advance(time.Minute)
	discardedAt := clock.Now()
	got := e.Must(200, "POST", "/dead-letters/"+id+"/discard", e.Token("mgr-1", "complaints_manager"), nil)
	if got["id"] != id || got["body_held"] != false || got["body_erasure"] != "discarded" || got["body_erased_by"] != "mgr-1" ||
		got["body_erased_at"] != discardedAt.Format(time.RFC3339) || got["disclosure_id"] != "d-1" || got["attempts"] != float64(1) {
		t.Fatalf("discarded: %v", got)
	}
	if r := e.bodyRecord(id); r.Held || r.ErasedAt == nil || !r.ErasedAt.Equal(discardedAt) {
		t.Fatalf("after discard the row is %+v", r)
	}

	clock.Advance(time.Minute)
	again := e.Must(200, "POST", "/dead-letters/"+id+"/discard", e.Token("mgr-2", "delivery_manager"), nil)
	if again["body_erased_by"] != "mgr-1" || again["body_erased_at"] != discardedAt.Format(time.RFC3339) || again["body_erasure"] != "discarded" {
		t.Fatalf("a second discard changed the record: %v", again)
	}

	healthy.Store(true)
	manager := e.Token("mgr-2", "delivery_manager")
	assertDiscloseAgain(t, e, lgo, id, "d-1", manager, "discarded by mgr-1")

	// The others are untouched; one delivered by a retry shows its body erased as delivered,
	// and a discard of it changes nothing.
	e.Expect(200, "POST", "/dead-letters/"+delivered+"/retry", manager, nil)
	list := e.listed(manager)
	if list["d-2"]["body_held"] != true || list["d-2"]["body_kept_until"] == nil || list["d-1"]["body_held"] != false ||
		list["d-3"]["body_held"] != false || list["d-3"]["body_erasure"] != "delivered" {
		t.Fatalf("listed %v", list)
	}
	if !e.bodyRecord(kept).Held {
		t.Fatal("discarding one dead letter erased another's body")
	}
	// A discard of one a retry delivered is refused, saying so: there was nothing left to
	// keep from being sent.
	refused := e.Call("POST", "/dead-letters/"+delivered+"/discard", manager, nil)
	assertProblem(t, refused, http.StatusConflict)
	if p := refused.JSON(t); p["rule"] != "resolved" || p["state"] != "redelivered" || p["type"] != "https://casework.dev/problems/conflict" {
		t.Fatalf("discard of a delivered dead letter: %s", refused.Body)
	}
	if r := e.bodyRecord(delivered); r.Erasure == nil || *r.Erasure != "delivered" || *r.ErasedBy != "retry:mgr-2" {
		t.Fatalf("a refused discard changed the record: %+v", r)
	}
	if strings.Contains(jsonString(list), "Ada Lovelace") {
		t.Fatal("the list leaks personal data")
	}
}

// TestDiscardRefusesBadInput: every refusal is a problem and changes nothing.
func TestDiscardRefusesBadInput(t *testing.T) {
	lgo, _ := flakyReceiver(t)
	e := newEnv(t, oneAttempt, lgo.partner("lgo"))
	e.publish("lgo", "d-1")
	id := e.deadLetterOf("d-1")
	e.drained("lgo")
	manager := e.Token("mgr", "delivery_manager")
	assertProblem(t, e.Call("POST", "/dead-letters/"+id+"/discard", "", nil), 401)
	assertProblem(t, e.Call("POST", "/dead-letters/"+id+"/discard", e.Token("officer", "complaints_officer"), nil), 403)
	assertProblem(t, e.Call("POST", "/dead-letters/not-a-uuid/discard", manager, nil), 400)
	assertProblem(t, e.Call("POST", "/dead-letters/0193a4b2-0000-7000-8000-000000000000/discard", manager, nil), 404)
	assertProblem(t, e.Call("POST", "/dead-letters/"+id+"/discard", manager, map[string]any{"reason": "stale"}), 400)
	assertProblem(t, e.Call("GET", "/dead-letters/"+id+"/discard", manager, nil), 405)
	if r := e.bodyRecord(id); !r.Held || r.ErasedAt != nil {
		t.Fatalf("a refused discard changed the dead letter: %+v", r)
	}
}
