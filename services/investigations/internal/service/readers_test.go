package service_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// TestServiceProvisionsItsShareReaders: at start the service gives every recipient its
// notice names that is read inside the council (partners.yaml: internal or webhook) its
// reader's durable consumer on the share stream, configured as that reader configures it,
// so a disclosure sent before the reader first starts waits for it. Partners on NATS read
// their own account's feed and get none here.
func TestServiceProvisionsItsShareReaders(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s, err := e.NATS.JS.Stream(ctx, "INVESTIGATIONS_SHARE")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]jetstream.ConsumerConfig{}
	list := s.ListConsumers(ctx)
	for info := range list.Info() {
		got[info.Name] = info.Config
	}
	if err := list.Err(); err != nil {
		t.Fatal(err)
	}
	webhooks := []string{"goodwin-pest-management", "viking-oak", "one-maidstone", "voluntary-organisations",
		"commissioned-support-services", "subject-of-investigation"}
	want := []string{"internal-publication-service"}
	for _, p := range webhooks {
		want = append(want, "webhook-"+p)
	}
	if names := slices.Sorted(maps.Keys(got)); !slices.Equal(names, slices.Sorted(slices.Values(want))) {
		t.Fatalf("consumers on INVESTIGATIONS_SHARE %v, want %v", names, slices.Sorted(slices.Values(want)))
	}

	internal := got["internal-publication-service"]
	if internal.FilterSubject != "share.publication-service.>" || internal.DeliverSubject != "_deliver.INVESTIGATIONS_SHARE.internal-publication-service" ||
		internal.DeliverGroup != "internal-publication-service" || internal.AckPolicy != jetstream.AckExplicitPolicy ||
		internal.AckWait != 30*time.Second || internal.DeliverPolicy != jetstream.DeliverAllPolicy || internal.MaxAckPending != 1024 {
		t.Errorf("publication service's reader %+v", internal)
	}
	for _, p := range webhooks {
		c := got["webhook-"+p]
		if c.FilterSubject != "share."+p+".>" || c.DeliverSubject != "" || c.AckPolicy != jetstream.AckExplicitPolicy ||
			c.AckWait != 25*time.Second || c.MaxDeliver != -1 || c.DeliverPolicy != jetstream.DeliverAllPolicy || c.MaxAckPending != 256 {
			t.Errorf("%s's webhook reader %+v", p, c)
		}
	}
}
