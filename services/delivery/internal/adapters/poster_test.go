package adapters

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"casework.dev/services/delivery/internal/domain"
)

// The header's value in each form RFC 9110 allows, and what is ignored, as the wait it
// comes to under a 10 ms..50 ms policy with the default cap, at now.
func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	policy := domain.RetryPolicy{MaxAttempts: 5, InitialBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
		MaxRetryAfter: domain.DefaultMaxRetryAfter}
	cases := []struct {
		name, value string
		wait        time.Duration
		why         string
	}{
		{"seconds", "3", 3 * time.Second, domain.WaitRetryAfter},
		{"seconds, spaced", " 120 ", 2 * time.Minute, domain.WaitRetryAfter},
		{"zero", "0", 10 * time.Millisecond, domain.WaitBackoff},
		{"IMF-fixdate", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, domain.WaitRetryAfter},
		{"RFC 850 date", "Monday, 02-Mar-26 10:05:00 GMT", 5 * time.Minute, domain.WaitRetryAfter},
		{"asctime date", "Mon Mar  2 10:00:30 2026", 30 * time.Second, domain.WaitRetryAfter},
		{"date past", now.Add(-time.Hour).Format(http.TimeFormat), 10 * time.Millisecond, domain.WaitBackoff},
		{"absent", "", 10 * time.Millisecond, domain.WaitBackoff},
		{"garbage", "soon", 10 * time.Millisecond, domain.WaitBackoff},
		{"fraction", "1.5", 10 * time.Millisecond, domain.WaitBackoff},
		{"negative", "-5", 10 * time.Millisecond, domain.WaitBackoff},
		{"signed", "+5", 10 * time.Millisecond, domain.WaitBackoff},
		{"a year", "31536000", domain.DefaultMaxRetryAfter, domain.WaitRetryAfterCapped},
		{"beyond int64 seconds", "99999999999999999999999", domain.DefaultMaxRetryAfter, domain.WaitRetryAfterCapped},
		{"beyond Duration", "9300000000", domain.DefaultMaxRetryAfter, domain.WaitRetryAfterCapped},
		{"a date next year", now.AddDate(1, 0, 0).Format(http.TimeFormat), domain.DefaultMaxRetryAfter, domain.WaitRetryAfterCapped},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := domain.Result{StatusCode: http.StatusTooManyRequests, RetryAfter: parseRetryAfter(c.value)}
			if wait, why := policy.Wait(1, r, now); wait != c.wait || why != c.why {
				t.Errorf("Retry-After %q: wait %s (%s), want %s (%s)", c.value, wait, why, c.wait, c.why)
			}
		})
	}
}

// The poster reads Retry-After from a failed answer only: a 2xx is delivered, nothing waits.
func TestPosterReadsRetryAfterOfFailedAnswers(t *testing.T) {
	status := http.StatusServiceUnavailable
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	p := NewHTTPPoster(5 * time.Second)
	if r := p.Post(context.Background(), srv.URL, http.Header{}, []byte("{}")); r.StatusCode != 503 || r.RetryAfter.Delay != 7*time.Second {
		t.Errorf("503: %+v, want a 7 s Retry-After", r)
	}
	status = http.StatusOK
	if r := p.Post(context.Background(), srv.URL, http.Header{}, []byte("{}")); r.StatusCode != 200 || r.RetryAfter != (domain.RetryAfter{}) {
		t.Errorf("200: %+v, want no Retry-After", r)
	}
}
