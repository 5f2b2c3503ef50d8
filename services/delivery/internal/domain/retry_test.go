package domain_test

import (
	"testing"
	"time"

	"casework.dev/services/delivery/internal/domain"
)

func TestBackoffDoublesUpToTheCap(t *testing.T) {
	p := domain.RetryPolicy{MaxAttempts: 8, InitialBackoff: time.Second, MaxBackoff: 10 * time.Second}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
	for i, w := range want {
		if got := p.Backoff(i + 1); got != w {
			t.Errorf("backoff after attempt %d = %s, want %s", i+1, got, w)
		}
	}
	if p.Exhausted(7) || !p.Exhausted(8) {
		t.Errorf("exhausted: 7=%v 8=%v, want false true", p.Exhausted(7), p.Exhausted(8))
	}
}

func TestPolicyAndPartnerValidation(t *testing.T) {
	if err := (domain.RetryPolicy{MaxAttempts: 0, InitialBackoff: time.Second, MaxBackoff: time.Second}).Validate(); err == nil {
		t.Error("zero attempts accepted")
	}
	if err := (domain.RetryPolicy{MaxAttempts: 3, InitialBackoff: time.Minute, MaxBackoff: time.Second}).Validate(); err == nil {
		t.Error("max below initial accepted")
	}
	ok := domain.Partner{ID: "goodwin-pest-management", URL: "https://hooks.example/casework", Secret: "whsec_x"}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid partner refused: %v", err)
	}
	for _, local := range []string{"http://127.0.0.1:8089/hooks/lgo", "http://localhost:9000/h", "http://[::1]:9000/h"} {
		if err := (domain.Partner{ID: "lgo", URL: local, Secret: "whsec_x"}).Validate(); err != nil {
			t.Errorf("loopback receiver %s refused: %v", local, err)
		}
	}
	for _, bad := range []domain.Partner{
		// Plain http to another host would send personal data unencrypted.
		{ID: "lgo", URL: "http://hooks.example/casework", Secret: "s"},
		{ID: "lgo", URL: "http://10.0.0.7:8080/casework", Secret: "s"},
		{ID: "lgo", URL: "http://localhost.hooks.example/casework", Secret: "s"},
		{ID: "lgo.all", URL: ok.URL, Secret: "s"},
		{ID: "lgo", URL: "ftp://x", Secret: "s"},
		{ID: "lgo", URL: "/relative", Secret: "s"},
		{ID: "lgo", URL: ok.URL},
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("partner %+v accepted", bad)
		}
	}
}

func TestReasons(t *testing.T) {
	cases := map[string]domain.Result{
		"HTTP 500: boom":            {StatusCode: 500, Err: "boom"},
		"HTTP 404":                  {StatusCode: 404},
		"no response: dial refused": {Err: "dial refused"},
		"":                          {StatusCode: 204},
	}
	for want, r := range cases {
		if got := r.Reason(); got != want {
			t.Errorf("reason %q, want %q", got, want)
		}
	}
	if got := domain.DeadLetterReason(3, domain.Result{StatusCode: 503}); got != "gave up after 3 attempts; last: HTTP 503" {
		t.Errorf("dead-letter reason %q", got)
	}
}

// The wait after a failure is the longer of the backoff and the partner's Retry-After, which
// may exceed MaxBackoff but not MaxRetryAfter; a date counts from now, the service's clock.
func TestWaitHonoursRetryAfterUpToItsCap(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	p := domain.RetryPolicy{MaxAttempts: 8, InitialBackoff: 2 * time.Second, MaxBackoff: 10 * time.Minute, MaxRetryAfter: time.Hour}
	asked := func(d time.Duration) domain.Result {
		return domain.Result{StatusCode: 429, RetryAfter: domain.RetryAfter{Delay: d}}
	}
	cases := []struct {
		name string
		n    int
		r    domain.Result
		wait time.Duration
		why  string
	}{
		{"none", 1, domain.Result{StatusCode: 500}, 2 * time.Second, domain.WaitBackoff},
		{"shorter than the backoff", 3, asked(time.Second), 8 * time.Second, domain.WaitBackoff},
		{"longer than the backoff", 1, asked(30 * time.Second), 30 * time.Second, domain.WaitRetryAfter},
		{"beyond MaxBackoff", 1, asked(45 * time.Minute), 45 * time.Minute, domain.WaitRetryAfter},
		{"beyond the cap", 1, asked(365 * 24 * time.Hour), time.Hour, domain.WaitRetryAfterCapped},
		{"date", 1, domain.Result{StatusCode: 503, RetryAfter: domain.RetryAfter{At: now.Add(20 * time.Minute)}}, 20 * time.Minute, domain.WaitRetryAfter},
		{"date past", 1, domain.Result{StatusCode: 503, RetryAfter: domain.RetryAfter{At: now.Add(-time.Minute)}}, 2 * time.Second, domain.WaitBackoff},
	}
	for _, c := range cases {
		if wait, why := p.Wait(c.n, c.r, now); wait != c.wait || why != c.why {
			t.Errorf("%s: wait %s (%s), want %s (%s)", c.name, wait, why, c.wait, c.why)
		}
	}
	p.MaxRetryAfter = 0 // not honoured at all
	if wait, why := p.Wait(1, asked(time.Minute), now); wait != 2*time.Second || why != domain.WaitBackoff {
		t.Errorf("no cap: wait %s (%s), want the backoff", wait, why)
	}
	p.MaxRetryAfter = -time.Second
	if err := p.Validate(); err == nil {
		t.Error("negative max retry-after accepted")
	}
	// Eight attempts each waiting two days would outlive the share stream's seven: refused,
	// so a disclosure never leaves the stream unseen instead of becoming a dead letter.
	p.MaxRetryAfter = 48 * time.Hour
	if err := p.Validate(); err == nil {
		t.Error("a cap that outlives the stream accepted")
	}
	p.MaxRetryAfter = domain.LongestRetryAfter
	if err := p.Validate(); err != nil {
		t.Errorf("the longest cap: %v", err)
	}
}

// A backoff is spread over its upper half, so disclosures that failed together in a
// partner's outage do not all come back at once; it never falls below a shorter
// Retry-After, and a wait the partner's Retry-After set is not spread.
func TestJitteredWaitSpreadsTheBackoff(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	p := domain.RetryPolicy{MaxAttempts: 8, InitialBackoff: 2 * time.Second, MaxBackoff: 10 * time.Minute, MaxRetryAfter: time.Hour}
	failed := domain.Result{StatusCode: 503}
	cases := []struct {
		name   string
		n      int
		r      domain.Result
		spread float64
		wait   time.Duration
		why    string
	}{
		{"least", 3, failed, 0, 4 * time.Second, domain.WaitBackoff},
		{"middle", 3, failed, 0.5, 6 * time.Second, domain.WaitBackoff},
		{"most", 3, failed, 0.999, 7996 * time.Millisecond, domain.WaitBackoff},
		{"out of range", 3, failed, 7, 8 * time.Second, domain.WaitBackoff},
		{"never below a shorter Retry-After", 3, domain.Result{StatusCode: 429, RetryAfter: domain.RetryAfter{Delay: 5 * time.Second}}, 0,
			5 * time.Second, domain.WaitBackoff},
		{"Retry-After kept", 1, domain.Result{StatusCode: 429, RetryAfter: domain.RetryAfter{Delay: 30 * time.Second}}, 0,
			30 * time.Second, domain.WaitRetryAfter},
	}
	for _, c := range cases {
		if wait, why := p.JitteredWait(c.n, c.r, now, c.spread); wait != c.wait || why != c.why {
			t.Errorf("%s: wait %s (%s), want %s (%s)", c.name, wait, why, c.wait, c.why)
		}
	}
}
