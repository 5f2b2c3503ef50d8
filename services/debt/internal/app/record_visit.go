package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// RecordVisit records an enforcement agent's attendance (see domain.Case.RecordVisit).
func (s *Service) RecordVisit(ctx context.Context, caller Caller, id string, in domain.NewVisit) (*domain.Case, error) {
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		return c.RecordVisit(in, a)
	})
}
