package domain

import (
	"fmt"
	"time"
)

// RetryPolicy bounds how often and how patiently a disclosure is tried.
type RetryPolicy struct {
	MaxAttempts    int           // including the first; at least 1
	InitialBackoff time.Duration // wait after the first failure
	MaxBackoff     time.Duration // the backoff never grows beyond this
	// MaxRetryAfter bounds how far a partner's Retry-After may stretch one wait. It may
	// exceed MaxBackoff: a partner that asks for an hour must not be posted to every few
	// minutes. But a wait holds the disclosure in the share stream, which drops what outlives
	// its MaxAge (7 days by default) without a dead letter, so an absurd value must not park
	// it there: at most LongestRetryAfter. Zero in
	// a policy: Retry-After never lengthens a wait; the worker's configuration turns zero
	// into DefaultMaxRetryAfter.
	MaxRetryAfter time.Duration
}

// LongestRetryAfter bounds MaxRetryAfter: the default 8 attempts, each waiting it, end as a
// dead letter (where a manager sees it) within half the share stream's default 7-day MaxAge,
// before the stream would drop the disclosure unseen.
const LongestRetryAfter = 12 * time.Hour

// DefaultMaxRetryAfter honours the usual rate-limit and maintenance windows, while even
// the default 8 attempts, each waiting the whole cap, end in a dead letter within hours,
// far inside the share stream's 7-day MaxAge.
const DefaultMaxRetryAfter = time.Hour

// Why a retry waits as long as it does: a closed list, fit for a metric label.
const (
	WaitBackoff          = "backoff"            // the policy's backoff; no longer Retry-After came
	WaitRetryAfter       = "retry_after"        // the partner's Retry-After, longer than the backoff
	WaitRetryAfterCapped = "retry_after_capped" // the partner asked for more than MaxRetryAfter
)

// Validate refuses a policy that would retry forever or never wait.
func (p RetryPolicy) Validate() error {
	if p.MaxAttempts < 1 {
		return fmt.Errorf("retry: max attempts %d, need at least 1", p.MaxAttempts)
	}
	if p.InitialBackoff <= 0 || p.MaxBackoff < p.InitialBackoff {
		return fmt.Errorf("retry: backoff %s..%s, need 0 < initial <= max", p.InitialBackoff, p.MaxBackoff)
	}
	if p.MaxRetryAfter < 0 {
		return fmt.Errorf("retry: max retry-after %s, need 0 or more", p.MaxRetryAfter)
	}
	if p.MaxRetryAfter > LongestRetryAfter {
		return fmt.Errorf("retry: max retry-after %s, at most %s: the share stream drops a disclosure kept waiting too long, unseen", p.MaxRetryAfter, LongestRetryAfter)
	}
	return nil
}

// Backoff is the wait after failed attempt n (1-based): initial, doubling, capped at max.
func (p RetryPolicy) Backoff(n int) time.Duration {
	d := p.InitialBackoff
	for i := 1; i < n && d < p.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, p.MaxBackoff)
}

// Wait is the wait after failed attempt n whose answer was r, decided at now, and why: the
// backoff, or the partner's Retry-After when that is longer, up to MaxRetryAfter.
func (p RetryPolicy) Wait(n int, r Result, now time.Time) (time.Duration, string) {
	backoff := p.Backoff(n)
	asked, ok := r.RetryAfter.Asked(now)
	switch wait := min(asked, p.MaxRetryAfter); {
	case !ok || wait <= backoff:
		return backoff, WaitBackoff
	case asked > wait:
		return wait, WaitRetryAfterCapped
	default:
		return wait, WaitRetryAfter
	}
}

// JitteredWait is Wait with a backoff spread by spread, in [0, 1), over the backoff's upper
// half ("equal jitter"): disclosures that failed together, in a partner's outage, do not all
// come back at the same instant when it recovers, and none waits less than half the backoff,
// nor less than a shorter Retry-After the partner sent. A wait the partner's Retry-After set
// is kept as it is.
func (p RetryPolicy) JitteredWait(n int, r Result, now time.Time, spread float64) (time.Duration, string) {
	wait, why := p.Wait(n, r, now)
	if why != WaitBackoff {
		return wait, why
	}
	spread = min(max(spread, 0), 1)
	jittered := wait - wait/2 + time.Duration(float64(wait/2)*spread)
	if asked, ok := r.RetryAfter.Asked(now); ok {
		jittered = max(jittered, min(asked, p.MaxRetryAfter))
	}
	return min(jittered, wait), why
}

// Exhausted reports whether attempt n was the last one allowed.
func (p RetryPolicy) Exhausted(n int) bool { return n >= p.MaxAttempts }
