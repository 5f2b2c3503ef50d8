package app

import (
	"context"

	"casework.dev/services/complaints/internal/domain"
)

// Respond records the current stage's outcome and remedies.
func (s *Service) Respond(ctx context.Context, officer, id string, outcome domain.Outcome, summary string, remedies []string) (*domain.Complaint, error) {
	return s.transition(ctx, officer, id, func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.Respond(a, outcome, summary, remedies)
	})
}
