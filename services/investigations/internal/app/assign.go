package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// Assign adds an officer to the case.
func (s *Service) Assign(ctx context.Context, who domain.Caller, id, officer string) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "assign", func(c *domain.Investigation, _ time.Time) (domain.Event, error) { return c.Assign(officer) })
}
