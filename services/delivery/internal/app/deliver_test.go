package app

import (
	"context"
	"net/http"
	"testing"
	"time"

	"casework.dev/pkg/webhook"
	"casework.dev/services/delivery/internal/domain"
)

// logStore is an attempt log in memory: what Deliver reads and writes for a disclosure
// that fails; the rest of Store is not called.
type logStore struct {
	Store
	attempts int
}

func (s *logStore) Delivered(context.Context, string, string) (bool, error)    { return false, nil }
func (s *logStore) DeadLettered(context.Context, string, string) (bool, error) { return false, nil }
func (s *logStore) Attempts(context.Context, string, string) (int, error)      { return s.attempts, nil }
func (s *logStore) StaleNotice(context.Context, string, string) (string, bool, error) {
	return "", false, nil
}
func (s *logStore) RecordAttempt(context.Context, domain.Attempt) error { s.attempts++; return nil }

type statusPoster int

func (p statusPoster) Post(context.Context, string, http.Header, []byte) domain.Result {
	return domain.Result{StatusCode: int(p)}
}

// The wait before a failed disclosure comes back is spread over the backoff's upper half, so
// a partner's outage does not bring every disclosure back at the same instant.
func TestDeliverSpreadsTheBackoff(t *testing.T) {
	secret, err := webhook.NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	policy := domain.RetryPolicy{MaxAttempts: 8, InitialBackoff: 2 * time.Second, MaxBackoff: time.Minute}
	for _, c := range []struct {
		spread float64
		want   time.Duration
	}{{0, time.Second}, {0.5, 1500 * time.Millisecond}, {0.75, 1750 * time.Millisecond}} {
		s, err := NewService(&logStore{}, statusPoster(http.StatusServiceUnavailable),
			[]domain.Partner{{ID: "lgo", URL: "https://lgo.example/hooks", Secret: secret}}, policy, time.Hour,
			time.Now, func() string { return "id" })
		if err != nil {
			t.Fatal(err)
		}
		s.jitter = func() float64 { return c.spread }
		out, err := s.Deliver(t.Context(), domain.Disclosure{ID: "d-1", Partner: "lgo", Subject: "share.lgo.complaints.referral", Body: []byte("{}")})
		if err != nil {
			t.Fatal(err)
		}
		if out.Verdict != RetryLater || out.Delay != c.want || out.WaitReason != domain.WaitBackoff {
			t.Errorf("spread %v: %+v, want a retry after %s (backoff)", c.spread, out, c.want)
		}
	}
}
