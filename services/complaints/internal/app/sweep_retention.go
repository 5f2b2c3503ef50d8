package app

import (
	"context"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

// RetentionSweeper is the actor recorded for retention erasures.
const RetentionSweeper = "system:retention-sweep"

// SweepRetention erases the personal data of closed complaints whose retention period (from
// the notice) has ended, unless a legal hold keeps them. The anonymous case facts stay.
func (s *Service) SweepRetention(ctx context.Context, batch int) (int, error) {
	today := calendar.DateOf(s.now())
	ids, err := s.repo.DueForErasure(ctx, today, batch)
	if err != nil {
		return 0, err
	}
	return s.sweep(ctx, RetentionSweeper, ids, func(c *domain.Complaint, a domain.Actor) (domain.Event, bool, error) {
		if !c.DueForErasure(calendar.DateOf(a.Now)) {
			return domain.Event{}, false, nil // a hold arrived, or another sweep erased it
		}
		e, err := c.Erase(a)
		return e, err == nil, err
	})
}
