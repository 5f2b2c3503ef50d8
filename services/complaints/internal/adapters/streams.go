package adapters

import (
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Streams is the complaints service's JetStream layout, provisioned explicitly at start.
// Domain and status events carry no personal data and are kept for a year. Disclosures
// (share.>) carry personal data: the council's stream keeps one only while a consumer in
// the council account still has to deliver it (the webhook delivery worker); NATS
// partners receive theirs through their own account's feed, so the council keeps no copy
// of it at all. shareMaxAge bounds any that wait.
func Streams(replicas int, shareMaxAge time.Duration) []jetstream.StreamConfig {
	base := func(name string, subjects []string, maxAge time.Duration) jetstream.StreamConfig {
		return jetstream.StreamConfig{Name: name, Subjects: subjects, Storage: jetstream.FileStorage,
			Replicas: replicas, MaxAge: maxAge, Duplicates: 10 * time.Minute, Discard: jetstream.DiscardOld}
	}
	return []jetstream.StreamConfig{
		base("COMPLAINTS_EVENTS", []string{"complaints.events.>"}, 365*24*time.Hour),
		base("COMPLAINTS_STATUS", []string{"status.complaints.>"}, 365*24*time.Hour),
		interest(base("COMPLAINTS_SHARE", []string{"share.*.complaints.>"}, shareMaxAge)),
		base("COMPLAINTS_DEADLETTER", []string{"deadletter.complaints.>"}, 30*24*time.Hour),
	}
}

// interest keeps a message only until every consumer interested in it has acknowledged it.
func interest(c jetstream.StreamConfig) jetstream.StreamConfig {
	c.Retention = jetstream.InterestPolicy
	return c
}
