package adapters

import (
	"github.com/prometheus/client_golang/prometheus"

	"casework.dev/pkg/telemetry"
)

// webhookAttempts counts signed posts by partner and outcome (delivered, failed,
// dead-lettered): partner ids come from the partners file, never from a payload.
var webhookAttempts = telemetry.Register(prometheus.DefaultRegisterer, prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "casework_webhook_attempts_total",
	Help: "Webhook delivery attempts, by partner and outcome (delivered, failed, dead-lettered).",
}, []string{"partner", "outcome"}))

// countAttempt records what an attempt came to; a disclosure found already delivered made
// none, nor one withdrawn by an Article 19 notice.
func countAttempt(partner, outcome string, attempt int) {
	if attempt > 0 && outcome != "already delivered" && outcome != "withdrawn" {
		webhookAttempts.WithLabelValues(partner, outcome).Inc()
	}
}

// tracer names the delivery worker's spans: the consumer's, and the webhook post's.
var tracer = telemetry.Tracer("casework.dev/services/delivery")
