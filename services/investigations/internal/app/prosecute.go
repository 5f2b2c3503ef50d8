package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// Prosecute refers the matter for prosecution.
func (s *Service) Prosecute(ctx context.Context, who domain.Caller, id string) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "prosecute", func(c *domain.Investigation, _ time.Time) (domain.Event, error) { return c.Prosecute() })
}
