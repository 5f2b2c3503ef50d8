package domain

import (
	"fmt"
	"time"
)

// Result is what one HTTP attempt got back. StatusCode is 0 when no response came.
type Result struct {
	StatusCode int
	Err        string // transport error; a non-2xx reply is known by its status alone
	Duration   time.Duration
	RetryAfter RetryAfter // the partner's Retry-After on a failed answer; zero when none was usable
}

// RetryAfter is how long a partner asked to be left alone (RFC 9110 section 10.2.3): a
// delay in seconds, or a date. A date is kept as sent and read against the service's clock
// when the wait is decided, so the adapter that parsed it needs no clock.
type RetryAfter struct {
	Delay time.Duration // delay-seconds form
	At    time.Time     // HTTP-date form; zero when the delay form was sent
}

// Asked is how long from now the partner asked to wait; false when it asked nothing, or
// only for a moment already past.
func (r RetryAfter) Asked(now time.Time) (time.Duration, bool) {
	d := r.Delay
	if !r.At.IsZero() {
		d = r.At.Sub(now)
	}
	return d, d > 0
}

// Delivered reports whether the partner accepted the disclosure (any 2xx).
func (r Result) Delivered() bool { return r.StatusCode >= 200 && r.StatusCode <= 299 }

// Permanent reports whether the partner refused the disclosure in a way posting the same
// bytes again cannot change: a malformed or unprocessable request (400, 413, 415, 422), or
// an endpoint that is not there (404, 405) or gone for good (410). Such a disclosure is
// dead-lettered at once, not posted again and again. Every other failure is retried: a
// 5xx, no answer, 408, 425 and 429 (the partner asks for time), and 401 and 403 (a secret
// being rotated, or a clock out of step, heal without anyone).
func (r Result) Permanent() bool {
	switch r.StatusCode {
	case 400, 404, 405, 410, 413, 415, 422:
		return true
	}
	return false
}

// Reason says in words why an attempt failed, for the log and the dead-letter list.
func (r Result) Reason() string {
	switch {
	case r.Delivered():
		return ""
	case r.StatusCode == 0:
		return "no response: " + r.Err
	case r.Err == "":
		return fmt.Sprintf("HTTP %d", r.StatusCode)
	default:
		return fmt.Sprintf("HTTP %d: %s", r.StatusCode, r.Err)
	}
}

// Trigger names what started an attempt.
const TriggerStream = "stream"

// TriggerRetry is the trigger of a manual retry by user.
func TriggerRetry(user string) string { return "retry:" + user }

// Attempt is one logged try.
type Attempt struct {
	DisclosureID string    `json:"disclosure_id"`
	Partner      string    `json:"partner"`
	Number       int       `json:"attempt"`
	Subject      string    `json:"subject"`
	URL          string    `json:"url"`
	StatusCode   int       `json:"status_code,omitempty"`
	Error        string    `json:"error,omitempty"`
	DurationMS   int       `json:"duration_ms"`
	TriggeredBy  string    `json:"triggered_by"`
	AttemptedAt  time.Time `json:"attempted_at"`
}

// NewAttempt records result as attempt number n of d to p.
func NewAttempt(d Disclosure, p Partner, n int, r Result, trigger string, at time.Time) Attempt {
	return Attempt{DisclosureID: d.ID, Partner: p.ID, Number: n, Subject: d.Subject, URL: p.URL,
		StatusCode: r.StatusCode, Error: r.Reason(), DurationMS: int(r.Duration.Milliseconds()),
		TriggeredBy: trigger, AttemptedAt: at.UTC()}
}
