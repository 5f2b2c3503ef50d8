package service_test

import (
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
	"casework.dev/services/delivery/internal/domain"
)

// Two managers retry the same dead letter at once: one posts, the other is refused before
// anything is sent, so the disclosure goes once and every post is logged.
func TestConcurrentManualRetriesPostOnce(t *testing.T) {
	var healthy atomic.Bool
	release := make(chan struct{})
	inPost := make(chan struct{}, 1)
	lgo := newReceiver(t, func(string, int) int {
		if !healthy.Load() {
			return http.StatusServiceUnavailable
		}
		inPost <- struct{}{}
		<-release // hold the first retry's post open
		return 0
	})
	policy := domain.RetryPolicy{MaxAttempts: 2, InitialBackoff: 5 * time.Millisecond, MaxBackoff: 10 * time.Millisecond}
	e := newEnv(t, policy, lgo.partner("lgo"))
	e.publish("lgo", "d-0")
	var id string
	testkit.Eventually(t, 10*time.Second, "a dead letter", func() (bool, string) {
		_ = e.DB.Get(&id, `SELECT id FROM dead_letters WHERE disclosure_id = 'd-0'`)
		return id != "", "none yet"
	})
	healthy.Store(true)

	first := make(chan testkit.Response, 1)
	go func() {
		first <- e.Call("POST", "/dead-letters/"+id+"/retry", e.Token("mgr-1", "complaints_manager"), nil)
	}()
	select { // the first retry is posting now
	case <-inPost:
	case r := <-first:
		t.Fatalf("first retry answered before posting: %d %s", r.Status, r.Body)
	case <-time.After(10 * time.Second):
		t.Fatal("the first retry never posted")
	}
	second := e.Call("POST", "/dead-letters/"+id+"/retry", e.Token("mgr-2", "complaints_manager"), nil)
	assertProblem(t, second, http.StatusConflict)
	close(release)

	r := <-first
	var res struct {
		Delivered bool `json:"delivered"`
	}
	if r.Status != http.StatusOK || json.Unmarshal(r.Body, &res) != nil || !res.Delivered {
		t.Fatalf("first retry: %d %s", r.Status, r.Body)
	}
	requests, successes, _ := lgo.snapshot()
	if successes["d-0"] != 1 || requests["d-0"] != 3 { // 2 failed stream attempts, 1 manual
		t.Fatalf("requests %v, successes %v", requests, successes)
	}
	if n := e.count(`SELECT count(*) FROM delivery_attempts WHERE disclosure_id = 'd-0'`); n != 3 {
		t.Fatalf("%d attempts logged, want 3", n)
	}
}
