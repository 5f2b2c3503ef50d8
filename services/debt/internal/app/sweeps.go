package app

import (
	"context"

	"casework.dev/pkg/calendar"
	"casework.dev/services/debt/internal/domain"
)

// Actors recorded for the sweeps.
const (
	InstalmentSweeper   = "system:instalment-sweep"
	ControlLimitSweeper = "system:control-limit-sweep"
	RetentionSweeper    = "system:retention-sweep"
)

// SweepInstalments raises one event for each instalment whose due date passed unpaid; the
// miss that breaches an arrangement flags it for an officer's review, and never ends it:
// the arrangement stays in force, holding enforcement, until an officer decides
// (ReviewArrangement). The mark is saved with the event under the case's version, so
// concurrent sweeps and restarts never raise it twice.
func (s *Service) SweepInstalments(ctx context.Context, batch int) (int, error) {
	ids, err := s.repo.InstalmentChecksBefore(ctx, calendar.DateOf(s.Now()), batch)
	if err != nil {
		return 0, err
	}
	return s.sweep(ctx, InstalmentSweeper, ids, func(c *domain.Case, a domain.Actor) (domain.Event, bool, error) {
		e, ok := c.MarkMissedInstalment(a)
		return e, ok, nil
	})
}

// SweepControlLimit returns the cases whose 12 months for taking control passed without
// it (SI 2013/1894 reg 9).
func (s *Service) SweepControlLimit(ctx context.Context, batch int) (int, error) {
	ids, err := s.repo.PastControlLimit(ctx, calendar.DateOf(s.Now()), batch)
	if err != nil {
		return 0, err
	}
	return s.sweep(ctx, ControlLimitSweeper, ids, func(c *domain.Case, a domain.Actor) (domain.Event, bool, error) {
		e, ok := c.ReturnPastControlLimit(a)
		return e, ok, nil
	})
}

// SweepRetention erases the personal data of closed cases whose retention ended, unless
// a legal hold keeps them; the anonymous figures stay.
func (s *Service) SweepRetention(ctx context.Context, batch int) (int, error) {
	ids, err := s.repo.DueForErasure(ctx, calendar.DateOf(s.Now()), batch)
	if err != nil {
		return 0, err
	}
	return s.sweep(ctx, RetentionSweeper, ids, func(c *domain.Case, a domain.Actor) (domain.Event, bool, error) {
		if !c.DueForErasure(calendar.DateOf(a.Now)) {
			return domain.Event{}, false, nil
		}
		e, err := c.Erase(a)
		return e, err == nil, err
	})
}
