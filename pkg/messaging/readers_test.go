package messaging_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/migrations"
	"casework.dev/pkg/messaging"
	"casework.dev/pkg/postgres"
	"casework.dev/pkg/testkit"
)

func TestShareReadersFollowOneConvention(t *testing.T) {
	for got, want := range map[string]string{
		messaging.ShareFilter("goodwin-pest-management"): "share.goodwin-pest-management.>",
		messaging.InternalReaderName("local-press"):      "internal-local-press",
		messaging.WebhookReaderName("viking-oak"):        "webhook-viking-oak",
		messaging.ShareStream("complaints"):              "COMPLAINTS_SHARE",
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
	if got := messaging.ServiceStreams("complaints", 1, 0)[2].Name; got != messaging.ShareStream("complaints") {
		t.Errorf("the service's share stream is %s, ShareStream says %s", got, messaging.ShareStream("complaints"))
	}

	internal := messaging.InternalReader("INVESTIGATIONS_SHARE", "publication-service")
	if want := (jetstream.ConsumerConfig{Durable: "internal-publication-service",
		DeliverSubject: "_deliver.INVESTIGATIONS_SHARE.internal-publication-service", DeliverGroup: "internal-publication-service",
		FilterSubject: "share.publication-service.>", AckPolicy: jetstream.AckExplicitPolicy, AckWait: 30 * time.Second,
		DeliverPolicy: jetstream.DeliverAllPolicy, MaxAckPending: 1024}); !reflect.DeepEqual(internal, want) {
		t.Errorf("internal reader %+v, want %+v", internal, want)
	}
	webhook := messaging.WebhookReader("viking-oak", 0, 0)
	if want := (jetstream.ConsumerConfig{Durable: "webhook-viking-oak", Description: "webhook delivery to viking-oak",
		FilterSubject: "share.viking-oak.>", AckPolicy: jetstream.AckExplicitPolicy, AckWait: 25 * time.Second, MaxDeliver: -1,
		DeliverPolicy: jetstream.DeliverAllPolicy, MaxAckPending: 256}); !reflect.DeepEqual(webhook, want) {
		t.Errorf("webhook reader %+v, want %+v", webhook, want)
	}
	if c := messaging.WebhookReader("viking-oak", time.Minute, 10); c.AckWait != time.Minute || c.MaxAckPending != 10 {
		t.Errorf("webhook reader with the worker's settings: ack wait %v, max ack pending %d; want 1m0s, 10", c.AckWait, c.MaxAckPending)
	}
}

// shareDisclosure publishes a disclosure to recipient on the complaints share stream, as a
// relay does (event id in the watermill header and as Nats-Msg-Id).
func shareDisclosure(t *testing.T, js jetstream.JetStream, recipient, id string) {
	t.Helper()
	m := nats.NewMsg("share." + recipient + ".complaints.referral")
	m.Data = []byte(`{"disclosure_id":"` + id + `"}`)
	m.Header.Set(messaging.HeaderEventID, id)
	m.Header.Set(jetstream.MsgIDHeader, id)
	if _, err := js.PublishMsg(context.Background(), m); err != nil {
		t.Fatal(err)
	}
}

// Disclosures published before any reader has started wait for the readers provisioned
// beside the stream, and each reader gets its own exactly once; one to a recipient without a
// council reader (a partner on NATS) is not kept.
func TestDisclosuresWaitForReadersThatHaveNotStartedYet(t *testing.T) {
	db, _ := testkit.NewDatabase(t, postgres.Migration{FS: migrations.Platform(), VersionTable: "goose_platform"})
	n := testkit.NewNATS(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream := messaging.ShareStream("complaints")
	if err := messaging.EnsureStreams(ctx, n.JS, messaging.ServiceStreams("complaints", 1, time.Hour)...); err != nil {
		t.Fatal(err)
	}
	readers := []jetstream.ConsumerConfig{messaging.InternalReader(stream, "local-press"), messaging.WebhookReader("viking-oak", 0, 0)}
	for range 2 { // a restart provisions again and changes nothing
		if err := messaging.EnsureConsumers(ctx, n.JS, stream, readers...); err != nil {
			t.Fatal(err)
		}
	}
	shareDisclosure(t, n.JS, "local-press", "d-press")
	shareDisclosure(t, n.JS, "viking-oak", "d-viking")
	shareDisclosure(t, n.JS, "lgo", "d-lgo")
	if got := streamCount(t, n.JS, stream); got != 2 {
		t.Fatalf("share stream holds %d disclosures, want 2 (the press's and viking-oak's)", got)
	}

	// The internal reader starts for the first time.
	var mu sync.Mutex
	applied := map[string]int{}
	internal, err := messaging.NewConsumer(ctx, n.JS, db, messaging.ConsumerConfig{
		Name: messaging.InternalReaderName("local-press"), Stream: stream, FilterSubject: messaging.ShareFilter("local-press"),
		NATSURL: n.URL, DeadLetterSubject: "deadletter.complaints.press",
	}, func(_ context.Context, _ *sqlx.Tx, msg *message.Message) error {
		mu.Lock()
		defer mu.Unlock()
		applied[msg.UUID]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- internal.Run(ctx) }()
	testkit.Eventually(t, 10*time.Second, "the press release read and acknowledged", func() (bool, string) {
		info, err := consumerInfo(ctx, n.JS, stream, messaging.InternalReaderName("local-press"))
		if err != nil {
			return false, err.Error()
		}
		return info.NumPending == 0 && info.NumAckPending == 0 && info.Delivered.Consumer >= 1, fmt.Sprintf("%+v", info.Delivered)
	})
	mu.Lock()
	if !reflect.DeepEqual(applied, map[string]int{"d-press": 1}) {
		t.Errorf("internal reader applied %v, want d-press once", applied)
	}
	mu.Unlock()

	// The webhook reader starts for the first time, as the delivery worker provisions it.
	webhook, err := n.JS.CreateOrUpdateConsumer(ctx, stream, messaging.WebhookReader("viking-oak", 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	m, err := webhook.Next(jetstream.FetchMaxWait(5 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject() != "share.viking-oak.complaints.referral" || m.Headers().Get(messaging.HeaderEventID) != "d-viking" {
		t.Fatalf("webhook reader got %s %v, want viking-oak's disclosure", m.Subject(), m.Headers())
	}
	if err := m.DoubleAck(ctx); err != nil {
		t.Fatal(err)
	}
	info, err := webhook.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.NumPending != 0 || info.NumAckPending != 0 || info.Delivered.Consumer != 1 {
		t.Errorf("webhook reader: %d pending, %d unacknowledged, %d delivered; want 0, 0, 1", info.NumPending, info.NumAckPending, info.Delivered.Consumer)
	}
	// Every reader has acknowledged: the council keeps no copy.
	testkit.Eventually(t, 10*time.Second, "share stream empty", func() (bool, string) {
		got := streamCount(t, n.JS, stream)
		return got == 0, fmt.Sprint(got, " messages")
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// A reader that is already there keeps the configuration it gave itself.
func TestEnsureConsumersLeavesAReadersOwnConfiguration(t *testing.T) {
	n := testkit.NewNATS(t)
	ctx := context.Background()
	stream := messaging.ShareStream("complaints")
	if err := messaging.EnsureStreams(ctx, n.JS, messaging.ServiceStreams("complaints", 1, time.Hour)...); err != nil {
		t.Fatal(err)
	}
	if _, err := n.JS.CreateOrUpdateConsumer(ctx, stream, messaging.WebhookReader("viking-oak", time.Minute, 10)); err != nil {
		t.Fatal(err)
	}
	if err := messaging.EnsureConsumers(ctx, n.JS, stream, messaging.WebhookReader("viking-oak", 0, 0)); err != nil {
		t.Fatal(err)
	}
	info, err := consumerInfo(ctx, n.JS, stream, "webhook-viking-oak")
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.AckWait != time.Minute || info.Config.MaxAckPending != 10 {
		t.Errorf("ack wait %v, max ack pending %d; want the reader's 1m0s and 10", info.Config.AckWait, info.Config.MaxAckPending)
	}
	if err := messaging.EnsureConsumers(ctx, n.JS, "NO_SUCH_STREAM", messaging.WebhookReader("viking-oak", 0, 0)); err == nil {
		t.Error("a consumer on a missing stream reported as provisioned")
	}
}

// consumerInfo finds a consumer, push or pull, among the stream's.
func consumerInfo(ctx context.Context, js jetstream.JetStream, stream, name string) (*jetstream.ConsumerInfo, error) {
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return nil, err
	}
	list := s.ListConsumers(ctx)
	for info := range list.Info() {
		if info.Name == name {
			return info, nil
		}
	}
	if err := list.Err(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("no consumer %s on %s", name, stream)
}
