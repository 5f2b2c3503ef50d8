package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// RestartClock records that what the council waited for arrived, and counts the month again.
func (s *Service) RestartClock(ctx context.Context, officer, id string, in domain.Restart) (*domain.Request, error) {
	return s.change(ctx, officer, id, func(r *domain.Request, a domain.Actor) (Change, error) {
		return one(r.RestartClock(in, a))
	})
}
