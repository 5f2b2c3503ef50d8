package service_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// states lists the dead letters the API gives for query (after "/dead-letters"): each one's
// state by disclosure id. Every item must say its state.
func (e *env) states(token, query string) map[string]string {
	e.T.Helper()
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(e.Expect(200, "GET", "/dead-letters"+query, token, nil).Body, &page); err != nil {
		e.T.Fatal(err)
	}
	out := map[string]string{}
	for _, it := range page.Items {
		state, _ := it["state"].(string)
		if state == "" {
			e.T.Fatalf("GET /dead-letters%s: an item without its state: %v", query, it)
		}
		out[it["disclosure_id"].(string)] = state
	}
	return out
}

// TestDefaultListShowsOnlyDeadLettersOpenForAction: a dead letter discarded, delivered by a
// retry, swept by the retention, or past the retention though not swept yet can no longer be
// acted on, so the default list (and status=open) leaves it out; status=closed, a closed
// state by name, or all, lists it, each item saying its state. An unknown status (an empty
// one too: leave it out for the default) is refused 400 naming the parameter.
func TestDefaultListShowsOnlyDeadLettersOpenForAction(t *testing.T) {
	lgo, healthy := flakyReceiver(t)
	clock := startClock()
	t0 := clock.Now()
	e := newEnvWith(t, envOptions{Clock: clock}, oneAttempt, lgo.partner("lgo"))
	e.publish("lgo", "d-expired")
	e.deadLetterOf("d-expired")
	clock.Set(t0.Add(time.Minute))
	e.publish("lgo", "d-stale")
	e.deadLetterOf("d-stale")
	clock.Set(t0.Add(2 * time.Minute))
	e.publish("lgo", "d-open")
	e.publish("lgo", "d-discarded")
	e.publish("lgo", "d-redelivered")
	discarded, redelivered := e.deadLetterOf("d-discarded"), e.deadLetterOf("d-redelivered")
	e.deadLetterOf("d-open")
	e.drained("lgo")

	manager := e.Token("mgr", "delivery_manager")
	healthy.Store(true)
	if r := e.Must(200, "POST", "/dead-letters/"+redelivered+"/retry", manager, nil); r["delivered"] != true {
		t.Fatalf("retry: %v", r)
	}
	e.Expect(200, "POST", "/dead-letters/"+discarded+"/discard", manager, nil)
	// The retention (30 days) runs out for d-expired and the sweep erases its body; then for
	// d-stale, whose body the sweep has not erased yet.
	clock.Set(t0.Add(30 * 24 * time.Hour))
	if n, err := e.svc.App.SweepDeadLetterBodies(t.Context(), 10); err != nil || n != 1 {
		t.Fatalf("sweep erased %d (%v), want 1", n, err)
	}
	clock.Set(t0.Add(30*24*time.Hour + time.Minute))
	if !e.bodyRecord(e.deadLetterOf("d-stale")).Held {
		t.Fatal("d-stale's body should still be held: the sweep has not run since its retention ran out")
	}
	manager = e.Token("mgr", "delivery_manager") // a token minted before would have expired

	open := map[string]string{"d-open": "open"}
	closed := map[string]string{"d-expired": "expired", "d-stale": "expired", "d-discarded": "discarded", "d-redelivered": "redelivered"}
	all := map[string]string{"d-open": "open"}
	for k, v := range closed {
		all[k] = v
	}
	for query, want := range map[string]map[string]string{
		"":                                    open,
		"?status=open":                        open,
		"?status=closed":                      closed,
		"?status=all":                         all,
		"?status=discarded":                   {"d-discarded": "discarded"},
		"?status=expired":                     {"d-expired": "expired", "d-stale": "expired"},
		"?status=redelivered":                 {"d-redelivered": "redelivered"},
		"?status=resolved":                    {"d-redelivered": "redelivered"}, // the old name
		"?status=expired&partner=lgo&limit=1": {"d-stale": "expired"},           // newest first
	} {
		if got := e.states(manager, query); !equalStates(got, want) {
			t.Errorf("GET /dead-letters%s: %v, want %v", query, got, want)
		}
	}
	// A service's manager sees only that service's, by the same states.
	if got := e.states(e.Token("ivan", "investigations_manager"), "?status=all"); len(got) != 0 {
		t.Errorf("an investigations manager sees %v", got)
	}
	if got := e.states(e.Token("cora", "complaints_manager"), ""); !equalStates(got, open) {
		t.Errorf("a complaints manager's open list: %v", got)
	}

	for _, bad := range []string{"lost", "OPEN", "", "open,closed"} {
		r := e.Call("GET", "/dead-letters?status="+bad, manager, nil)
		assertProblem(t, r, http.StatusBadRequest)
		var p struct {
			Type   string `json:"type"`
			Errors []struct {
				Parameter string `json:"parameter"`
				Detail    string `json:"detail"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(r.Body, &p); err != nil || p.Type != "https://casework.dev/problems/validation" ||
			len(p.Errors) != 1 || p.Errors[0].Parameter != "status" {
			t.Errorf("status=%s refused with %s, want a validation problem naming the parameter status", bad, r.Body)
		}
	}
	if got := e.states(manager, ""); !equalStates(got, open) {
		t.Fatalf("a refused query changed something: %v", got)
	}
}

func equalStates(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// problemOf decodes a problem's members.
func problemOf(t *testing.T, r testkit.Response) map[string]any {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("problem body %s", r.Body)
	}
	return p
}

// TestRetryAndDiscardRaceExactlyOneWins: a retry and a discard of the same dead letter sent
// at once, 50 times over: exactly one acts and the other is refused 409 saying the dead
// letter's state; what is recorded is what happened: either delivered (once) and not
// discarded, or discarded and nothing sent.
func TestRetryAndDiscardRaceExactlyOneWins(t *testing.T) {
	lgo, healthy := flakyReceiver(t)
	e := newEnv(t, oneAttempt, lgo.partner("lgo"))
	const rounds = 50
	ids := make([]string, rounds)
	for i := range rounds {
		e.publish("lgo", fmt.Sprintf("d-%d", i))
	}
	for i := range rounds {
		ids[i] = e.deadLetterOf(fmt.Sprintf("d-%d", i))
	}
	e.drained("lgo")
	healthy.Store(true)
	retrier, discarder := e.Token("rita", "complaints_manager"), e.Token("dan", "delivery_manager")

	var retriesWon, discardsWon int
	for i, id := range ids {
		disclosure := fmt.Sprintf("d-%d", i)
		var retry, discard testkit.Response
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Go(func() { <-start; retry = e.Call("POST", "/dead-letters/"+id+"/retry", retrier, nil) })
		wg.Go(func() { <-start; discard = e.Call("POST", "/dead-letters/"+id+"/discard", discarder, nil) })
		close(start)
		wg.Wait()

		var row struct {
			Resolved bool    `db:"resolved"`
			Held     bool    `db:"held"`
			Erasure  *string `db:"body_erasure"`
			ErasedBy *string `db:"body_erased_by"`
			Claimed  bool    `db:"claimed"`
		}
		if err := e.DB.Get(&row, `SELECT resolved_at IS NOT NULL AS resolved, body IS NOT NULL AS held, body_erasure, body_erased_by,
			retry_claimed_at IS NOT NULL AS claimed FROM dead_letters WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		requests, successes, _ := lgo.snapshot()
		logged := e.count(`SELECT count(*) FROM delivery_attempts WHERE disclosure_id = $1`, disclosure)
		state := jsonString(map[string]any{"retry": fmt.Sprintf("%d %s", retry.Status, retry.Body),
			"discard": fmt.Sprintf("%d %s", discard.Status, discard.Body), "row": row, "requests": requests[disclosure],
			"successes": successes[disclosure], "logged": logged})

		switch {
		case retry.Status == http.StatusOK:
			retriesWon++
			var res struct {
				Delivered  bool           `json:"delivered"`
				DeadLetter map[string]any `json:"dead_letter"`
			}
			if json.Unmarshal(retry.Body, &res) != nil || !res.Delivered || res.DeadLetter["state"] != "redelivered" {
				t.Fatalf("round %d: the retry won but did not deliver: %s", i, state)
			}
			assertProblem(t, discard, http.StatusConflict)
			p := problemOf(t, discard)
			if !(p["rule"] == "concurrent_attempt" && p["state"] == "open") && !(p["rule"] == "resolved" && p["state"] == "redelivered") {
				t.Fatalf("round %d: the discard lost with %s, want rule concurrent_attempt (state open) or resolved (state redelivered)", i, discard.Body)
			}
			if !row.Resolved || row.Held || row.Claimed || row.Erasure == nil || *row.Erasure != "delivered" || *row.ErasedBy != "retry:rita" ||
				successes[disclosure] != 1 || requests[disclosure] != 2 || logged != 2 {
				t.Fatalf("round %d: delivered, but the record is not delivered-and-not-discarded: %s", i, state)
			}
		case discard.Status == http.StatusOK:
			discardsWon++
			if d := discard.JSON(t); d["state"] != "discarded" || d["body_erasure"] != "discarded" || d["body_erased_by"] != "dan" {
				t.Fatalf("round %d: the discard won but answered %s", i, discard.Body)
			}
			assertProblem(t, retry, http.StatusConflict)
			if p := problemOf(t, retry); p["rule"] != "disclose_again" || p["state"] != "discarded" ||
				!strings.Contains(p["detail"].(string), "discarded by dan") {
				t.Fatalf("round %d: the retry lost with %s, want rule disclose_again, state discarded", i, retry.Body)
			}
			if row.Resolved || row.Held || row.Claimed || row.Erasure == nil || *row.Erasure != "discarded" ||
				successes[disclosure] != 0 || requests[disclosure] != 1 || logged != 1 {
				t.Fatalf("round %d: discarded, but the record is not discarded-and-nothing-sent: %s", i, state)
			}
		default:
			t.Fatalf("round %d: neither won: %s", i, state)
		}
	}
	t.Logf("%d rounds: the retry won %d, the discard %d", rounds, retriesWon, discardsWon)
	if _, _, forged := lgo.snapshot(); forged != 0 {
		t.Fatalf("%d forged requests", forged)
	}
}

// TestDiscardAndSweepLeaveADeadLetterARetryIsSending: while a retry's post is in flight, a
// discard is refused (409, rule concurrent_attempt, state open, naming who retries) and the
// retention sweep passes it by though its retention has run out; the retry's delivery is
// then recorded as such, and a discard afterwards is refused with state redelivered.
func TestDiscardAndSweepLeaveADeadLetterARetryIsSending(t *testing.T) {
	var healthy atomic.Bool
	release := make(chan struct{})
	inPost := make(chan struct{}, 1)
	lgo := newReceiver(t, func(string, int) int {
		if !healthy.Load() {
			return http.StatusServiceUnavailable
		}
		inPost <- struct{}{}
		<-release // hold the retry's post open
		return 0
	})
	clock := startClock()
	t0 := clock.Now()
	const retention = 2 * time.Minute
	e := newEnvWith(t, envOptions{Clock: clock, Retention: retention}, oneAttempt, lgo.partner("lgo"))
	var released sync.Once
	unblock := func() { released.Do(func() { close(release) }) }
	t.Cleanup(unblock) // runs first, so a failure never leaves the post (and shutdown) hanging
	e.publish("lgo", "d-1")
	id := e.deadLetterOf("d-1")
	e.drained("lgo")
	healthy.Store(true)

	clock.Set(t0.Add(time.Minute))
	retried := make(chan testkit.Response, 1)
	go func() {
		retried <- e.Call("POST", "/dead-letters/"+id+"/retry", e.Token("rita", "complaints_manager"), nil)
	}()
	select {
	case <-inPost:
	case r := <-retried:
		t.Fatalf("the retry answered before posting: %d %s", r.Status, r.Body)
	case <-time.After(10 * time.Second):
		t.Fatal("the retry never posted")
	}
	manager := e.Token("dan", "delivery_manager")
	refused := e.Call("POST", "/dead-letters/"+id+"/discard", manager, nil)
	assertProblem(t, refused, http.StatusConflict)
	if p := problemOf(t, refused); p["rule"] != "concurrent_attempt" || p["state"] != "open" || !strings.Contains(p["detail"].(string), "rita") {
		t.Fatalf("discard during a retry: %s", refused.Body)
	}
	clock.Set(t0.Add(retention)) // the retention runs out while the post is in flight
	if n, err := e.svc.App.SweepDeadLetterBodies(t.Context(), 10); err != nil || n != 0 {
		t.Fatalf("the sweep erased %d (%v) during a retry, want 0", n, err)
	}
	if r := e.bodyRecord(id); !r.Held || r.ErasedAt != nil {
		t.Fatalf("during the retry the row is %+v, want its body held", r)
	}
	unblock()

	r := <-retried
	var res struct {
		Delivered  bool           `json:"delivered"`
		DeadLetter map[string]any `json:"dead_letter"`
	}
	if r.Status != 200 || json.Unmarshal(r.Body, &res) != nil || !res.Delivered || res.DeadLetter["state"] != "redelivered" ||
		res.DeadLetter["body_erasure"] != "delivered" || res.DeadLetter["body_erased_by"] != "retry:rita" {
		t.Fatalf("retry: %d %s", r.Status, r.Body)
	}
	if n, err := e.svc.App.SweepDeadLetterBodies(t.Context(), 10); err != nil || n != 0 {
		t.Fatalf("the sweep erased %d (%v) after delivery, want 0", n, err)
	}
	after := e.Call("POST", "/dead-letters/"+id+"/discard", manager, nil)
	assertProblem(t, after, http.StatusConflict)
	if p := problemOf(t, after); p["rule"] != "resolved" || p["state"] != "redelivered" {
		t.Fatalf("discard after delivery: %s", after.Body)
	}
	if rec := e.bodyRecord(id); rec.Erasure == nil || *rec.Erasure != "delivered" || *rec.ErasedBy != "retry:rita" {
		t.Fatalf("the record after delivery: %+v", rec)
	}
	if _, successes, _ := lgo.snapshot(); successes["d-1"] != 1 {
		t.Fatalf("d-1 delivered %d times, want 1", successes["d-1"])
	}
	if got := e.states(manager, "?status=all"); !slices.Equal([]string{got["d-1"]}, []string{"redelivered"}) {
		t.Fatalf("listed %v", got)
	}
}
