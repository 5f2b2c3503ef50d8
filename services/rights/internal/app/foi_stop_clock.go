package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// StopFOIClock stops a request's working days while clarification is awaited.
func (s *Service) StopFOIClock(ctx context.Context, officer, id string) (*domain.FOIRequest, error) {
	return s.changeFOI(ctx, officer, id, func(f *domain.FOIRequest, a domain.Actor) (Change, error) {
		return one(f.StopClock(a))
	})
}
