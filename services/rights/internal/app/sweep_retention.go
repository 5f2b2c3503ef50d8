package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// RetentionSweeper is the actor recorded for erasures at the end of retention.
const RetentionSweeper = "system:retention-sweep"

// SweepRetention erases the personal data of requests closed longer ago than the notice
// keeps them (2 years), keeping the anonymous facts.
func (s *Service) SweepRetention(ctx context.Context, batch int) (int, error) {
	ids, err := s.requests.DueForErasure(ctx, s.now(), batch)
	if err != nil {
		return 0, err
	}
	return sweepEach(ids, func(id string) (bool, error) {
		_, err := s.change(ctx, RetentionSweeper, id, func(r *domain.Request, a domain.Actor) (Change, error) {
			e, ok := r.Erase(a)
			if !ok {
				return Change{}, errNothingToDo
			}
			return one(e, nil)
		})
		return err == nil, err
	})
}
