package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// OverdueSweeper is the actor recorded for overdue events.
const OverdueSweeper = "system:overdue-sweep"

// SweepOverdue raises exactly one overdue event (and status event) for each open request
// whose month has passed. The mark is saved with the event under the request's lock, so
// concurrent sweeps and restarts never raise it twice.
func (s *Service) SweepOverdue(ctx context.Context, batch int) (int, error) {
	ids, err := s.requests.DueForOverdue(ctx, s.now(), batch)
	if err != nil {
		return 0, err
	}
	return sweepEach(ids, func(id string) (bool, error) {
		_, err := s.change(ctx, OverdueSweeper, id, func(r *domain.Request, a domain.Actor) (Change, error) {
			e, ok := r.MarkOverdue(a.Now)
			if !ok {
				return Change{}, errNothingToDo
			}
			return one(e, nil)
		})
		return err == nil, err
	})
}
