package service_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
)

// retryClaim is who holds the dead letter's retry claim, "" when nobody does.
func (e *env) retryClaim(id string) string {
	e.T.Helper()
	var by *string
	if err := e.DB.Get(&by, `SELECT CASE WHEN retry_claimed_at IS NULL THEN NULL ELSE COALESCE(retry_claimed_by, '?') END
		FROM dead_letters WHERE id = $1`, id); err != nil {
		e.T.Fatal(err)
	}
	if by == nil {
		return ""
	}
	return *by
}

// loggedAttempt is one row of the attempt log, for exact comparison.
type loggedAttempt struct {
	Number      int
	Status      int // 0: no response
	TriggeredBy string
}

func (e *env) loggedAttempts(disclosure string) []loggedAttempt {
	e.T.Helper()
	var out []loggedAttempt
	for _, r := range e.attempts("lgo") {
		if r.DisclosureID == disclosure {
			status := 0
			if r.StatusCode != nil {
				status = *r.StatusCode
			}
			out = append(out, loggedAttempt{Number: r.Attempt, Status: status, TriggeredBy: r.TriggeredBy})
		}
	}
	return out
}

func equalAttempts(a, b []loggedAttempt) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// retryAnswer is the parts of a retry's answer the tests compare.
type retryAnswer struct {
	Delivered bool
	Number    float64
	Status    any
	Error     string
	Trigger   string
	State     string
	Attempts  float64
	Reason    string
	BodyHeld  any
}

func retryAnswerOf(res map[string]any) retryAnswer {
	a, _ := res["attempt"].(map[string]any)
	dl, _ := res["dead_letter"].(map[string]any)
	errText, _ := a["error"].(string)
	trigger, _ := a["triggered_by"].(string)
	state, _ := dl["state"].(string)
	reason, _ := dl["reason"].(string)
	number, _ := a["attempt"].(float64)
	attempts, _ := dl["attempts"].(float64)
	delivered, _ := res["delivered"].(bool)
	return retryAnswer{Delivered: delivered, Number: number, Status: a["status_code"], Error: errText, Trigger: trigger,
		State: state, Attempts: attempts, Reason: reason, BodyHeld: dl["body_held"]}
}

// TestFailedManualRetryLetsGoAtOnce: a retry whose post fails (503, then no response at all)
// logs the attempt, keeps the dead letter open with the new reason and lets go of it at
// once: with the clock standing still, so no lease can have run out, the dead letter is
// listed open, retried again and then discarded straight away.
func TestFailedManualRetryLetsGoAtOnce(t *testing.T) {
	lgo, _ := flakyReceiver(t)
	clock := startClock()
	e := newEnvWith(t, envOptions{Clock: clock}, oneAttempt, lgo.partner("lgo"))
	e.publish("lgo", "d-1")
	id := e.deadLetterOf("d-1")
	e.drained("lgo")
	rita := e.Token("rita", "complaints_manager")

	got := retryAnswerOf(e.Must(200, "POST", "/dead-letters/"+id+"/retry", rita, nil))
	want := retryAnswer{Delivered: false, Number: 2, Status: float64(503), Error: "HTTP 503", Trigger: "retry:rita",
		State: "open", Attempts: 2, Reason: "manual retry by rita failed at attempt 2: HTTP 503", BodyHeld: true}
	if got != want {
		t.Fatalf("failed retry answered %+v, want %+v", got, want)
	}
	if by := e.retryClaim(id); by != "" {
		t.Fatalf("after a failed retry %s still holds the dead letter", by)
	}

	lgo.server.Close() // the partner is unreachable now
	got = retryAnswerOf(e.Must(200, "POST", "/dead-letters/"+id+"/retry", rita, nil))
	if got.Delivered || got.Number != 3 || got.Status != nil || !strings.HasPrefix(got.Error, "no response: ") ||
		got.State != "open" || got.Attempts != 3 || got.Reason != "manual retry by rita failed at attempt 3: "+got.Error || got.BodyHeld != true {
		t.Fatalf("retry of an unreachable partner answered %+v", got)
	}
	if by := e.retryClaim(id); by != "" {
		t.Fatalf("after a retry with no response %s still holds the dead letter", by)
	}

	manager := e.Token("dan", "delivery_manager")
	if it := e.listed(manager)["d-1"]; it["state"] != "open" || it["attempts"] != float64(3) || it["body_held"] != true {
		t.Fatalf("listed %v, want open with 3 attempts", it)
	}
	d := e.Must(200, "POST", "/dead-letters/"+id+"/discard", manager, nil)
	if d["state"] != "discarded" || d["body_erasure"] != "discarded" || d["body_erased_by"] != "dan" || d["attempts"] != float64(3) {
		t.Fatalf("discard after failed retries: %v", d)
	}
	if log := e.loggedAttempts("d-1"); !equalAttempts(log, []loggedAttempt{{1, 503, "stream"}, {2, 503, "retry:rita"}, {3, 0, "retry:rita"}}) {
		t.Fatalf("attempt log %+v", log)
	}
}

// TestFailedManualRetryNeverLetsGoOfAnotherRetrysHold: rita's retry posts for longer than its
// lease; dan's retry then takes the dead letter and posts too, counting the same attempt
// number. Rita's post fails: it is logged (attempt 2), but dan's hold stands (a discard is
// refused naming dan). Dan's post fails: it is logged under the next number (attempt 3),
// the number it counted being taken, and it lets go at once, so a discard then acts.
func TestFailedManualRetryNeverLetsGoOfAnotherRetrysHold(t *testing.T) {
	posting := make(chan int, 2) // the request number of each post held open
	var mu sync.Mutex
	release := map[int]chan struct{}{2: make(chan struct{}), 3: make(chan struct{})}
	lgo := newReceiver(t, func(_ string, n int) int {
		mu.Lock()
		wait := release[n]
		mu.Unlock()
		if wait != nil { // the manual retries: held open until the test lets them answer
			posting <- n
			<-wait
		}
		return http.StatusServiceUnavailable
	})
	var once sync.Map
	unblock := func(n int) {
		if _, done := once.LoadOrStore(n, true); !done {
			close(release[n])
		}
	}
	t.Cleanup(func() { unblock(2); unblock(3) }) // never leave a post (and shutdown) hanging
	clock := startClock()
	t0 := clock.Now()
	e := newEnvWith(t, envOptions{Clock: clock}, oneAttempt, lgo.partner("lgo"))
	e.publish("lgo", "d-1")
	id := e.deadLetterOf("d-1")
	e.drained("lgo")

	waitPost := func(want int, answered chan testkit.Response) {
		t.Helper()
		select {
		case n := <-posting:
			if n != want {
				t.Fatalf("post %d held, want %d", n, want)
			}
		case r := <-answered:
			t.Fatalf("the retry answered before posting: %d %s", r.Status, r.Body)
		case <-time.After(10 * time.Second):
			t.Fatalf("post %d never came", want)
		}
	}
	ritas, dans := make(chan testkit.Response, 1), make(chan testkit.Response, 1)
	go func() {
		ritas <- e.Call("POST", "/dead-letters/"+id+"/retry", e.Token("rita", "complaints_manager"), nil)
	}()
	waitPost(2, ritas)
	clock.Set(t0.Add(2*time.Minute + time.Second)) // rita's lease has run out
	go func() { dans <- e.Call("POST", "/dead-letters/"+id+"/retry", e.Token("dan", "delivery_manager"), nil) }()
	waitPost(3, dans)
	if by := e.retryClaim(id); by != "dan" {
		t.Fatalf("the dead letter is held by %q, want dan", by)
	}

	unblock(2)
	r := <-ritas
	if r.Status != 200 {
		t.Fatalf("rita's retry: %d %s", r.Status, r.Body)
	}
	got := retryAnswerOf(r.JSON(t))
	// Rita's claim was taken from her: her attempt is logged, the dead letter is dan's.
	if got.Delivered || got.Number != 2 || got.Status != float64(503) || got.Trigger != "retry:rita" || got.State != "open" ||
		got.Attempts != 1 || got.Reason != "gave up after 1 attempts; last: HTTP 503" {
		t.Fatalf("rita's retry answered %+v", got)
	}
	if by := e.retryClaim(id); by != "dan" {
		t.Fatalf("rita's failed retry let go of dan's hold: held by %q", by)
	}
	manager := e.Token("mgr", "delivery_manager")
	refused := e.Call("POST", "/dead-letters/"+id+"/discard", manager, nil)
	assertProblem(t, refused, http.StatusConflict)
	if p := problemOf(t, refused); p["rule"] != "concurrent_attempt" || p["state"] != "open" || !strings.Contains(p["detail"].(string), "dan") {
		t.Fatalf("discard while dan retries: %s", refused.Body)
	}

	unblock(3)
	r = <-dans
	if r.Status != 200 {
		t.Fatalf("dan's retry: %d %s", r.Status, r.Body)
	}
	got = retryAnswerOf(r.JSON(t))
	want := retryAnswer{Delivered: false, Number: 3, Status: float64(503), Error: "HTTP 503", Trigger: "retry:dan",
		State: "open", Attempts: 3, Reason: "manual retry by dan failed at attempt 3: HTTP 503", BodyHeld: true}
	if got != want {
		t.Fatalf("dan's retry answered %+v, want %+v", got, want)
	}
	if by := e.retryClaim(id); by != "" {
		t.Fatalf("after dan's failed retry %s still holds the dead letter", by)
	}
	if log := e.loggedAttempts("d-1"); !equalAttempts(log, []loggedAttempt{{1, 503, "stream"}, {2, 503, "retry:rita"}, {3, 503, "retry:dan"}}) {
		t.Fatalf("attempt log %+v", log)
	}
	d := e.Must(200, "POST", "/dead-letters/"+id+"/discard", manager, nil)
	if d["state"] != "discarded" || d["body_erased_by"] != "mgr" || d["attempts"] != float64(3) {
		t.Fatalf("discard after dan's failed retry: %v", d)
	}
}
