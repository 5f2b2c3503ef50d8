package app

import (
	"context"
	"errors"

	"casework.dev/services/rights/internal/domain"
)

// OverdueSweeper is the actor recorded for overdue events.
const OverdueSweeper = "system:overdue-sweep"

// SweepOverdue raises exactly one overdue event (and status event) for each deadline passed
// unmet: a rights request's month, a breach's 72 hours to report, an FOI/EIR response or
// internal review. The mark is saved with the event under the case's lock, so concurrent
// sweeps and restarts never raise it twice.
func (s *Service) SweepOverdue(ctx context.Context, batch int) (int, error) {
	requests, errR := sweepCases(ctx, s, s.requests.DueForOverdue, s.change, batch, OverdueSweeper,
		func(r *domain.Request, a domain.Actor) (domain.Event, bool) { return r.MarkOverdue(a.Now) })
	breaches, errB := sweepCases(ctx, s, s.breaches.DueForOverdue, s.changeBreach, batch, OverdueSweeper,
		func(b *domain.Breach, a domain.Actor) (domain.Event, bool) { return b.MarkReportOverdue(a.Now) })
	fois, errF := sweepCases(ctx, s, s.foi.DueForOverdue, s.changeFOI, batch, OverdueSweeper,
		func(f *domain.FOIRequest, a domain.Actor) (domain.Event, bool) { return f.MarkOverdue(a.Now) })
	return requests + breaches + fois, errors.Join(errR, errB, errF)
}
