package app

import (
	"context"

	"casework.dev/services/complaints/internal/domain"
)

// Acknowledge records the acknowledgement of the current stage.
func (s *Service) Acknowledge(ctx context.Context, officer, id string) (*domain.Complaint, error) {
	return s.transition(ctx, officer, id, func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.Acknowledge(a)
	})
}
