package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// SetLegalHold stops retention erasure of the case.
func (s *Service) SetLegalHold(ctx context.Context, caller Caller, id, reason string) (*domain.Case, error) {
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		return c.SetLegalHold(reason, a)
	})
}

// ReleaseLegalHold lets retention run again.
func (s *Service) ReleaseLegalHold(ctx context.Context, caller Caller, id string) (*domain.Case, error) {
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		return c.ReleaseLegalHold(a)
	})
}
