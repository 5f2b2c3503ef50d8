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
	// DeadLettered reports whether the partner's disclosure has a dead letter, whatever its state.
	DeadLettered(ctx context.Context, partner, disclosureID string) (bool, error)
	// Attempts counts the recorded attempts.
	Attempts(ctx context.Context, partner, disclosureID string) (int, error)
	// RecordAttempt logs one attempt; ErrConflict when its number is already taken.
	RecordAttempt(ctx context.Context, a domain.Attempt) error
	// RecordLastAttempt logs the last attempt and dead-letters the disclosure together.
	RecordLastAttempt(ctx context.Context, a domain.Attempt, dl domain.DeadLetter) error
	// RecordRetry logs a manual attempt made under claim and releases the claim. Delivered,
	// it resolves the dead letter (erasing its body, recorded as delivered unless already
	// recorded erased: a claim whose lease ran out may have lost its dead letter to a
	// discard or the sweep, and the delivery is still a fact); failed, it updates the
	// reason and count of a dead letter still open.
	RecordRetry(ctx context.Context, a domain.Attempt, deadLetterID string, claim Claim, delivered bool, reason string) (domain.DeadLetter, error)
	// ClaimRetry reserves an open dead letter (not resolved, its body held and not erased),
	// dead-lettered after heldAfter, for one manual retry by by, and returns the claim with
	// the body as it was claimed; false when another retry holds it (a claim older than
	// lease is abandoned) or it is not open any more. Discard and the sweep leave a claimed
	// dead letter alone; RecordRetry releases it.
	ClaimRetry(ctx context.Context, deadLetterID, by string, now time.Time, lease time.Duration, heldAfter time.Time) (Claim, bool, error)
	// ReleaseRetry lets go of claim, for a retry that ends without RecordRetry, only while
	// the dead letter is still held by that very claim (who and when); false otherwise.
	ReleaseRetry(ctx context.Context, deadLetterID string, claim Claim) (bool, error)
	// DiscardBody erases the body of an open dead letter that no retry holds (a claim made
	// before claimsBefore is abandoned), recorded as discarded by by at at; false, changing
	// nothing, when it is not open or a retry holds it. ErrNotFound for no such id.
	DiscardBody(ctx context.Context, deadLetterID, by string, at, claimsBefore time.Time) (domain.DeadLetter, bool, error)
	// MarkStale records that the Article 19 notice noticeID made the partner's disclosure
	// disclosureID stale, and erases, recorded as erasure kind article19, the body of the
	// partner's open dead letter of it that no retry holds, together.
	MarkStale(ctx context.Context, partner, disclosureID, noticeID string, at, claimsBefore time.Time) error
	// StaleNotice is the notice that made the partner's disclosure stale; false when none did.
	StaleNotice(ctx context.Context, partner, disclosureID string) (noticeID string, stale bool, err error)
	// Withdraw dead-letters a stale disclosure never posted, its body erased as article19 by
	// by; one dead-lettered already stays as it is.
	Withdraw(ctx context.Context, dl domain.DeadLetter, by string) error
	// EraseExpiredBodies erases at most batch bodies of open dead letters dead-lettered at
	// or before cutoff that no retry holds (a claim made before claimsBefore is abandoned),
	// recorded as erased by the retention sweep at at; it returns how many.
	EraseExpiredBodies(ctx context.Context, cutoff, at, claimsBefore time.Time, batch int) (int, error)
	DeadLetter(ctx context.Context, id string) (domain.DeadLetter, error)
	DeadLetters(ctx context.Context, f Filter) ([]domain.DeadLetter, error)
}

// Poster sends one signed request to a partner.
type Poster interface {
	Post(ctx context.Context, url string, headers http.Header, body []byte) domain.Result
}

// Claim is a manual retry's hold on a dead letter: who took it, when (as stored), and the
// body as it was then.
type Claim struct {
	By   string
	At   time.Time
	Body []byte
}

// Filter selects dead letters.
type Filter struct {
	Partner  string
	Services []string // the services whose disclosures the caller may see; nil: all
	// States are the states (domain.StateOpen, ...) to list; nil: every one. An open dead
	// letter dead-lettered at or before ExpiredFrom counts as expired.
	States      []string
	ExpiredFrom time.Time
	Limit       int
}
