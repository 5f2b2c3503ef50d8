package app

import (
	"context"
	"errors"

	"casework.dev/services/complaints/internal/domain"
)

// OverdueSweeper is the actor recorded for overdue events.
const OverdueSweeper = "system:overdue-sweep"

// SweepOverdue raises exactly one overdue event (and status event) for each deadline that
// has passed unmet. The mark is saved with the event in one statement guarded by the
// case's version, so concurrent sweeps and restarts never raise it twice.
func (s *Service) SweepOverdue(ctx context.Context, batch int) (int, error) {
	refs, err := s.repo.RunningDeadlinesDue(ctx, s.now(), batch)
	if err != nil {
		return 0, err
	}
	raised := 0
	var failures []error
	for _, ref := range refs {
		n, err := s.sweep(ctx, OverdueSweeper, []string{ref.ComplaintID}, func(c *domain.Complaint, a domain.Actor) (domain.Event, bool, error) {
			e, ok := c.MarkOverdue(ref.Stage, ref.Kind, a.Now)
			return e, ok, nil
		})
		raised += n
		if err != nil {
			failures = append(failures, err) // the others still get theirs
		}
	}
	return raised, errors.Join(failures...)
}
