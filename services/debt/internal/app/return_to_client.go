package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// ReturnToClient is an officer returning the case with its reason.
func (s *Service) ReturnToClient(ctx context.Context, caller Caller, id, reason string) (*domain.Case, error) {
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		return c.ReturnToClient(reason, a)
	})
}
