package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// CloseBreach closes a breach; its record is reviewed after the rest of the year plus the
// years the notice keeps data breach records from closure (10).
func (s *Service) CloseBreach(ctx context.Context, dpo, id string) (*domain.Breach, error) {
	return s.changeBreach(ctx, dpo, id, func(b *domain.Breach, a domain.Actor) (Change, error) {
		return one(b.Close(s.breachYears, a))
	})
}
