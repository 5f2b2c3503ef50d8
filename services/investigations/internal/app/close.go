package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// Close ends the service; the case file's retention clock starts.
func (s *Service) Close(ctx context.Context, who domain.Caller, id, reason string) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "close", func(c *domain.Investigation, now time.Time) (domain.Event, error) { return c.Close(reason, now) })
}
