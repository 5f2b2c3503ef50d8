package app

import (
	"context"
	"time"

	"casework.dev/services/rights/internal/domain"
)

// RequestFOIReview records a requester's request for an internal review and its deadline.
func (s *Service) RequestFOIReview(ctx context.Context, officer, id string, requestedAt time.Time) (*domain.FOIRequest, error) {
	return s.changeFOI(ctx, officer, id, func(f *domain.FOIRequest, a domain.Actor) (Change, error) {
		return one(f.RequestReview(requestedAt, a))
	})
}
