package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// ReviewArrangement records an officer's decision on a breached instalment arrangement: it
// ends (enforcement goes on) or stays in force. The sweep only flags a breach; ending an
// arrangement is always a person's decision (UK GDPR Art 22).
func (s *Service) ReviewArrangement(ctx context.Context, caller Caller, id, decision, reason string) (*domain.Case, error) {
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		return c.ReviewArrangement(decision, reason, a)
	})
}
