package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// TakeAction records an enforcement step, addressed to a person or no one.
func (s *Service) TakeAction(ctx context.Context, who domain.Caller, id string, in domain.NewAction) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "take_action", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		return c.TakeAction(in, who.Officer, now)
	})
}
