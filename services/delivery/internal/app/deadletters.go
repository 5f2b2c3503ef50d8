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
	items, err := s.store.DeadLetters(ctx, f)
	if err != nil {
		return nil, err
	}
	for i := range items {
		items[i] = items[i].WithRetention(s.retention)
	}
	return items, nil
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
// open with the new reason. A dead letter whose body is erased (discarded, or by the
// retention sweep) or older than the retention is refused (ErrDiscloseAgain): its content
// may be stale, so only the source service may disclose again, re-checking its notice,
// consent and restrictions.
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
	now := s.now()
	if err := dl.CheckResendable(now, s.retention); err != nil {
		return RetryResult{}, err
	}
	p, ok := s.partners[dl.Partner]
	if !ok {
		return RetryResult{}, fmt.Errorf("%w: %s", domain.ErrUnknownPartner, dl.Partner)
	}
	// Claimed before posting, with the body as it is then: a second retry meanwhile is
	// refused, never sent twice, and a body discarded or swept since it was read is not sent.
	body, claimed, err := s.store.ClaimRetry(ctx, dl.ID, user, now, retryLease, now.Add(-s.retention))
	if err != nil {
		return RetryResult{}, err
	}
	if !claimed {
		return RetryResult{}, s.claimRefused(ctx, dl.ID, now)
	}
	dl.Body = body
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
	return RetryResult{DeadLetter: updated.WithRetention(s.retention), Attempt: a, Delivered: result.Delivered()}, nil
}

// claimRefused says why a claim was refused: the dead letter changed since it was read
// (resolved, its body erased), else another retry holds it.
func (s *Service) claimRefused(ctx context.Context, id string, now time.Time) error {
	dl, err := s.store.DeadLetter(ctx, id)
	if err != nil {
		return err
	}
	if dl.ResolvedAt != nil {
		return fmt.Errorf("%w: on %s by %s", domain.ErrResolved, dl.ResolvedAt.Format("2006-01-02 15:04:05Z07:00"), dl.ResolvedBy)
	}
	if err := dl.CheckResendable(now, s.retention); err != nil {
		return err
	}
	return fmt.Errorf("dead letter %s: %w", dl.ID, domain.ErrConflict)
}

// DiscardDeadLetter erases a dead letter's body at once, for a manager who knows it must not
// be sent (or need not wait for the retention): the metadata stays, the erasure is recorded
// (who, when) and a later retry is refused. Discarding again changes nothing and answers the
// dead letter as it is, with the first erasure's record.
func (s *Service) DiscardDeadLetter(ctx context.Context, user, id string, services []string) (domain.DeadLetter, error) {
	dl, err := s.store.DeadLetter(ctx, id)
	if err != nil {
		return domain.DeadLetter{}, err
	}
	if services != nil && !slices.Contains(services, dl.Service()) {
		return domain.DeadLetter{}, domain.ErrNotFound // another service's disclosure: not the caller's to see
	}
	if dl.BodyHeld {
		if dl, err = s.store.DiscardBody(ctx, dl.ID, user, s.now()); err != nil {
			return domain.DeadLetter{}, err
		}
	}
	dl.Body = nil
	return dl.WithRetention(s.retention), nil
}

// SweepDeadLetterBodies erases the bodies of at most batch dead letters that have been kept
// for the retention since delivery gave up, keeping their metadata; it returns how many.
func (s *Service) SweepDeadLetterBodies(ctx context.Context, batch int) (int, error) {
	if batch <= 0 {
		batch = 200
	}
	now := s.now()
	return s.store.EraseExpiredBodies(ctx, now.Add(-s.retention), now, batch)
}
