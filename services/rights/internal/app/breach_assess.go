package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// AssessBreach records whether the breach is reportable and whether people must be told.
func (s *Service) AssessBreach(ctx context.Context, dpo, id string, in domain.Assessment) (*domain.Breach, error) {
	return s.changeBreach(ctx, dpo, id, func(b *domain.Breach, a domain.Actor) (Change, error) {
		return one(b.Assess(in, a))
	})
}
