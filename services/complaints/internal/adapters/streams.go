package adapters

import (
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Streams is the complaints service's JetStream layout, provisioned explicitly at start.
// Domain and status events carry no personal data and are kept for a year; disclosures
// (share.>) carry personal data and are kept only briefly, so the broker never becomes a
// second long-lived copy.
func Streams(replicas int, shareMaxAge time.Duration) []jetstream.StreamConfig {
	base := func(name string, subjects []string, maxAge time.Duration) jetstream.StreamConfig {
		return jetstream.StreamConfig{Name: name, Subjects: subjects, Storage: jetstream.FileStorage,
			Replicas: replicas, MaxAge: maxAge, Duplicates: 10 * time.Minute, Discard: jetstream.DiscardOld}
	}
	return []jetstream.StreamConfig{
		base("COMPLAINTS_EVENTS", []string{"complaints.events.>"}, 365*24*time.Hour),
		base("COMPLAINTS_STATUS", []string{"status.complaints.>"}, 365*24*time.Hour),
		base("COMPLAINTS_SHARE", []string{"share.*.complaints.>"}, shareMaxAge),
		base("COMPLAINTS_DEADLETTER", []string{"deadletter.complaints.>"}, 30*24*time.Hour),
	}
}
