package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// CloseBreach closes a breach; its record is reviewed after 10 years plus the current year.
func (s *Service) CloseBreach(ctx context.Context, dpo, id string) (*domain.Breach, error) {
	return s.changeBreach(ctx, dpo, id, func(b *domain.Breach, a domain.Actor) (Change, error) {
		return one(b.Close(a))
	})
}
