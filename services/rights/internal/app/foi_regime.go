package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// ChangeRegime records an officer's decision that a request falls under FOIA or the EIR.
func (s *Service) ChangeRegime(ctx context.Context, officer, id string, to domain.Regime, reason string) (*domain.FOIRequest, error) {
	return s.changeFOI(ctx, officer, id, func(f *domain.FOIRequest, a domain.Actor) (Change, error) {
		return one(f.ChangeRegime(to, reason, a))
	})
}
