package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// ReviewBreach records the DPO's review of a breach record whose retention ended.
func (s *Service) ReviewBreach(ctx context.Context, dpo, id, decision, reason string, keepYears int) (*domain.Breach, error) {
	return s.changeBreach(ctx, dpo, id, func(b *domain.Breach, a domain.Actor) (Change, error) {
		return one(b.Review(decision, reason, keepYears, a))
	})
}
