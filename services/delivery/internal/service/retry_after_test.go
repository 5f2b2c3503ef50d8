package service_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"casework.dev/pkg/testkit"
	"casework.dev/pkg/webhook"
	"casework.dev/services/delivery/internal/domain"
	"casework.dev/services/delivery/internal/service"
)

// A partner that answers 429 with Retry-After: 3 is not posted to again for 3 seconds
// (RFC 6585 section 4, RFC 9110 section 10.2.3), though the policy's backoff is 10 ms: the
// wait is the longer of the two. The wait is the broker's redelivery delay, in real time,
// so the gap is measured on the wall clock the worker runs on here.
func TestRetryAfterOfA429IsHonoured(t *testing.T) {
	secret, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var posts []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		posts = append(posts, time.Now())
		n := len(posts)
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	policy := domain.RetryPolicy{MaxAttempts: 5, InitialBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}
	e := newEnv(t, policy, service.WebhookPartner{ID: "retry-after-partner", URL: srv.URL + "/hooks", Secret: secret})
	if got := e.svc.App.Policy().MaxRetryAfter; got != domain.DefaultMaxRetryAfter {
		t.Fatalf("max retry-after %s, want the default %s", got, domain.DefaultMaxRetryAfter)
	}

	e.publish("retry-after-partner", "d-retry-after")
	testkit.Eventually(t, 15*time.Second, "the second post", func() (bool, string) {
		mu.Lock()
		defer mu.Unlock()
		return len(posts) >= 2, jsonString(map[string]int{"posts": len(posts)})
	})
	mu.Lock()
	gap := posts[1].Sub(posts[0])
	mu.Unlock()
	if gap < 3*time.Second {
		t.Fatalf("the partner asked for Retry-After: 3; posted again after %s", gap)
	}
	t.Logf("posted again %s after the 429", gap)

	testkit.Eventually(t, 10*time.Second, "both attempts logged", func() (bool, string) {
		rows := e.attempts("retry-after-partner")
		return len(rows) == 2 && rows[1].StatusCode != nil && *rows[1].StatusCode == http.StatusNoContent, jsonString(rows)
	})
	if rows := e.attempts("retry-after-partner"); rows[0].StatusCode == nil || *rows[0].StatusCode != http.StatusTooManyRequests {
		t.Errorf("first attempt %s, want the 429 logged", jsonString(rows[0]))
	}
	// Why the wait was long is counted, from a closed list of reasons.
	body := string(e.Call("GET", "/metrics", "", nil).Body)
	if want := `casework_webhook_retry_waits_total{partner="retry-after-partner",reason="retry_after"} 1`; !strings.Contains(body, want) {
		t.Errorf("metrics lack %s", want)
	}
}
