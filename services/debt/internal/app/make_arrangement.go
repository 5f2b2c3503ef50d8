package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// MakeArrangement agrees payment by instalments; enforcement waits while it is kept.
func (s *Service) MakeArrangement(ctx context.Context, caller Caller, id string, in domain.NewArrangement) (*domain.Case, error) {
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		return c.MakeArrangement(in, a)
	})
}
