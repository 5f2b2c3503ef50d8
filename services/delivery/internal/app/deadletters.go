package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"casework.dev/services/delivery/internal/domain"
)

// DeadLetters lists dead letters, newest first, without their bodies, each with its state
// as of now. The filter's States choose which (nil: all); an open dead letter past the
// retention counts as expired though the sweep has not erased its body yet.
func (s *Service) DeadLetters(ctx context.Context, f Filter) ([]domain.DeadLetter, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	now := s.now()
	f.ExpiredFrom = now.Add(-s.retention)
	items, err := s.store.DeadLetters(ctx, f)
	if err != nil {
		return nil, err
	}
	for i := range items {
		items[i] = items[i].AsOf(now, s.retention)
	}
	return items, nil
}

// RetryResult is a manual retry's outcome.
type RetryResult struct {
	DeadLetter domain.DeadLetter `json:"dead_letter"`
	Attempt    domain.Attempt    `json:"attempt"`
	Delivered  bool              `json:"delivered"`
}

// retryLease is how long a manual retry's claim holds: longer than one post can take (the
// retry's post and record are cut off at half of it), so while a retry runs neither a
// discard nor the retention sweep can take the dead letter from under it.
const retryLease = 2 * time.Minute

// RetryDeadLetter makes one more attempt, by hand, after the partner's endpoint has been
// fixed. Success resolves the dead letter (and clears the body it kept); failure keeps it
// open with the new reason. Only an open dead letter is retried: a redelivered one is
// refused (ErrResolved), and one whose body is erased (discarded, or by the retention sweep)
// or older than the retention too (ErrDiscloseAgain): its content may be stale, so only the
// source service may disclose again, re-checking its notice, consent and restrictions.
// Every refusal says the dead letter's state (domain.StateError).
func (s *Service) RetryDeadLetter(ctx context.Context, user, id string, services []string) (RetryResult, error) {
	dl, err := s.store.DeadLetter(ctx, id)
	if err != nil {
		return RetryResult{}, err
	}
	if services != nil && !slices.Contains(services, dl.Service()) {
		return RetryResult{}, domain.ErrNotFound // another service's disclosure: not the caller's to see
	}
	now := s.now()
	if err := s.retryRefusal(dl, now); err != nil {
		return RetryResult{}, err
	}
	p, ok := s.partners[dl.Partner]
	if !ok {
		return RetryResult{}, fmt.Errorf("%w: %s", domain.ErrUnknownPartner, dl.Partner)
	}
	// Claimed before posting, with the body as it is then, only while the dead letter is
	// open: a second retry meanwhile is refused, never sent twice; a body discarded or swept
	// since it was read is not sent; and a discard or the sweep meanwhile is refused.
	claim, claimed, err := s.store.ClaimRetry(ctx, dl.ID, user, now, retryLease, now.Add(-s.retention))
	if err != nil {
		return RetryResult{}, err
	}
	if !claimed {
		return RetryResult{}, s.claimRefused(ctx, dl.ID, now)
	}
	// From here the post may happen: finish and record it even if the caller goes away, and
	// well within the lease, so nothing else takes the dead letter while it is in flight.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), retryLease/2)
	defer cancel()
	dl.Body = claim.Body
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
	updated, err := s.store.RecordRetry(ctx, a, dl.ID, claim, result.Delivered(), reason)
	if err != nil {
		return RetryResult{}, err
	}
	return RetryResult{DeadLetter: updated.AsOf(s.now(), s.retention), Attempt: a, Delivered: result.Delivered()}, nil
}

// retryRefusal says why dl may not be retried at now, or nil when it is open.
func (s *Service) retryRefusal(dl domain.DeadLetter, now time.Time) error {
	state := dl.StateAt(now, s.retention)
	if state == domain.StateRedelivered {
		return domain.InState(state, fmt.Errorf("%w: delivered on %s by %s", domain.ErrResolved, stamp(dl.ResolvedAt), dl.ResolvedBy))
	}
	if err := dl.CheckResendable(now, s.retention); err != nil {
		return domain.InState(state, err)
	}
	return nil
}

// claimRefused says why a claim was refused: the dead letter changed since it was read
// (resolved, its body erased), else another retry holds it.
func (s *Service) claimRefused(ctx context.Context, id string, now time.Time) error {
	dl, err := s.store.DeadLetter(ctx, id)
	if err != nil {
		return err
	}
	if err := s.retryRefusal(dl, now); err != nil {
		return err
	}
	return domain.InState(dl.StateAt(now, s.retention), fmt.Errorf("dead letter %s: %w: a manual retry by %s has held it since %s",
		dl.ID, domain.ErrConflict, claimant(dl), stamp(dl.RetryClaimedAt)))
}

// DiscardDeadLetter erases an open dead letter's body at once, for a manager who knows it
// must not be sent (or need not wait for the retention): the metadata stays, the erasure is
// recorded (who, when) and a later retry is refused. Discarding one whose body is already
// erased (discarded, or by the sweep) changes nothing and answers it as it is, with the
// first erasure's record. A discard never races a retry: one a retry holds is refused
// (ErrConflict), as is one a retry delivered (ErrResolved), each saying its state.
func (s *Service) DiscardDeadLetter(ctx context.Context, user, id string, services []string) (domain.DeadLetter, error) {
	dl, err := s.store.DeadLetter(ctx, id)
	if err != nil {
		return domain.DeadLetter{}, err
	}
	if services != nil && !slices.Contains(services, dl.Service()) {
		return domain.DeadLetter{}, domain.ErrNotFound // another service's disclosure: not the caller's to see
	}
	now := s.now()
	// The discard is one conditional statement: it takes only an open dead letter that no
	// retry holds. Refused, the row is read again to say why; a retry that let go of it
	// meanwhile (its post failed) leaves it open and free, so try again, a few times.
	for range 3 {
		if dl.ResolvedAt != nil || dl.BodyErasedAt != nil {
			break
		}
		if dl.RetryClaimedAt != nil && dl.RetryClaimedAt.After(now.Add(-retryLease)) {
			break
		}
		discarded, ok, err := s.store.DiscardBody(ctx, dl.ID, user, now, now.Add(-retryLease))
		if err != nil {
			return domain.DeadLetter{}, err
		}
		if ok {
			return discarded.AsOf(now, s.retention), nil
		}
		if dl, err = s.store.DeadLetter(ctx, dl.ID); err != nil {
			return domain.DeadLetter{}, err
		}
	}
	state := dl.StateAt(now, s.retention)
	switch {
	case state == domain.StateRedelivered:
		return domain.DeadLetter{}, domain.InState(state, fmt.Errorf("%w: a manual retry delivered it on %s (%s), so there is nothing to discard",
			domain.ErrResolved, stamp(dl.ResolvedAt), dl.ResolvedBy))
	case dl.BodyErasedAt != nil:
		dl.Body = nil
		return dl.AsOf(now, s.retention), nil
	}
	return domain.DeadLetter{}, domain.InState(state, fmt.Errorf("dead letter %s: %w: a manual retry by %s has been sending it since %s; discard it if that retry fails",
		dl.ID, domain.ErrConflict, claimant(dl), stamp(dl.RetryClaimedAt)))
}

// SweepDeadLetterBodies erases the bodies of at most batch dead letters that have been kept
// for the retention since delivery gave up, keeping their metadata; it returns how many. A
// dead letter a retry holds is left for a later run.
func (s *Service) SweepDeadLetterBodies(ctx context.Context, batch int) (int, error) {
	if batch <= 0 {
		batch = 200
	}
	now := s.now()
	return s.store.EraseExpiredBodies(ctx, now.Add(-s.retention), now, now.Add(-retryLease), batch)
}

func stamp(t *time.Time) string {
	if t == nil {
		return "an unknown time"
	}
	return t.UTC().Format(time.RFC3339)
}

// claimant is who holds a dead letter's retry claim (the manager, as ClaimRetry records).
func claimant(dl domain.DeadLetter) string {
	if dl.RetryClaimedBy == "" {
		return "another manager"
	}
	return dl.RetryClaimedBy
}
