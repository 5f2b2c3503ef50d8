package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// AddEvidence records a statement, document, photo or footage.
func (s *Service) AddEvidence(ctx context.Context, who domain.Caller, id string, e domain.EvidenceItem) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "add_evidence", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		return c.AddEvidence(e, now, s.newID)
	})
}
