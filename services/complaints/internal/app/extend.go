package app

import (
	"context"

	"casework.dev/services/complaints/internal/domain"
)

// Extend lengthens the current stage's response deadline once, with a reason.
func (s *Service) Extend(ctx context.Context, officer, id string, workingDays int, reason string) (*domain.Complaint, error) {
	return s.transition(ctx, officer, id, func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.Extend(a, workingDays, reason)
	})
}
