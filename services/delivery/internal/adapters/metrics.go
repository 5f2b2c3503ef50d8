package adapters

import (
	"github.com/prometheus/client_golang/prometheus"

	"casework.dev/pkg/telemetry"
	"casework.dev/services/delivery/internal/app"
)

// webhookAttempts counts signed posts by partner and outcome (delivered, failed,
// dead-lettered): partner ids come from the partners file, never from a payload.
var webhookAttempts = telemetry.Register(prometheus.DefaultRegisterer, prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "casework_webhook_attempts_total",
	Help: "Webhook delivery attempts, by partner and outcome (delivered, failed, dead-lettered).",
}, []string{"partner", "outcome"}))

// countAttempt records what an attempt came to; a disclosure found already delivered or
// dead-lettered made none, nor one withdrawn by an Article 19 notice.
func countAttempt(partner, outcome string, attempt int) {
	if attempt > 0 && outcome != "already delivered" && outcome != app.AlreadyDeadLettered && outcome != "withdrawn" {
		webhookAttempts.WithLabelValues(partner, outcome).Inc()
	}
}

// webhookRetryWaits counts retries scheduled, by partner and why the wait is as long as it
// is (domain.WaitBackoff, WaitRetryAfter, WaitRetryAfterCapped): how often partners ask
// for time, and how often for more than the policy gives.
var webhookRetryWaits = telemetry.Register(prometheus.DefaultRegisterer, prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "casework_webhook_retry_waits_total",
	Help: "Webhook retries scheduled, by partner and reason for the wait (backoff, retry_after, retry_after_capped).",
}, []string{"partner", "reason"}))

func countWait(partner, reason string) { webhookRetryWaits.WithLabelValues(partner, reason).Inc() }

// tracer names the delivery worker's spans: the consumer's, and the webhook post's.
var tracer = telemetry.Tracer("casework.dev/services/delivery")
