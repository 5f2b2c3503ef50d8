package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// Triage accepts a report for assessment.
func (s *Service) Triage(ctx context.Context, who domain.Caller, id string) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "triage", func(c *domain.Investigation, _ time.Time) (domain.Event, error) { return c.Triage() })
}
