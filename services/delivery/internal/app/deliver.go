package app

import (
	"context"
	"fmt"
	"time"

	"casework.dev/pkg/webhook"
	"casework.dev/services/delivery/internal/domain"
)

// Verdict tells the stream consumer what to do with the message.
type Verdict int

const (
	// Done: delivered now or before, or dead-lettered. Acknowledge; the stream moves on.
	Done Verdict = iota
	// RetryLater: the attempt failed and attempts remain. Redeliver after Outcome.Delay.
	RetryLater
)

// Outcome of one Deliver call.
type Outcome struct {
	Verdict Verdict
	Delay   time.Duration
	// WaitReason says why Delay is what it is (domain.WaitBackoff, ...); set with RetryLater.
	WaitReason string
	What       string // "delivered", "already delivered", "failed", "dead-lettered", AlreadyDeadLettered, "withdrawn"
	Attempt    int
}

// AlreadyDeadLettered is the outcome of a disclosure found dead-lettered before: no attempt.
const AlreadyDeadLettered = "already dead-lettered"

// Deliver makes the next attempt to post d to its partner, unless a 2xx is already
// recorded. The attempt number comes from the log, so the bound holds across restarts and
// redeliveries. An error means the attempt could not be recorded: retry the message.
func (s *Service) Deliver(ctx context.Context, d domain.Disclosure) (Outcome, error) {
	p, ok := s.partners[d.Partner]
	if !ok {
		return Outcome{}, fmt.Errorf("disclosure %s: %w: %s", d.ID, domain.ErrUnknownPartner, d.Partner)
	}
	if original, stale := domain.MadeStaleBy(d.Subject, d.Body); stale {
		// The partner is told that the data of an earlier disclosure was erased, corrected or
		// restricted: a copy of it delivery holds must never be sent again.
		now := s.now()
		if err := s.store.MarkStale(ctx, p.ID, original, d.ID, now, now.Add(-retryLease)); err != nil {
			return Outcome{}, err
		}
	}
	delivered, err := s.store.Delivered(ctx, p.ID, d.ID)
	if err != nil {
		return Outcome{}, err
	}
	if delivered {
		return Outcome{Verdict: Done, What: "already delivered"}, nil
	}
	// The dead letter, not the count of attempts, says delivery gave up: the last attempt
	// and its dead letter were committed together, and only the ack was lost. Attempts
	// logged under a higher limit than today's, with no dead letter, go on to one more
	// attempt, the last, which dead-letters the disclosure: never acknowledged unrecorded.
	deadLettered, err := s.store.DeadLettered(ctx, p.ID, d.ID)
	if err != nil {
		return Outcome{}, err
	}
	if deadLettered {
		return Outcome{Verdict: Done, What: AlreadyDeadLettered}, nil
	}
	n, err := s.store.Attempts(ctx, p.ID, d.ID)
	if err != nil {
		return Outcome{}, err
	}
	notice, stale, err := s.store.StaleNotice(ctx, p.ID, d.ID)
	if err != nil {
		return Outcome{}, err
	}
	if stale {
		// Still being retried when the partner was told its data changed: never posted now,
		// and set aside with no content, so the list says what became of it.
		dl := domain.DeadLetter{ID: s.newID(), DisclosureID: d.ID, Partner: p.ID, Subject: d.Subject, Reason: domain.WithdrawnReason(notice),
			Attempts: n, DeadLetteredAt: s.now()}
		if err := s.store.Withdraw(ctx, dl, domain.Article19Eraser+notice); err != nil {
			return Outcome{}, err
		}
		return Outcome{Verdict: Done, What: "withdrawn", Attempt: n}, nil
	}
	attempt := n + 1
	result, at := s.post(ctx, p, d)
	a := domain.NewAttempt(d, p, attempt, result, domain.TriggerStream, at)
	switch {
	case result.Delivered():
		if err := s.store.RecordAttempt(ctx, a); err != nil {
			return Outcome{}, err
		}
		return Outcome{Verdict: Done, What: "delivered", Attempt: attempt}, nil
	case s.policy.Exhausted(attempt) || result.Permanent():
		dl := domain.DeadLetter{ID: s.newID(), DisclosureID: d.ID, Partner: p.ID, Subject: d.Subject, Body: d.Body,
			Reason: domain.DeadLetterReason(attempt, result), Attempts: attempt, DeadLetteredAt: at}
		if err := s.store.RecordLastAttempt(ctx, a, dl); err != nil {
			return Outcome{}, err
		}
		return Outcome{Verdict: Done, What: "dead-lettered", Attempt: attempt}, nil
	default:
		if err := s.store.RecordAttempt(ctx, a); err != nil {
			return Outcome{}, err
		}
		// Decided now, after the answer came: a Retry-After date counts from its arrival.
		delay, why := s.policy.JitteredWait(attempt, result, s.now(), s.jitter())
		return Outcome{Verdict: RetryLater, Delay: delay, WaitReason: why, What: "failed", Attempt: attempt}, nil
	}
}

// post signs d for p at the current time and sends it.
func (s *Service) post(ctx context.Context, p domain.Partner, d domain.Disclosure) (domain.Result, time.Time) {
	at := s.now()
	headers, err := webhook.Headers(p.Secret, d.ID, at, d.Body)
	if err != nil {
		return domain.Result{Err: "signing: " + err.Error()}, at
	}
	headers.Set("Content-Type", "application/json")
	return s.poster.Post(ctx, p.URL, headers, d.Body), at
}
