package app

import (
	"context"
	"time"

	"casework.dev/services/rights/internal/domain"
)

// RestartFOIClock records the clarification's arrival: 20 working days run again from it.
func (s *Service) RestartFOIClock(ctx context.Context, officer, id string, receivedAt time.Time) (*domain.FOIRequest, error) {
	return s.changeFOI(ctx, officer, id, func(f *domain.FOIRequest, a domain.Actor) (Change, error) {
		return one(f.RestartClock(receivedAt, a))
	})
}
