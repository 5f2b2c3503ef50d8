package service_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestMetricsCountWebhookAttemptsByPartnerAndOutcome scrapes /metrics as Prometheus would.
func TestMetricsCountWebhookAttemptsByPartnerAndOutcome(t *testing.T) {
	// Fails the first attempt, accepts the second. The partner's name is this test's own:
	// the process-wide registry also counts other tests' partners.
	flaky := newReceiver(t, func(_ string, n int) int {
		if n == 1 {
			return http.StatusInternalServerError
		}
		return 0
	})
	e := newEnv(t, fastRetry, flaky.partner("metrics-partner"))
	e.publish("metrics-partner", "d-metrics-0")
	e.drained("metrics-partner")
	if r := e.Call("GET", "/healthz", "", nil); r.Status != http.StatusOK {
		t.Fatalf("healthz %d", r.Status)
	}

	r := e.Call("GET", "/metrics", "", nil)
	if r.Status != http.StatusOK {
		t.Fatalf("metrics %d", r.Status)
	}
	body := string(r.Body)
	for _, want := range []string{
		`casework_webhook_attempts_total{outcome="failed",partner="metrics-partner"} 1`,
		`casework_webhook_attempts_total{outcome="delivered",partner="metrics-partner"} 1`,
		`casework_http_requests_total{code="200",method="GET",route="GET /healthz"}`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
