package app

import (
	"context"
	"errors"
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

// retryLease is how long a manual retry's claim holds if the retry never lets go of it (its
// process died): longer than a retry can take, so while one runs neither a discard nor the
// retention sweep can take the dead letter from under it. A retry that ends, delivered or
// not, lets go at once.
const retryLease = 2 * time.Minute

// Budgets within the lease: the post gets half, each database step an eighth, so a post that
// uses all of its own (a partner that never answers) still leaves time to record it.
const (
	retryPostBudget = retryLease / 2
	retryStepBudget = retryLease / 8
)

// RetryDeadLetter makes one more attempt, by hand, after the partner's endpoint has been
// fixed. Success resolves the dead letter (and clears the body it kept); failure keeps it
// open with the new reason and lets go of it, so it may be retried or discarded at once.
// Only an open dead letter is retried: a redelivered one is refused (ErrResolved), and one
// whose body is erased (discarded, or by the retention sweep) or older than the retention
// too (ErrDiscloseAgain): its content may be stale, so only the source service may
// disclose again, re-checking its notice, consent and restrictions. Every refusal says the
// dead letter's state (domain.StateError).
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
	// An Article 19 notice may have passed while the dead letter's body could not be erased
	// with it (a retry held it, or delivery was still giving up on it): its content must
	// never be sent now. Its body goes as the notice's erasure, and the retry is refused.
	notice, stale, err := s.store.StaleNotice(ctx, p.ID, dl.DisclosureID)
	if err != nil {
		return RetryResult{}, err
	}
	if stale {
		if err := s.store.MarkStale(ctx, p.ID, dl.DisclosureID, notice, now, now.Add(-retryLease)); err != nil {
			return RetryResult{}, err
		}
		return RetryResult{}, s.claimRefused(ctx, dl.ID, now)
	}
	if err := ctx.Err(); err != nil {
		return RetryResult{}, err
	}
	// From the claim on, finish even if the caller goes away: a claim taken but never let go
	// of would hold the dead letter for the whole lease.
	ctx = context.WithoutCancel(ctx)
	// Claimed before posting, with the body as it is then, only while the dead letter is
	// open: a second retry meanwhile is refused, never sent twice; a body discarded or swept
	// since it was read is not sent; and a discard or the sweep meanwhile is refused.
	stepCtx, cancel := context.WithTimeout(ctx, retryStepBudget)
	claim, claimed, err := s.store.ClaimRetry(stepCtx, dl.ID, user, now, retryLease, now.Add(-s.retention))
	cancel()
	if err != nil {
		return RetryResult{}, err
	}
	if !claimed {
		return RetryResult{}, s.claimRefused(ctx, dl.ID, now)
	}
	dl.Body = claim.Body
	stepCtx, cancel = context.WithTimeout(ctx, retryStepBudget)
	n, err := s.store.Attempts(stepCtx, p.ID, dl.DisclosureID)
	cancel()
	if err != nil {
		return RetryResult{}, s.releaseRetry(ctx, dl.ID, claim, err)
	}
	d := domain.Disclosure{ID: dl.DisclosureID, Partner: p.ID, Subject: dl.Subject, Body: dl.Body}
	postCtx, cancel := context.WithTimeout(ctx, retryPostBudget)
	result, at := s.post(postCtx, p, d)
	cancel()
	a := domain.NewAttempt(d, p, n+1, result, domain.TriggerRetry(user), at)
	updated, a, err := s.recordRetry(ctx, a, dl.ID, claim, result, user)
	if err != nil {
		if result.Delivered() {
			// The partner has it: the claim stays until the lease runs out, so a discard
			// meanwhile cannot record as discarded what was delivered.
			return RetryResult{}, err
		}
		return RetryResult{}, s.releaseRetry(ctx, dl.ID, claim, err)
	}
	return RetryResult{DeadLetter: updated.AsOf(s.now(), s.retention), Attempt: a, Delivered: result.Delivered()}, nil
}

// recordRetry records the manual attempt a under claim (RecordRetry releases it). Its
// number was counted before the post; should another attempt have been logged under it
// meanwhile, it is recorded under the next free one: the post was made and must be logged.
func (s *Service) recordRetry(ctx context.Context, a domain.Attempt, id string, claim Claim, result domain.Result, user string) (domain.DeadLetter, domain.Attempt, error) {
	for tries := 1; ; tries++ {
		reason := ""
		if !result.Delivered() {
			reason = fmt.Sprintf("manual retry by %s failed at attempt %d: %s", user, a.Number, result.Reason())
		}
		stepCtx, cancel := context.WithTimeout(ctx, retryStepBudget)
		updated, err := s.store.RecordRetry(stepCtx, a, id, claim, result.Delivered(), reason)
		cancel()
		if err == nil || !errors.Is(err, domain.ErrConflict) || tries == 3 {
			return updated, a, err
		}
		stepCtx, cancel = context.WithTimeout(ctx, retryStepBudget)
		n, err := s.store.Attempts(stepCtx, a.Partner, a.DisclosureID)
		cancel()
		if err != nil {
			return domain.DeadLetter{}, a, err
		}
		a.Number = n + 1
	}
}

// releaseRetry lets go of claim after a retry that failed and could not be recorded, so the
// dead letter is open for action at once, and returns cause. Only this retry's own claim is
// released; should the release fail too, the lease running out frees the dead letter.
func (s *Service) releaseRetry(ctx context.Context, id string, claim Claim, cause error) error {
	ctx, cancel := context.WithTimeout(ctx, retryStepBudget)
	defer cancel()
	if _, err := s.store.ReleaseRetry(ctx, id, claim); err != nil {
		return errors.Join(cause, fmt.Errorf("dead letter %s stays held until its retry's lease runs out: %w", id, err))
	}
	return cause
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
