// Package app holds the delivery use cases: deliver one disclosure from the stream, list
// the dead letters, retry one by hand.
package app

import (
	"context"
	"net/http"
	"time"

	"casework.dev/services/delivery/internal/domain"
)

// Store keeps the attempt log and the dead-letter list.
type Store interface {
	// Delivered reports whether a 2xx attempt is recorded for the disclosure and partner.
	Delivered(ctx context.Context, partner, disclosureID string) (bool, error)
	// Attempts counts the recorded attempts.
	Attempts(ctx context.Context, partner, disclosureID string) (int, error)
	// RecordAttempt logs one attempt; ErrConflict when its number is already taken.
	RecordAttempt(ctx context.Context, a domain.Attempt) error
	// RecordLastAttempt logs the last attempt and dead-letters the disclosure together.
	RecordLastAttempt(ctx context.Context, a domain.Attempt, dl domain.DeadLetter) error
	// RecordRetry logs a manual attempt and, on success, resolves the dead letter (clearing
	// its body), else updates its reason and count.
	RecordRetry(ctx context.Context, a domain.Attempt, deadLetterID string, delivered bool, reason string) (domain.DeadLetter, error)
	// ClaimRetry reserves an open dead letter for one manual retry; false when another
	// retry holds it (a claim older than lease is abandoned). RecordRetry releases it.
	ClaimRetry(ctx context.Context, deadLetterID, by string, now time.Time, lease time.Duration) (bool, error)
	DeadLetter(ctx context.Context, id string) (domain.DeadLetter, error)
	DeadLetters(ctx context.Context, f Filter) ([]domain.DeadLetter, error)
}

// Poster sends one signed request to a partner.
type Poster interface {
	Post(ctx context.Context, url string, headers http.Header, body []byte) domain.Result
}

// Filter selects dead letters.
type Filter struct {
	Partner  string
	Services []string // the services whose disclosures the caller may see; nil: all
	Resolved *bool    // nil: both
	Limit    int
}
