package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// RecordPeopleTold records that the people affected by a high-risk breach were told.
func (s *Service) RecordPeopleTold(ctx context.Context, officer, id string, in domain.PeopleTold) (*domain.Breach, error) {
	return s.changeBreach(ctx, officer, id, func(b *domain.Breach, a domain.Actor) (Change, error) {
		return one(b.RecordPeopleTold(in, a))
	})
}
