package domain

import (
	"fmt"
	"time"
)

// RetryPolicy bounds how often and how patiently a disclosure is tried.
type RetryPolicy struct {
	MaxAttempts    int           // including the first; at least 1
	InitialBackoff time.Duration // wait after the first failure
	MaxBackoff     time.Duration // the wait never grows beyond this
}

// Validate refuses a policy that would retry forever or never wait.
func (p RetryPolicy) Validate() error {
	if p.MaxAttempts < 1 {
		return fmt.Errorf("retry: max attempts %d, need at least 1", p.MaxAttempts)
	}
	if p.InitialBackoff <= 0 || p.MaxBackoff < p.InitialBackoff {
		return fmt.Errorf("retry: backoff %s..%s, need 0 < initial <= max", p.InitialBackoff, p.MaxBackoff)
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

// Exhausted reports whether attempt n was the last one allowed.
func (p RetryPolicy) Exhausted(n int) bool { return n >= p.MaxAttempts }
