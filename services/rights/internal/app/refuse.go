package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// Refuse refuses a request as a whole on a lawful ground, with the reasons the person is told.
func (s *Service) Refuse(ctx context.Context, dpo, id, ground, reasons string) (*domain.Request, error) {
	return s.change(ctx, dpo, id, func(r *domain.Request, a domain.Actor) (Change, error) {
		return one(r.Refuse(ground, reasons, s.requestYears, a))
	})
}
