package messaging_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"

	"casework.dev/pkg/messaging"
	"casework.dev/pkg/testkit"
)

func TestRelayMetricsFollowTheOutboxBySubjectFamily(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	if err := messaging.EnsureStreams(ctx, f.nats.JS, messaging.ServiceStreams("complaints", 1, 0)[:3]...); err != nil { // not its dead letters: the fixture's stream has them
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	relay := messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{Registerer: reg})
	if got := metric(t, reg, "casework_outbox_pending"); got != 0 {
		t.Fatalf("pending before any: %v", got)
	}
	writeOutbox(t, f.db,
		newMessage(t, "share.lgo.complaints.referral", map[string]string{"reference": "CMP-1"}),
		newMessage(t, "share.lgo.complaints.referral", map[string]string{"reference": "CMP-2"}),
		newMessage(t, "share.ward-councillor.complaints.member_enquiry", 1),
		newMessage(t, "complaints.events.deadline.overdue", 1),
		newMessage(t, "status.complaints.stage1", 1))
	if _, err := f.db.Exec(`UPDATE watermill_outbox SET created_at = created_at - interval '90 seconds'`); err != nil {
		t.Fatal(err)
	}
	if got := metric(t, reg, "casework_outbox_pending"); got != 5 {
		t.Fatalf("pending %v, want 5", got)
	}
	if got := metric(t, reg, "casework_outbox_oldest_pending_age_seconds"); got < 90 || got > 120 {
		t.Fatalf("oldest pending age %v, want about 90 s", got)
	}
	relayUntil(t, relay, 5)
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"casework_outbox_pending", nil, 0},
		{"casework_outbox_oldest_pending_age_seconds", nil, 0},
		{"casework_disclosures_published_total", []string{"service", "complaints", "recipient", "lgo"}, 2},
		{"casework_disclosures_published_total", []string{"service", "complaints", "recipient", "ward-councillor"}, 1},
		{"casework_overdue_events_total", []string{"service", "complaints"}, 1},
		{"casework_outbox_publish_failures_total", nil, 0},
	} {
		if got := metric(t, reg, c.name, c.labels...); got != c.want {
			t.Errorf("%s %v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if n := histogramCount(t, reg, "casework_outbox_publish_duration_seconds"); n < 1 {
		t.Errorf("publish latency observed %d times", n)
	}
}

func TestConsumerMetricsCountRetriesAndDeadLetters(t *testing.T) {
	f := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reg := prometheus.NewRegistry()
	c, err := messaging.NewConsumer(ctx, f.nats.JS, f.db, messaging.ConsumerConfig{
		Name: "refuser", Stream: "TEST", FilterSubject: "test.>", NATSURL: f.nats.URL,
		DeadLetterSubject: "deadletter.test.refuser", MaxRetries: 2, RetryInterval: time.Millisecond, Registerer: reg,
	}, func(context.Context, *sqlx.Tx, *message.Message) error { return errors.New("cannot apply") })
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	<-c.Running()
	writeOutbox(t, f.db, newMessage(t, "test.one", 1))
	relayUntil(t, messaging.NewRelay(f.db, f.nats.JS, messaging.RelayConfig{Registerer: prometheus.NewRegistry()}), 1)
	testkit.Eventually(t, 10*time.Second, "the dead letter counted", func() (bool, string) {
		return metric(t, reg, "casework_consumer_dead_letters_total", "consumer", "refuser") == 1, ""
	})
	if got := metric(t, reg, "casework_consumer_redeliveries_total", "consumer", "refuser"); got != 2 {
		t.Errorf("redeliveries %v, want 2", got)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
