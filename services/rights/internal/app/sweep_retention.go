package app

import (
	"context"
	"errors"

	"casework.dev/services/rights/internal/domain"
)

// RetentionSweeper is the actor recorded for what retention does.
const RetentionSweeper = "system:retention-sweep"

// SweepRetention applies the notice's retention: the personal data of rights requests (2
// years) and FOI/EIR requests (2 years, 3 after an internal review) is erased, keeping the
// anonymous facts; a breach record whose 10 years plus the current year have ended becomes
// a review task for the DPO, never a deletion. A rights request that waited three months
// for the requester, and an FOI/EIR request for clarification, is first closed as lapsed,
// its retention running from the day it lapsed.
func (s *Service) SweepRetention(ctx context.Context, batch int) (int, error) {
	// Lapsing first: a request closed as lapsed long ago may be erased in the same sweep.
	lapsedR, errLR := sweepCases(ctx, s, s.requests.DueForLapse, s.change, batch, RetentionSweeper,
		func(r *domain.Request, a domain.Actor) (domain.Event, bool) { return r.LapseDue(s.requestYears, a) })
	requests, errR := sweepCases(ctx, s, s.requests.DueForErasure, s.change, batch, RetentionSweeper,
		func(r *domain.Request, a domain.Actor) (domain.Event, bool) { return r.Erase(a) })
	lapsed, errL := sweepCases(ctx, s, s.foi.DueForLapse, s.changeFOI, batch, RetentionSweeper,
		func(f *domain.FOIRequest, a domain.Actor) (domain.Event, bool) { return f.LapseDue(s.foiYears, a) })
	fois, errF := sweepCases(ctx, s, s.foi.DueForErasure, s.changeFOI, batch, RetentionSweeper,
		func(f *domain.FOIRequest, a domain.Actor) (domain.Event, bool) { return f.Erase(a) })
	breaches, errB := sweepCases(ctx, s, s.breaches.DueForReview, s.changeBreach, batch, RetentionSweeper,
		func(b *domain.Breach, a domain.Actor) (domain.Event, bool) { return b.RaiseReview(a) })
	return lapsedR + requests + lapsed + fois + breaches, errors.Join(errLR, errR, errL, errF, errB)
}
