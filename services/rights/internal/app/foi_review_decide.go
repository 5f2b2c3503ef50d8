package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// DecideFOIReview records an internal review's outcome; the records are kept 3 years from it.
func (s *Service) DecideFOIReview(ctx context.Context, officer, id, outcome, reasons string) (*domain.FOIRequest, error) {
	return s.changeFOI(ctx, officer, id, func(f *domain.FOIRequest, a domain.Actor) (Change, error) {
		return one(f.DecideReview(outcome, reasons, s.reviewYears, a))
	})
}
