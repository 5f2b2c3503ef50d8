package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// ExtendFOI extends an EIR request to 40 working days.
func (s *Service) ExtendFOI(ctx context.Context, officer, id, reason string) (*domain.FOIRequest, error) {
	return s.changeFOI(ctx, officer, id, func(f *domain.FOIRequest, a domain.Actor) (Change, error) {
		return one(f.Extend(reason, a))
	})
}
