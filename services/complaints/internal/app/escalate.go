package app

import (
	"context"

	"casework.dev/services/complaints/internal/domain"
)

// Escalate takes the complaint to stage 2 under a different handler.
func (s *Service) Escalate(ctx context.Context, officer, id, furtherDetails, handler string) (*domain.Complaint, error) {
	return s.transition(ctx, officer, id, func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.Escalate(a, furtherDetails, handler)
	})
}
