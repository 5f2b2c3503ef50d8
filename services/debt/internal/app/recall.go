package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// Recall is the client taking its case back: everything stops.
func (s *Service) Recall(ctx context.Context, caller Caller, id string) (*domain.Case, error) {
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		return c.Recall(a)
	})
}
