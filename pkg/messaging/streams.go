package messaging

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// EnsureStreams creates or updates each stream to exactly the given configuration. Streams
// are never auto-provisioned by publishers or subscribers.
func EnsureStreams(ctx context.Context, js jetstream.JetStream, cfgs ...jetstream.StreamConfig) error {
	for _, cfg := range cfgs {
		if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("provision stream %s: %w", cfg.Name, err)
		}
	}
	return nil
}

// ShareStream is the name of the service's share stream, e.g. COMPLAINTS_SHARE.
func ShareStream(service string) string { return strings.ToUpper(service) + "_SHARE" }

// ServiceStreams is one service's JetStream layout, by the subject conventions every
// service follows: domain events on <service>.events.> and status on status.<service>.>,
// neither with personal data, kept a year; disclosures on share.<recipient>.<service>.>;
// dead letters on deadletter.<service>.>. The share stream uses interest retention: it
// keeps a disclosure only while a consumer in the council's account (a council service or
// the webhook delivery worker, EnsureConsumers) still has to read it, and partners on NATS
// receive theirs through their own account's feed, so the broker holds no long-lived copy
// of personal data; shareMaxAge bounds any that wait.
func ServiceStreams(service string, replicas int, shareMaxAge time.Duration) []jetstream.StreamConfig {
	prefix := strings.ToUpper(service)
	stream := func(suffix, subject string, maxAge time.Duration) jetstream.StreamConfig {
		return jetstream.StreamConfig{Name: prefix + "_" + suffix, Subjects: []string{subject}, Storage: jetstream.FileStorage,
			Replicas: max(replicas, 1), MaxAge: maxAge, Duplicates: 10 * time.Minute, Discard: jetstream.DiscardOld,
			AllowAtomicPublish: true}
	}
	const year = 365 * 24 * time.Hour
	if shareMaxAge <= 0 {
		shareMaxAge = 7 * 24 * time.Hour
	}
	share := stream("SHARE", "share.*."+service+".>", shareMaxAge)
	share.Retention = jetstream.InterestPolicy
	return []jetstream.StreamConfig{
		stream("EVENTS", service+".events.>", year),
		stream("STATUS", "status."+service+".>", year),
		share,
		stream("DEADLETTER", "deadletter."+service+".>", 30*24*time.Hour),
	}
}
