package natsaccounts_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

const (
	alpha = "alpha-agency"
	beta  = "beta-agency"
)

func TestPartnerMaySubscribeOnlyToItsInbox(t *testing.T) {
	s := startStack(t, alpha, beta)
	nc, _ := s.asPartner(t, alpha, nats.PermissionErrOnSubscribe(true))
	for _, subject := range []string{">", "share.>", "share." + beta + ".>", "share." + alpha + ".>", "complaints.events.>", "status.>", "$JS.API.>"} {
		sub, err := nc.SubscribeSync(subject)
		if err != nil {
			t.Fatal(err)
		}
		// The server refuses the subscription; the client hears of it on its next read.
		_, err = sub.NextMsg(5 * time.Second)
		want := fmt.Sprintf("nats: permissions violation: Permissions Violation for Subscription to %q", subject)
		if err == nil || err.Error() != want {
			t.Errorf("subscribe %s: err = %v, want %s", subject, err, want)
		}
	}
}

func TestPartnerMayNotPublish(t *testing.T) {
	s := startStack(t, alpha, beta)
	nc, errs := s.asPartner(t, alpha)
	for _, subject := range []string{"share." + alpha + ".complaints.forged", "share." + beta + ".complaints.forged",
		"complaints.events.stage1.received", "status.complaints.stage1", "$JS.API.STREAM.CREATE.MINE"} {
		if err := nc.Publish(subject, []byte("forged")); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("nats: permissions violation: Permissions Violation for Publish to %q", subject)
		if err := nextError(t, errs); err.Error() != want {
			t.Errorf("publish %s: err = %v, want %s", subject, err, want)
		}
	}
	ctx := context.Background()
	st, err := s.council(t).Stream(ctx, "COMPLAINTS_SHARE")
	if err != nil {
		t.Fatal(err)
	}
	if n := st.CachedInfo().State.Msgs; n != 0 {
		t.Errorf("council share stream holds %d messages after the partner's attempts, want 0", n)
	}
	if n := feedMsgs(t, s.asAdmin(t, beta)); n != 0 {
		t.Errorf("%s's feed holds %d messages, want 0", beta, n)
	}
}

func TestPartnerCannotListStreamsOrCreateConsumers(t *testing.T) {
	s := startStack(t, alpha, beta)
	nc, errs := s.asPartner(t, alpha)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	refused := func(what, subject string, call func(ctx context.Context) error) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		// The server drops a refused request, so the caller hears no reply at all.
		if err := call(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: err = %v, want no reply (deadline exceeded)", what, err)
		}
		want := fmt.Sprintf("nats: permissions violation: Permissions Violation for Publish to %q", subject)
		if err := nextError(t, errs); err.Error() != want {
			t.Errorf("%s: server said %v, want %s", what, err, want)
		}
	}
	refused("list streams", "$JS.API.STREAM.NAMES", func(ctx context.Context) error {
		names := js.StreamNames(ctx)
		for range names.Name() {
		}
		return names.Err()
	})
	refused("read the council's share stream", "$JS.API.STREAM.INFO.COMPLAINTS_SHARE", func(ctx context.Context) error {
		_, err := js.Stream(ctx, "COMPLAINTS_SHARE")
		return err
	})
	refused("create a consumer on the council's stream", "$JS.API.CONSUMER.CREATE.COMPLAINTS_SHARE.spy.share.>", func(ctx context.Context) error {
		_, err := js.CreateConsumer(ctx, "COMPLAINTS_SHARE", jetstream.ConsumerConfig{Name: "spy", FilterSubject: "share.>"})
		return err
	})
	refused("create a consumer on its own feed", "$JS.API.CONSUMER.CREATE.SHARE.extra", func(ctx context.Context) error {
		_, err := js.CreateConsumer(ctx, "SHARE", jetstream.ConsumerConfig{Name: "extra"})
		return err
	})
	refused("read another partner's consumer", "$JS.API.CONSUMER.INFO.SHARE."+beta, func(ctx context.Context) error {
		_, err := js.Consumer(ctx, "SHARE", beta)
		return err
	})

	// Even the partner account's admin, free to use the JetStream API, sees only its own
	// account: the council's streams are not there.
	admin := s.asAdmin(t, alpha)
	ctx := context.Background()
	var names []string
	list := admin.StreamNames(ctx)
	for n := range list.Name() {
		names = append(names, n)
	}
	if list.Err() != nil || len(names) != 1 || names[0] != "SHARE" {
		t.Errorf("admin's streams = %v (%v), want [SHARE]", names, list.Err())
	}
	if _, err := admin.Stream(ctx, "COMPLAINTS_SHARE"); !errors.Is(err, jetstream.ErrStreamNotFound) {
		t.Errorf("admin reading COMPLAINTS_SHARE: err = %v, want stream not found", err)
	}
}

// feedMsgs is how many messages a partner's feed holds, read with its admin user.
func feedMsgs(t *testing.T, admin jetstream.JetStream) uint64 {
	t.Helper()
	st, err := admin.Stream(context.Background(), "SHARE")
	if err != nil {
		t.Fatal(err)
	}
	return st.CachedInfo().State.Msgs
}

func TestPartnerAccountHasSmallJetStreamLimits(t *testing.T) {
	s := startStack(t, alpha)
	admin := s.asAdmin(t, alpha)
	ctx := context.Background()
	info, err := admin.AccountInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := jetstream.AccountLimits{MaxMemory: 0, MaxStore: 64 << 20, MaxStreams: 1, MaxConsumers: 1, MaxAckPending: -1, MemoryMaxStreamBytes: -1, StoreMaxStreamBytes: -1}
	if info.Limits != want {
		t.Errorf("limits = %+v\nwant %+v", info.Limits, want)
	}
	if info.Streams != 1 || info.Consumers != 1 {
		t.Errorf("streams/consumers = %d/%d, want 1/1 (the feed)", info.Streams, info.Consumers)
	}
	_, err = admin.CreateStream(ctx, jetstream.StreamConfig{Name: "MORE", Subjects: []string{"more"}})
	var apiErr *jetstream.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode != 10027 { // JSMaximumStreamsLimitErr
		t.Errorf("a second stream: err = %v, want maximum number of streams reached (10027)", err)
	}
}
