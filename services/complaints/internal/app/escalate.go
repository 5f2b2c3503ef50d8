package app

import (
	"context"
	"time"

	"casework.dev/services/complaints/internal/domain"
)

// Escalate takes the complaint to stage 2 under a different handler. receivedAt is when
// the complainant's request for stage 2 arrived (zero: now); the stage 2 acknowledgement
// clock runs from it.
func (s *Service) Escalate(ctx context.Context, officer, id, furtherDetails, handler string, receivedAt time.Time) (*domain.Complaint, error) {
	return s.transition(ctx, officer, id, func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.EscalateReceived(a, furtherDetails, handler, receivedAt)
	})
}
