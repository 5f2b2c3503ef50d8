package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// LapseFOI closes a request whose clarification never came.
func (s *Service) LapseFOI(ctx context.Context, officer, id string) (*domain.FOIRequest, error) {
	return s.changeFOI(ctx, officer, id, func(f *domain.FOIRequest, a domain.Actor) (Change, error) {
		return one(f.Lapse(s.foiYears, a))
	})
}
