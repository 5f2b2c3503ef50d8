package natsaccounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Feed is a partner's stream and durable consumer, inside the partner's account.
type Feed struct {
	Stream   jetstream.StreamConfig
	Consumer jetstream.ConsumerConfig
}

// FeedFor is the feed of one partner. Work-queue retention deletes each disclosure once
// the partner acknowledges it, so the broker keeps no copy of delivered personal data;
// MaxAge bounds how long an unread one waits. When the stream is full, new disclosures are
// refused rather than unread ones dropped; since they arrive by import, which carries no
// acknowledgement back to the council, a refused one is lost to the broker and must be
// replayed from the council's outbox (messaging.Replay) after the partner catches up.
func FeedFor(partnerID string, o FeedOptions) Feed {
	if o.MaxAge == 0 {
		o.MaxAge = 7 * 24 * time.Hour
	}
	if o.Replicas == 0 {
		o.Replicas = 1
	}
	if o.MaxBytes == 0 {
		// The server charges a stream's size to its account once per replica.
		o.MaxBytes = Limits{}.withDefaults().MaxFileBytes / int64(o.Replicas)
	}
	if o.AckWait == 0 {
		o.AckWait = 30 * time.Second
	}
	dup := 10 * time.Minute // the relay's retries carry the same Nats-Msg-Id
	if dup > o.MaxAge {
		dup = o.MaxAge
	}
	return Feed{
		Stream: jetstream.StreamConfig{
			Name:        FeedStream,
			Description: "disclosures to " + partnerID + "; each is deleted once acknowledged",
			Subjects:    []string{ShareSubjects(partnerID)},
			Retention:   jetstream.WorkQueuePolicy,
			MaxAge:      o.MaxAge,
			MaxBytes:    o.MaxBytes,
			Discard:     jetstream.DiscardNew,
			Storage:     jetstream.FileStorage,
			Replicas:    o.Replicas,
			Duplicates:  dup,
		},
		Consumer: jetstream.ConsumerConfig{
			Durable:       ConsumerName(partnerID),
			Description:   "the feed " + partnerID + " reads",
			DeliverPolicy: jetstream.DeliverAllPolicy,
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       o.AckWait,
			MaxDeliver:    -1, // redeliver until acknowledged or aged out: never dropped on a count
			MaxAckPending: 1000,
		},
	}
}

// Provision creates or updates the feed through js, which must belong to the partner's
// account (its admin user).
func Provision(ctx context.Context, js jetstream.JetStream, f Feed) error {
	s, err := js.CreateOrUpdateStream(ctx, f.Stream)
	if err != nil {
		return fmt.Errorf("feed stream %s: %w", f.Stream.Name, err)
	}
	if _, err := s.CreateOrUpdateConsumer(ctx, f.Consumer); err != nil {
		return fmt.Errorf("feed consumer %s: %w", f.Consumer.Durable, err)
	}
	return nil
}

// ProvisionAll connects to url as each partner's admin user and provisions its feed. The
// admins' passwords must be given as values.
func ProvisionAll(ctx context.Context, url string, partners []Partner, o FeedOptions) error {
	var problems []error
	for _, p := range partners {
		if err := provisionOne(ctx, url, p, o); err != nil {
			problems = append(problems, fmt.Errorf("partner %s: %w", p.ID, err))
		}
	}
	return errors.Join(problems...)
}

func provisionOne(ctx context.Context, url string, p Partner, o FeedOptions) error {
	return asAdmin(url, p, func(js jetstream.JetStream) error { return Provision(ctx, js, FeedFor(p.ID, o)) })
}

// Retire deletes a partner's feed, and with it every disclosure the partner has not read,
// connecting as its admin user. Run it before reloading a config that no longer has the
// partner: nats-server keeps a removed account's streams, and their imports, running after
// a reload, so without this the feed would go on capturing what the council sends it.
func Retire(ctx context.Context, url string, p Partner) error {
	err := asAdmin(url, p, func(js jetstream.JetStream) error {
		if err := js.DeleteStream(ctx, FeedStream); err != nil && !errors.Is(err, jetstream.ErrStreamNotFound) {
			return fmt.Errorf("delete feed: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("retire partner %s: %w", p.ID, err)
	}
	return nil
}

// Removed are the partners of before that after no longer has, by id.
func Removed(before, after []Partner) []Partner {
	keep := make(map[string]bool, len(after))
	for _, p := range after {
		keep[p.ID] = true
	}
	var out []Partner
	for _, p := range before {
		if !keep[p.ID] {
			out = append(out, p)
		}
	}
	return out
}

func asAdmin(url string, p Partner, do func(jetstream.JetStream) error) error {
	if p.Admin.Password.Value == "" {
		return errors.New("the admin password's value is needed")
	}
	nc, err := nats.Connect(url, nats.UserInfo(p.Admin.Name, p.Admin.Password.Value), nats.Name("natsaccounts admin "+p.ID))
	if err != nil {
		return fmt.Errorf("connect as %s: %w", p.Admin.Name, err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	return do(js)
}
