package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"casework.dev/services/delivery/internal/domain"
)

// DeadLetters lists dead letters, newest first, without their bodies.
func (s *Service) DeadLetters(ctx context.Context, f Filter) ([]domain.DeadLetter, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	return s.store.DeadLetters(ctx, f)
}

// RetryResult is a manual retry's outcome.
type RetryResult struct {
	DeadLetter domain.DeadLetter `json:"dead_letter"`
	Attempt    domain.Attempt    `json:"attempt"`
	Delivered  bool              `json:"delivered"`
}

// retryLease is how long a manual retry's claim holds: longer than one post can take.
const retryLease = 2 * time.Minute

// RetryDeadLetter makes one more attempt, by hand, after the partner's endpoint has been
// fixed. Success resolves the dead letter (and clears the body it kept); failure keeps it
// open with the new reason.
func (s *Service) RetryDeadLetter(ctx context.Context, user, id string, services []string) (RetryResult, error) {
	dl, err := s.store.DeadLetter(ctx, id)
	if err != nil {
		return RetryResult{}, err
	}
	if services != nil && !slices.Contains(services, dl.Service()) {
		return RetryResult{}, domain.ErrNotFound // another service's disclosure: not the caller's to see
	}
	if dl.ResolvedAt != nil {
		return RetryResult{}, fmt.Errorf("%w: on %s by %s", domain.ErrResolved, dl.ResolvedAt.Format("2006-01-02 15:04:05Z07:00"), dl.ResolvedBy)
	}
	p, ok := s.partners[dl.Partner]
	if !ok {
		return RetryResult{}, fmt.Errorf("%w: %s", domain.ErrUnknownPartner, dl.Partner)
	}
	// Claimed before posting: a second retry meanwhile is refused, never sent twice.
	claimed, err := s.store.ClaimRetry(ctx, dl.ID, user, s.now(), retryLease)
	if err != nil {
		return RetryResult{}, err
	}
	if !claimed {
		return RetryResult{}, fmt.Errorf("dead letter %s: %w", dl.ID, domain.ErrConflict)
	}
	n, err := s.store.Attempts(ctx, p.ID, dl.DisclosureID)
	if err != nil {
		return RetryResult{}, err
	}
	d := domain.Disclosure{ID: dl.DisclosureID, Partner: p.ID, Subject: dl.Subject, Body: dl.Body}
	result, at := s.post(ctx, p, d)
	a := domain.NewAttempt(d, p, n+1, result, domain.TriggerRetry(user), at)
	reason := ""
	if !result.Delivered() {
		reason = fmt.Sprintf("manual retry by %s failed at attempt %d: %s", user, n+1, result.Reason())
	}
	updated, err := s.store.RecordRetry(ctx, a, dl.ID, result.Delivered(), reason)
	if err != nil {
		return RetryResult{}, err
	}
	return RetryResult{DeadLetter: updated, Attempt: a, Delivered: result.Delivered()}, nil
}
