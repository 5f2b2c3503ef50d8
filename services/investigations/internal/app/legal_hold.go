package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// SetLegalHold stops erasure.
func (s *Service) SetLegalHold(ctx context.Context, who domain.Caller, id, reason string) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "legal_hold", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		return c.SetLegalHold(reason, who.Officer, now)
	})
}

// ReleaseLegalHold lets retention run again.
func (s *Service) ReleaseLegalHold(ctx context.Context, who domain.Caller, id string) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "release_legal_hold", func(c *domain.Investigation, _ time.Time) (domain.Event, error) { return c.ReleaseLegalHold() })
}
