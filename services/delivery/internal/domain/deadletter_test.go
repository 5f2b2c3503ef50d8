package domain_test

import (
	"slices"
	"testing"
	"time"

	"casework.dev/services/delivery/internal/domain"
)

// TestDeadLetterStates: a dead letter is open only while unresolved, its body not erased and
// within the retention; past the retention it is expired even before the sweep runs.
func TestDeadLetterStates(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	const retention = 30 * 24 * time.Hour
	at := t0.Add(time.Hour)
	open := domain.DeadLetter{ID: "x", DeadLetteredAt: t0, BodyHeld: true}
	cases := []struct {
		name string
		dl   domain.DeadLetter
		now  time.Time
		want string
	}{
		{"held, within the retention", open, t0.Add(retention - time.Second), domain.StateOpen},
		{"held, the retention ran out", open, t0.Add(retention), domain.StateExpired},
		{"swept", domain.DeadLetter{DeadLetteredAt: t0, BodyErasedAt: &at, BodyErasure: domain.ErasureRetention}, at, domain.StateExpired},
		{"discarded", domain.DeadLetter{DeadLetteredAt: t0, BodyErasedAt: &at, BodyErasure: domain.ErasureDiscarded}, at, domain.StateDiscarded},
		{"delivered by a retry", domain.DeadLetter{DeadLetteredAt: t0, ResolvedAt: &at, BodyErasedAt: &at, BodyErasure: domain.ErasureDelivered}, at, domain.StateRedelivered},
		// A row an old race left resolved but recorded discarded: it was delivered.
		{"delivered, recorded discarded", domain.DeadLetter{DeadLetteredAt: t0, ResolvedAt: &at, BodyErasedAt: &at, BodyErasure: domain.ErasureDiscarded}, at, domain.StateRedelivered},
	}
	for _, c := range cases {
		if got := c.dl.StateAt(c.now, retention); got != c.want {
			t.Errorf("%s: state %s, want %s", c.name, got, c.want)
		}
		if got := c.dl.AsOf(c.now, retention).State; got != c.want {
			t.Errorf("%s: AsOf state %s, want %s", c.name, got, c.want)
		}
	}
}

func TestListStatuses(t *testing.T) {
	for status, want := range map[string][]string{
		"":            {"open"},
		"open":        {"open"},
		"closed":      {"redelivered", "discarded", "expired"},
		"all":         {"open", "redelivered", "discarded", "expired"},
		"redelivered": {"redelivered"},
		"resolved":    {"redelivered"},
		"discarded":   {"discarded"},
		"expired":     {"expired"},
	} {
		if got, ok := domain.ListStatuses(status); !ok || !slices.Equal(got, want) {
			t.Errorf("status %q: %v %v, want %v", status, got, ok, want)
		}
	}
	for _, bad := range []string{"lost", "OPEN", "open,closed", " open"} {
		if got, ok := domain.ListStatuses(bad); ok {
			t.Errorf("status %q accepted as %v", bad, got)
		}
	}
}
