// Package app holds the delivery use cases: deliver one disclosure from the stream, list
// the dead letters, retry one by hand, discard one's content, erase content past retention.
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
	// RecordRetry logs a manual attempt and, on success, resolves the dead letter (erasing
	// its body, recorded as delivered unless already recorded erased), else updates its
	// reason and count.
	RecordRetry(ctx context.Context, a domain.Attempt, deadLetterID string, delivered bool, reason string) (domain.DeadLetter, error)
	// ClaimRetry reserves an open dead letter that still holds its body, dead-lettered after
	// heldAfter, for one manual retry, and returns the body as it was claimed; false when
	// another retry holds it (a claim older than lease is abandoned) or there is no such
	// dead letter any more. RecordRetry releases it.
	ClaimRetry(ctx context.Context, deadLetterID, by string, now time.Time, lease time.Duration, heldAfter time.Time) ([]byte, bool, error)
	// DiscardBody erases the dead letter's body now, recorded as discarded by by at at; a
	// body already erased stays erased with its first record. ErrNotFound for no such id.
	DiscardBody(ctx context.Context, deadLetterID, by string, at time.Time) (domain.DeadLetter, error)
	// EraseExpiredBodies erases at most batch bodies of dead letters dead-lettered at or
	// before cutoff, recorded as erased by the retention sweep at at; it returns how many.
	EraseExpiredBodies(ctx context.Context, cutoff, at time.Time, batch int) (int, error)
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
