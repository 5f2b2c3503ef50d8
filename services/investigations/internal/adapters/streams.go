package adapters

import (
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Streams is the investigations service's JetStream layout, provisioned explicitly at
// start. Domain and status events carry no personal data and are kept for a year;
// disclosures (share.*.investigations.>) carry personal data and are kept only briefly.
func Streams(replicas int, shareMaxAge time.Duration) []jetstream.StreamConfig {
	base := func(name string, subjects []string, maxAge time.Duration) jetstream.StreamConfig {
		return jetstream.StreamConfig{Name: name, Subjects: subjects, Storage: jetstream.FileStorage,
			Replicas: replicas, MaxAge: maxAge, Duplicates: 10 * time.Minute, Discard: jetstream.DiscardOld}
	}
	return []jetstream.StreamConfig{
		base("INVESTIGATIONS_EVENTS", []string{"investigations.events.>"}, 365*24*time.Hour),
		base("INVESTIGATIONS_STATUS", []string{"status.investigations.>"}, 365*24*time.Hour),
		interest(base("INVESTIGATIONS_SHARE", []string{"share.*.investigations.>"}, shareMaxAge)),
		base("INVESTIGATIONS_DEADLETTER", []string{"deadletter.investigations.>"}, 30*24*time.Hour),
	}
}

// interest keeps a disclosure only until every council consumer interested in it (the
// webhook delivery worker) has acknowledged it: partners on NATS get theirs through their
// own account's feed, so the council keeps no copy.
func interest(c jetstream.StreamConfig) jetstream.StreamConfig {
	c.Retention = jetstream.InterestPolicy
	return c
}
