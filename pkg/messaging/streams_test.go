package messaging_test

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"casework.dev/pkg/messaging"
)

func TestServiceStreamsFollowTheSubjectConventions(t *testing.T) {
	got := messaging.ServiceStreams("complaints", 3, 0)
	want := []struct {
		name, subject string
		retention     jetstream.RetentionPolicy
		maxAge        time.Duration
	}{
		{"COMPLAINTS_EVENTS", "complaints.events.>", jetstream.LimitsPolicy, 365 * 24 * time.Hour},
		{"COMPLAINTS_STATUS", "status.complaints.>", jetstream.LimitsPolicy, 365 * 24 * time.Hour},
		{"COMPLAINTS_SHARE", "share.*.complaints.>", jetstream.InterestPolicy, 7 * 24 * time.Hour},
		{"COMPLAINTS_DEADLETTER", "deadletter.complaints.>", jetstream.LimitsPolicy, 30 * 24 * time.Hour},
	}
	if len(got) != len(want) {
		t.Fatalf("%d streams, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Name != w.name || len(g.Subjects) != 1 || g.Subjects[0] != w.subject || g.Retention != w.retention ||
			g.MaxAge != w.maxAge || g.Replicas != 3 || g.Storage != jetstream.FileStorage || g.Duplicates != 10*time.Minute {
			t.Errorf("stream %d: %+v, want %+v", i, g, w)
		}
	}
}
