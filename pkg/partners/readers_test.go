package partners_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/messaging"
	"casework.dev/pkg/partners"
	"casework.dev/pkg/testkit"
)

// Recipients read inside the council get their reader's consumer; a partner on NATS (its
// own account's feed) and an id the file does not hold get none.
func TestReadersAreTheCouncilsOwn(t *testing.T) {
	d, err := partners.Parse([]byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	got := d.Readers("INVESTIGATIONS_SHARE", []string{"lgo", "goodwin-pest-management", "nobody", "publication-service"})
	want := []jetstream.ConsumerConfig{messaging.WebhookReader("goodwin-pest-management", 0, 0),
		messaging.InternalReader("INVESTIGATIONS_SHARE", "publication-service")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("readers\n got %+v\nwant %+v", got, want)
	}
}

func TestProvisionReadersOnTheServicesShareStream(t *testing.T) {
	n := testkit.NewNATS(t)
	ctx := context.Background()
	if err := messaging.EnsureStreams(ctx, n.JS, messaging.ServiceStreams("investigations", 1, time.Hour)...); err != nil {
		t.Fatal(err)
	}
	recipients := []string{"lgo", "goodwin-pest-management", "publication-service"}
	if err := partners.ProvisionReaders(ctx, n.JS, "investigations", []byte(valid), recipients); err != nil {
		t.Fatal(err)
	}
	s, err := n.JS.Stream(ctx, "INVESTIGATIONS_SHARE")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range s.ConsumerNames(ctx).Name() {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"internal-publication-service", "webhook-goodwin-pest-management"}; !slices.Equal(names, want) {
		t.Errorf("consumers %v, want %v", names, want)
	}
	if err := partners.ProvisionReaders(ctx, n.JS, "investigations", []byte("partners: []"), recipients); err == nil {
		t.Error("an invalid partners file accepted")
	}
}
