package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// ExtendFOIReview takes an FOI internal review to 40 working days.
func (s *Service) ExtendFOIReview(ctx context.Context, officer, id string) (*domain.FOIRequest, error) {
	return s.changeFOI(ctx, officer, id, func(f *domain.FOIRequest, a domain.Actor) (Change, error) {
		return one(f.ExtendReview(a))
	})
}
