package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// Recall is the client taking its case back: everything stops. Only the client's own user
// recalls, and only its own cases (transition's visible): agency staff see every client's.
func (s *Service) Recall(ctx context.Context, caller Caller, id string) (*domain.Case, error) {
	if caller.ClientID == "" {
		return nil, domain.ErrClientOnly
	}
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		return c.Recall(a)
	})
}
