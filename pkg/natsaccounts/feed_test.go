package natsaccounts_test

import (
	"testing"

	"casework.dev/pkg/natsaccounts"
)

func TestFeedFitsItsAccountWhateverItsReplicas(t *testing.T) {
	for replicas, want := range map[int]int64{0: 256 << 20, 1: 256 << 20, 3: (256 << 20) / 3} {
		f := natsaccounts.FeedFor("lgo", natsaccounts.FeedOptions{Replicas: replicas})
		if f.Stream.MaxBytes != want || f.Stream.Replicas != max(replicas, 1) {
			t.Errorf("replicas %d: MaxBytes %d, Replicas %d; want %d, %d", replicas, f.Stream.MaxBytes, f.Stream.Replicas, want, max(replicas, 1))
		}
	}
}
