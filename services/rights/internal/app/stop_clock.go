package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// StopClock stops a request's month while the council waits for the requester.
func (s *Service) StopClock(ctx context.Context, officer, id string, awaiting domain.Awaiting) (*domain.Request, error) {
	return s.change(ctx, officer, id, func(r *domain.Request, a domain.Actor) (Change, error) {
		return one(r.StopClock(awaiting, a))
	})
}
