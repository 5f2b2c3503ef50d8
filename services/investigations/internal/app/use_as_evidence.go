package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// UseAsEvidence marks an evidence item as relied on.
func (s *Service) UseAsEvidence(ctx context.Context, who domain.Caller, id, itemID string) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "use_as_evidence", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		return c.UseAsEvidence(itemID, now)
	})
}
