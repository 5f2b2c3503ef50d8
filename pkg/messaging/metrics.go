package messaging

import (
	"context"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"casework.dev/pkg/telemetry"
)

// flowMetrics follow messages through the relay and the consumers. Labels are services,
// recipients and consumer names from the subjects and configuration: never a payload.
type flowMetrics struct {
	publishDuration prometheus.Histogram
	publishFailures prometheus.Counter
	atomicFallbacks prometheus.Counter
	atomicBatches   prometheus.Counter
	disclosures     *prometheus.CounterVec
	overdue         *prometheus.CounterVec
}

func newFlowMetrics(reg prometheus.Registerer) flowMetrics {
	return flowMetrics{
		publishDuration: telemetry.Register(reg, prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "casework_outbox_publish_duration_seconds",
			Help:    "Time from publishing a batch of outbox rows to JetStream until the last acknowledgement.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		})),
		publishFailures: telemetry.Register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "casework_outbox_publish_failures_total",
			Help: "Relay rounds that stopped on a publish JetStream did not acknowledge (retried on the next round).",
		})),
		atomicFallbacks: telemetry.Register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "casework_outbox_atomic_fallbacks_total",
			Help: "Relay rounds sent again one message at a time after an atomic batch was refused (a message of it stored before, as after a crash) or could not be sent.",
		})),
		atomicBatches: telemetry.Register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "casework_outbox_atomic_batches_total",
			Help: "Atomic batches the relay's streams committed (each written with one fsync under sync_interval always).",
		})),
		disclosures: telemetry.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casework_disclosures_published_total",
			Help: "Disclosures published on share.<recipient>.<service>.<purpose>, by service and recipient.",
		}, []string{"service", "recipient"})),
		overdue: telemetry.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casework_overdue_events_total",
			Help: "Overdue domain events published (<service>.events.*.overdue), by service.",
		}, []string{"service"})),
	}
}

// published counts one acknowledged message by its subject family.
func (m flowMetrics) published(subject string) {
	parts := strings.Split(subject, ".")
	switch {
	case len(parts) >= 4 && parts[0] == "share":
		m.disclosures.WithLabelValues(parts[2], parts[1]).Inc()
	case len(parts) >= 3 && parts[1] == "events" && parts[len(parts)-1] == "overdue":
		m.overdue.WithLabelValues(parts[0]).Inc()
	}
}

// outboxCollector reads, at each scrape, how many committed outbox rows wait for the relay
// and how old the oldest of them is: the first sign of a relay that cannot publish. It
// reads the database of the relay made last (a process runs one relay; tests run many).
type outboxCollector struct {
	db              atomic.Pointer[sqlx.DB]
	pending, oldest *prometheus.Desc
}

func newOutboxCollector() *outboxCollector {
	return &outboxCollector{
		pending: prometheus.NewDesc("casework_outbox_pending", "Committed outbox rows not yet relayed or dead-lettered.", nil, nil),
		oldest: prometheus.NewDesc("casework_outbox_oldest_pending_age_seconds",
			"Age of the oldest committed outbox row not yet relayed (0 when none waits).", nil, nil)}
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.pending; ch <- c.oldest }

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var row struct {
		Pending int     `db:"pending"`
		Oldest  float64 `db:"oldest"`
	}
	db := c.db.Load()
	if db == nil {
		return
	}
	err := db.GetContext(ctx, &row, `SELECT count(*) AS pending,
			COALESCE(EXTRACT(EPOCH FROM localtimestamp - min(o.created_at)), 0)::float8 AS oldest
		FROM watermill_outbox o, outbox_relay_cursor c
		WHERE c.name = 'relay' AND (o.position IS NULL OR o.position > c.position)`)
	if err != nil {
		return // no figure rather than a failed scrape: readiness reports the database
	}
	ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(row.Pending))
	ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, max(row.Oldest, 0))
}

// consumerMetrics count what a consumer could not apply at once.
type consumerMetrics struct {
	retries     *prometheus.CounterVec
	deadLetters *prometheus.CounterVec
}

func newConsumerMetrics(reg prometheus.Registerer) consumerMetrics {
	return consumerMetrics{
		retries: telemetry.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casework_consumer_redeliveries_total",
			Help: "Events a consumer tried again after its handler failed, by consumer.",
		}, []string{"consumer"})),
		deadLetters: telemetry.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "casework_consumer_dead_letters_total",
			Help: "Events a consumer gave up on and sent to its dead-letter subject, by consumer.",
		}, []string{"consumer"})),
	}
}

// countDeadLetters sits inside the poison queue: an error reaching it means the event goes
// to the dead-letter subject.
func (m consumerMetrics) countDeadLetters(consumer string) message.HandlerMiddleware {
	return func(h message.HandlerFunc) message.HandlerFunc {
		return func(msg *message.Message) ([]*message.Message, error) {
			out, err := h(msg)
			if err != nil {
				m.deadLetters.WithLabelValues(consumer).Inc()
			}
			return out, err
		}
	}
}
