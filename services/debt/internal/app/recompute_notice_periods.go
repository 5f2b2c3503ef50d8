package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// NoticeRecomputer is the actor recorded when a new bank holiday table moves notice periods.
const NoticeRecomputer = "system:holiday-table"

// RecomputeNoticePeriods counts again, with the current bank holiday table, the notice
// periods still running that were counted with another (a newly announced holiday moves the
// earliest day control may be taken). Each case is saved with how its period was counted.
func (s *Service) RecomputeNoticePeriods(ctx context.Context, batch int) (int, error) {
	ids, err := s.repo.RunningNoticePeriodsCountedWithOtherTable(ctx, s.cal.HolidayTableVersion(), batch)
	if err != nil {
		return 0, err
	}
	return s.sweep(ctx, NoticeRecomputer, ids, func(c *domain.Case, a domain.Actor) (domain.Event, bool, error) {
		return c.RecomputeNoticePeriod(a)
	})
}
