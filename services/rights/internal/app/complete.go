package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// Complete records that the response was sent, once every service has answered.
func (s *Service) Complete(ctx context.Context, dpo, id string) (*domain.Request, error) {
	return s.change(ctx, dpo, id, func(r *domain.Request, a domain.Actor) (Change, error) {
		return one(r.Complete(s.requestYears, a))
	})
}
