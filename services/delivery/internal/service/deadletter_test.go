package service_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
	"casework.dev/services/delivery/internal/domain"
)

func TestReceiverThatNeverRecoversFillsTheDeadLetterList(t *testing.T) {
	var healthy atomic.Bool
	lgo := newReceiver(t, func(string, int) int {
		if healthy.Load() {
			return 0
		}
		return http.StatusServiceUnavailable
	})
	policy := domain.RetryPolicy{MaxAttempts: 3, InitialBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond}
	e := newEnv(t, policy, lgo.partner("lgo"))
	const total = 4
	for i := range total {
		e.publish("lgo", fmt.Sprintf("d-%d", i))
	}
	e.drained("lgo")

	// Nothing dropped: every published disclosure is either delivered or dead-lettered.
	delivered := e.count(`SELECT count(*) FROM delivery_attempts WHERE status_code BETWEEN 200 AND 299`)
	dead := e.count(`SELECT count(*) FROM dead_letters WHERE partner = 'lgo' AND resolved_at IS NULL`)
	if delivered != 0 || dead != total {
		t.Fatalf("delivered %d, dead-lettered %d; want 0 and %d", delivered, dead, total)
	}
	if n := e.count(`SELECT count(*) FROM delivery_attempts WHERE status_code = 503`); n != total*3 {
		t.Fatalf("%d failed attempts logged, want %d", n, total*3)
	}
	requests, _, _ := lgo.snapshot()
	for i := range total {
		if id := fmt.Sprintf("d-%d", i); requests[id] != 3 {
			t.Errorf("%s posted %d times, want 3", id, requests[id])
		}
	}

	manager := e.Token("mgr-1", "delivery_manager")
	list := e.Call("GET", "/dead-letters", manager, nil)
	if list.Status != 200 {
		t.Fatalf("list: %d %s", list.Status, list.Body)
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(list.Body, &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != total {
		t.Fatalf("listed %d dead letters, want %d: %s", len(page.Items), total, list.Body)
	}
	for _, it := range page.Items {
		if it["reason"] != "gave up after 3 attempts; last: HTTP 503" || it["attempts"] != float64(3) ||
			it["partner"] != "lgo" || it["subject"] != "share.lgo.complaints.referral" {
			t.Errorf("dead letter %v", it)
		}
		if _, leaked := it["body"]; leaked {
			t.Errorf("dead letter shows its body: %v", it)
		}
	}
	if strings.Contains(string(list.Body), "Ada Lovelace") {
		t.Fatalf("the list leaks personal data: %s", list.Body)
	}

	// The partner is fixed; a manager retries one dead letter by hand.
	healthy.Store(true)
	id := page.Items[0]["id"].(string)
	disclosure := page.Items[0]["disclosure_id"].(string)
	retried := e.Call("POST", "/dead-letters/"+id+"/retry", e.Token("mgr-2", "complaints_manager"), nil)
	if retried.Status != 200 {
		t.Fatalf("retry: %d %s", retried.Status, retried.Body)
	}
	var res struct {
		Delivered  bool           `json:"delivered"`
		Attempt    map[string]any `json:"attempt"`
		DeadLetter map[string]any `json:"dead_letter"`
	}
	if err := json.Unmarshal(retried.Body, &res); err != nil {
		t.Fatal(err)
	}
	if !res.Delivered || res.Attempt["attempt"] != float64(4) || res.Attempt["status_code"] != float64(204) ||
		res.Attempt["triggered_by"] != "retry:mgr-2" || res.DeadLetter["resolved_by"] != "retry:mgr-2" {
		t.Fatalf("retry result %s", retried.Body)
	}
	if n := e.count(`SELECT count(*) FROM dead_letters WHERE id = $1 AND body IS NULL AND resolved_at IS NOT NULL`, id); n != 1 {
		t.Fatal("a resolved dead letter must be resolved and keep no body")
	}
	_, successes, _ := lgo.snapshot()
	if successes[disclosure] != 1 {
		t.Fatalf("%s delivered %d times, want 1", disclosure, successes[disclosure])
	}
	again := e.Call("POST", "/dead-letters/"+id+"/retry", manager, nil)
	assertProblem(t, again, 409)
	if open := e.Call("GET", "/dead-letters?status=open", manager, nil); !strings.Contains(string(open.Body), `"items":[`) ||
		strings.Count(string(open.Body), `"disclosure_id"`) != total-1 {
		t.Fatalf("open after one retry: %s", open.Body)
	}
	if resolved := e.Call("GET", "/dead-letters?status=resolved&partner=lgo", manager, nil); strings.Count(string(resolved.Body), `"disclosure_id"`) != 1 {
		t.Fatalf("resolved after one retry: %s", resolved.Body)
	}
}

func TestDeadLetterAPIRefusals(t *testing.T) {
	e := newEnv(t, domain.RetryPolicy{MaxAttempts: 1, InitialBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
	manager := e.Token("mgr", "delivery_manager")
	assertProblem(t, e.Call("GET", "/dead-letters", "", nil), 401)
	assertProblem(t, e.Call("GET", "/dead-letters", e.Token("officer", "complaints_officer"), nil), 403)
	assertProblem(t, e.Call("GET", "/dead-letters?status=lost", manager, nil), 400)
	assertProblem(t, e.Call("POST", "/dead-letters/not-a-uuid/retry", manager, nil), 400)
	assertProblem(t, e.Call("POST", "/dead-letters/0193a4b2-0000-7000-8000-000000000000/retry", manager, nil), 404)
	if r := e.Call("GET", "/dead-letters", manager, nil); r.Status != 200 || strings.TrimSpace(string(r.Body)) != `{"items":[]}` {
		t.Fatalf("empty list: %d %s", r.Status, r.Body)
	}
	if r := e.Call("GET", "/healthz", "", nil); r.Status != 200 {
		t.Fatalf("healthz %d", r.Status)
	}
	if r := e.Call("GET", "/readyz", "", nil); r.Status != 200 {
		t.Fatalf("readyz %d %s", r.Status, r.Body)
	}
}

func assertProblem(t *testing.T, r testkit.Response, status int) {
	t.Helper()
	if r.Status != status || r.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d (%s), want %d problem+json: %s", r.Status, r.Header.Get("Content-Type"), status, r.Body)
	}
	var p map[string]any
	if err := json.Unmarshal(r.Body, &p); err != nil || p["status"] != float64(status) {
		t.Fatalf("problem body %s", r.Body)
	}
}

// A partner told by an Article 19 notice that the data of a disclosure delivery gave up on
// was erased, corrected or restricted has that dead letter's content erased with it, in
// the notice's delivery: a retry would send what the person had erased. The erasure says
// which notice made it, and a retry is refused, the source service to disclose again. A
// restriction lifted erases nothing; a notice delivered again changes nothing.
func TestAnArticle19NoticeErasesTheStaleDeadLetter(t *testing.T) {
	var healthy atomic.Bool
	partner := newReceiver(t, func(string, int) int {
		if healthy.Load() {
			return 0
		}
		return http.StatusServiceUnavailable
	})
	policy := domain.RetryPolicy{MaxAttempts: 2, InitialBackoff: 5 * time.Millisecond, MaxBackoff: 10 * time.Millisecond}
	e := newEnv(t, policy, partner.partner("subject-of-complaint"))
	e.publish("subject-of-complaint", "d-erased")
	e.publish("subject-of-complaint", "d-lifted")
	e.drained("subject-of-complaint")
	if n := e.count(`SELECT count(*) FROM dead_letters WHERE body IS NOT NULL`); n != 2 {
		t.Fatalf("%d dead letters hold a body, want 2", n)
	}

	healthy.Store(true)
	e.publishArticle19("subject-of-complaint", "n-erased", "d-erased", "erased")
	e.publishArticle19("subject-of-complaint", "n-lifted", "d-lifted", "restriction lifted")
	testkit.Eventually(t, 10*time.Second, "both notices delivered", func() (bool, string) {
		_, ok, _ := partner.snapshot()
		return ok["n-erased"] == 1 && ok["n-lifted"] == 1, jsonString(ok)
	})
	type row struct {
		DisclosureID string  `db:"disclosure_id"`
		ID           string  `db:"id"`
		Held         bool    `db:"held"`
		Erasure      *string `db:"body_erasure"`
		By           *string `db:"body_erased_by"`
	}
	var rows []row
	if err := e.DB.Select(&rows, `SELECT disclosure_id, id::text AS id, body IS NOT NULL AS held, body_erasure, body_erased_by
		FROM dead_letters ORDER BY disclosure_id`); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].DisclosureID != "d-erased" || rows[0].Held || rows[0].Erasure == nil || *rows[0].Erasure != "article19" ||
		rows[0].By == nil || *rows[0].By != "article19:n-erased" || rows[1].DisclosureID != "d-lifted" || !rows[1].Held || rows[1].Erasure != nil {
		t.Fatalf("dead letters %+v", rows)
	}
	manager := e.Token("mgr-1", "delivery_manager")
	assertDiscloseAgain(t, e, partner, rows[0].ID, "d-erased", manager,
		"its content was erased when an Article 19 notice (n-erased) told the partner the data in it was erased, corrected or restricted")
}

// A disclosure still being retried when the partner is sent an Article 19 notice about it
// is never posted after the notice, whichever stream delivery reads first: its next turn
// sets it aside as a dead letter with no content, saying which notice withdrew it.
func TestADisclosureStillRetriedIsWithdrawnByAnArticle19Notice(t *testing.T) {
	var healthy atomic.Bool
	partner := newReceiver(t, func(string, int) int {
		if healthy.Load() {
			return 0
		}
		return http.StatusServiceUnavailable
	})
	policy := domain.RetryPolicy{MaxAttempts: 1000, InitialBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
	e := newEnv(t, policy, partner.partner("subject-of-complaint"))
	e.publish("subject-of-complaint", "d-retried")
	testkit.Eventually(t, 10*time.Second, "a first failed attempt", func() (bool, string) {
		n := e.count(`SELECT count(*) FROM delivery_attempts WHERE disclosure_id = 'd-retried'`)
		return n >= 1, fmt.Sprint(n)
	})
	e.publishArticle19("subject-of-complaint", "n-erased", "d-retried", "erased")
	testkit.Eventually(t, 10*time.Second, "the notice seen", func() (bool, string) {
		n := e.count(`SELECT count(*) FROM stale_disclosures WHERE partner = 'subject-of-complaint' AND disclosure_id = 'd-retried' AND notice_id = 'n-erased'`)
		return n == 1, fmt.Sprint(n)
	})
	healthy.Store(true)
	testkit.Eventually(t, 10*time.Second, "the notice delivered and the disclosure withdrawn", func() (bool, string) {
		_, ok, _ := partner.snapshot()
		withdrawn := e.count(`SELECT count(*) FROM dead_letters WHERE disclosure_id = 'd-retried' AND body IS NULL
			AND body_erasure = 'article19' AND body_erased_by = 'article19:n-erased'
			AND reason = 'withdrawn before delivery: Article 19 notice n-erased told the partner the data in it was erased, corrected or restricted'`)
		return ok["n-erased"] == 1 && withdrawn == 1, fmt.Sprint(ok, withdrawn)
	})
	e.drained("subject-of-complaint")
	if _, ok, _ := partner.snapshot(); ok["d-retried"] != 0 {
		t.Fatalf("the withdrawn disclosure was posted after the notice: %v", ok)
	}
	if n := e.count(`SELECT count(*) FROM delivery_attempts WHERE disclosure_id = 'd-retried' AND status_code BETWEEN 200 AND 299`); n != 0 {
		t.Fatalf("%d successful attempts of the withdrawn disclosure", n)
	}
}

// An Article 19 notice that passes while a manual retry holds the dead letter cannot erase
// its body then; the retry fails, and the body is still held. A retry after that must not
// send what the person had erased: it is refused (409, disclose_again, naming the notice),
// nothing is posted, and the body is erased as the notice's.
func TestARetryAfterAnArticle19NoticeIsRefused(t *testing.T) {
	var retrying atomic.Bool
	release := make(chan struct{})
	inPost := make(chan struct{}, 1)
	partner := newReceiver(t, func(id string, _ int) int {
		if id == "d-1" && retrying.Load() {
			inPost <- struct{}{}
			<-release // hold the retry's post open while the notice passes
			return http.StatusServiceUnavailable
		}
		if id == "n-1" {
			return 0
		}
		return http.StatusServiceUnavailable
	})
	e := newEnv(t, oneAttempt, partner.partner("subject-of-complaint"))
	var released sync.Once
	unblock := func() { released.Do(func() { close(release) }) }
	t.Cleanup(unblock)
	e.publish("subject-of-complaint", "d-1")
	id := e.deadLetterOf("d-1")
	e.drained("subject-of-complaint")

	retrying.Store(true)
	manager := e.Token("mgr-1", "delivery_manager")
	retried := make(chan testkit.Response, 1)
	go func() { retried <- e.Call("POST", "/dead-letters/"+id+"/retry", manager, nil) }()
	select {
	case <-inPost:
	case r := <-retried:
		t.Fatalf("the retry answered before posting: %d %s", r.Status, r.Body)
	case <-time.After(10 * time.Second):
		t.Fatal("the retry never posted")
	}
	e.publishArticle19("subject-of-complaint", "n-1", "d-1", "erased")
	testkit.Eventually(t, 10*time.Second, "the notice delivered", func() (bool, string) {
		_, ok, _ := partner.snapshot()
		return ok["n-1"] == 1, jsonString(ok)
	})
	if r := e.bodyRecord(id); !r.Held {
		t.Fatalf("the body went while the retry held it: %+v", r)
	}
	unblock()
	if r := <-retried; r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"delivered":false`) {
		t.Fatalf("the held retry: %d %s", r.Status, r.Body)
	}
	retrying.Store(false)

	assertDiscloseAgain(t, e, partner, id, "d-1", manager,
		"its content was erased when an Article 19 notice (n-1) told the partner the data in it was erased, corrected or restricted")
	if r := e.bodyRecord(id); r.Held || r.Erasure == nil || *r.Erasure != "article19" || r.ErasedBy == nil || *r.ErasedBy != "article19:n-1" {
		t.Fatalf("after the refused retry the row is %+v, want its body erased by the notice", r)
	}
}
