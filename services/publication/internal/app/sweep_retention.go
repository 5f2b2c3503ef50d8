package app

import (
	"context"

	"casework.dev/pkg/calendar"
	"casework.dev/services/publication/internal/domain"
)

// RetentionSweeper is the actor recorded for retention erasures.
const RetentionSweeper = "system:retention-sweep"

// SweepRetention erases the personal data of decisions whose retention (from the notice)
// has ended. The anonymous facts stay.
func (s *Service) SweepRetention(ctx context.Context, batch int) (int, error) {
	ids, err := s.repo.DueForErasure(ctx, calendar.DateOf(s.now()), batch)
	if err != nil {
		return 0, err
	}
	return s.sweep(ctx, RetentionSweeper, ids, func(d *domain.Decision, a domain.Actor) (domain.Event, bool, error) {
		if !d.DueForErasure(a.Today()) {
			return domain.Event{}, false, nil
		}
		e, err := d.Erase(a)
		return e, err == nil, err
	})
}
