package service_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"casework.dev/services/delivery/internal/domain"
)

var fastRetry = domain.RetryPolicy{MaxAttempts: 4, InitialBackoff: 5 * time.Millisecond, MaxBackoff: 40 * time.Millisecond}

func always(status int) func(string, int) int { return func(string, int) int { return status } }

func TestDisclosuresArriveSignedOnlyAtTheirPartner(t *testing.T) {
	lgo := newReceiver(t, always(0))
	viking := newReceiver(t, always(0))
	e := newEnv(t, fastRetry, lgo.partner("lgo"), viking.partner("viking-oak"))

	sent := map[string][]byte{}
	for i := range 3 {
		id := fmt.Sprintf("d-lgo-%d", i)
		sent[id] = e.publish("lgo", id)
	}
	vikingBody := e.publish("viking-oak", "d-viking-0")
	e.publish("kent-police", "d-police-0") // a NATS partner: no webhook consumer reads it

	e.drained("lgo")
	e.drained("viking-oak")
	requests, successes, forged := lgo.snapshot()
	if forged != 0 {
		t.Fatalf("lgo receiver refused %d signatures", forged)
	}
	if len(successes) != 3 || len(requests) != 3 {
		t.Fatalf("lgo got requests %v, successes %v; want d-lgo-0..2 once each", requests, successes)
	}
	for id, body := range sent {
		if requests[id] != 1 || successes[id] != 1 {
			t.Errorf("%s: %d requests, %d successes; want 1 and 1", id, requests[id], successes[id])
		}
		if !bytes.Equal(lgo.bodies[id], body) {
			t.Errorf("%s: body %s, want the published bytes %s", id, lgo.bodies[id], body)
		}
	}
	vr, vs, vf := viking.snapshot()
	if vf != 0 || len(vr) != 1 || vs["d-viking-0"] != 1 || !bytes.Equal(viking.bodies["d-viking-0"], vikingBody) {
		t.Fatalf("viking-oak: requests %v, successes %v, forged %d; want only d-viking-0", vr, vs, vf)
	}
	for _, a := range e.attempts("lgo") {
		if a.Attempt != 1 || a.StatusCode == nil || *a.StatusCode != 204 || a.Error != nil || a.TriggeredBy != "stream" {
			t.Errorf("attempt %+v: want attempt 1, status 204, no error, from the stream", a)
		}
	}
	if n := e.count(`SELECT count(*) FROM delivery_attempts WHERE disclosure_id = 'd-police-0'`); n != 0 {
		t.Fatalf("kent-police disclosure posted %d times", n)
	}
}

func TestReceiverThatRecoversGetsEachDisclosureExactlyOnce(t *testing.T) {
	const failures = 2 // the first two requests of each disclosure fail
	lgo := newReceiver(t, func(_ string, n int) int {
		if n <= failures {
			return 500
		}
		return 0
	})
	e := newEnv(t, fastRetry, lgo.partner("lgo"))
	const total = 5
	for i := range total {
		e.publish("lgo", fmt.Sprintf("d-%d", i))
	}
	e.drained("lgo")

	// A replay of an already delivered disclosure (the relay re-sending after the stream's
	// duplicate window) must not be posted again: the attempt log says it is delivered.
	e.publishWithMsgID("lgo", "d-0", "replay-of-d-0")
	e.drained("lgo")

	requests, successes, forged := lgo.snapshot()
	if forged != 0 {
		t.Fatalf("%d forged requests", forged)
	}
	for i := range total {
		id := fmt.Sprintf("d-%d", i)
		if successes[id] != 1 || requests[id] != failures+1 {
			t.Errorf("%s: %d successes in %d requests; want 1 in %d (the worker must stop after the 2xx)", id, successes[id], requests[id], failures+1)
		}
	}
	if len(requests) != total {
		t.Fatalf("receiver saw %d ids, want %d: %v", len(requests), total, requests)
	}
	rows := e.attempts("lgo")
	if len(rows) != total*(failures+1) {
		t.Fatalf("%d attempts logged, want %d", len(rows), total*(failures+1))
	}
	for i, a := range rows {
		wantID, wantN := fmt.Sprintf("d-%d", i/(failures+1)), i%(failures+1)+1
		wantStatus := 500
		if wantN == failures+1 {
			wantStatus = 204
		}
		if a.DisclosureID != wantID || a.Attempt != wantN || a.StatusCode == nil || *a.StatusCode != wantStatus {
			t.Errorf("attempt row %d = %s #%d status %v; want %s #%d status %d", i, a.DisclosureID, a.Attempt, deref(a.StatusCode), wantID, wantN, wantStatus)
		}
		// The reply's body is never kept: a partner's error may echo the disclosure.
		if wantStatus == 500 && (a.Error == nil || *a.Error != "HTTP 500") {
			t.Errorf("attempt row %d error %v, want the status alone", i, a.Error)
		}
	}
	if n := e.count(`SELECT count(*) FROM dead_letters`); n != 0 {
		t.Fatalf("%d dead letters for a receiver that recovered", n)
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// A refusal posting the same bytes again cannot change (410 Gone, 404, 400, 422) dead-letters
// the disclosure after that one attempt, saying so; a 429, a 401 and a 5xx are retried
// until the attempts run out. A replay of a disclosure dead-lettered so is not posted again.
func TestPermanentRefusalsAreDeadLetteredAtOnce(t *testing.T) {
	statuses := map[string]int{"d-410": 410, "d-404": 404, "d-400": 400, "d-422": 422, "d-429": 429, "d-401": 401, "d-502": 502}
	partner := newReceiver(t, func(id string, _ int) int { return statuses[id] })
	e := newEnv(t, fastRetry, partner.partner("lgo"))
	for id := range statuses {
		e.publish("lgo", id)
	}
	e.drained("lgo")
	e.publishWithMsgID("lgo", "d-410", "replay-of-d-410")
	e.drained("lgo")

	requests, _, _ := partner.snapshot()
	for id, status := range statuses {
		want, reason := fastRetry.MaxAttempts, fmt.Sprintf("gave up after %d attempts; last: HTTP %d", fastRetry.MaxAttempts, status)
		if status != 429 && status != 401 && status != 502 {
			want, reason = 1, fmt.Sprintf("gave up after 1 attempt; last: HTTP %d, a refusal posting again cannot change", status)
		}
		if requests[id] != want {
			t.Errorf("%s (HTTP %d): posted %d times, want %d", id, status, requests[id], want)
		}
		var dl struct {
			Attempts int    `db:"attempts"`
			Reason   string `db:"reason"`
		}
		if err := e.DB.Get(&dl, `SELECT attempts, reason FROM dead_letters WHERE partner = 'lgo' AND disclosure_id = $1`, id); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if dl.Attempts != want || dl.Reason != reason {
			t.Errorf("%s: dead letter %+v, want %d attempts, reason %q", id, dl, want, reason)
		}
	}
	if n := e.count(`SELECT count(*) FROM delivery_attempts WHERE disclosure_id = 'd-410'`); n != 1 {
		t.Fatalf("d-410: %d attempts logged, want 1 (the replay posts nothing)", n)
	}
}
