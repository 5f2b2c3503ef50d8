package app

import (
	"context"

	"casework.dev/pkg/calendar"
	"casework.dev/services/publication/internal/domain"
)

// TakedownSweeper is the actor recorded for takedowns on their planned day.
const TakedownSweeper = "system:takedown-sweep"

// SweepTakedowns takes down every entry whose planned day (end of the publication period,
// or the spent date) has come, its retention running from that day. The status guard and
// the event commit together, so concurrent sweeps and restarts take each entry down, and
// announce it, exactly once.
func (s *Service) SweepTakedowns(ctx context.Context, batch int) (int, error) {
	ids, err := s.repo.DueForTakedown(ctx, calendar.DateOf(s.now()), batch)
	if err != nil {
		return 0, err
	}
	return s.sweep(ctx, TakedownSweeper, ids, func(d *domain.Decision, a domain.Actor) (domain.Event, bool, error) {
		// The case ended on the planned day, when the register stopped showing the entry,
		// however late the sweep comes (a restart, an outage): its retention runs from then.
		ended := a.Today()
		if d.Takedown != nil {
			ended = d.Takedown.On
		}
		e, ok := d.TakeDownIfDue(s.retentionFrom(ended), a)
		return e, ok, nil
	})
}
