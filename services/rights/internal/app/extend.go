package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// Extend extends a request's month by up to two further months.
func (s *Service) Extend(ctx context.Context, officer, id string, in domain.ExtendRequest) (*domain.Request, error) {
	return s.change(ctx, officer, id, func(r *domain.Request, a domain.Actor) (Change, error) {
		return one(r.Extend(in, a))
	})
}
