package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// Investigate starts the investigation.
func (s *Service) Investigate(ctx context.Context, who domain.Caller, id string) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "investigate", func(c *domain.Investigation, _ time.Time) (domain.Event, error) { return c.Investigate() })
}
