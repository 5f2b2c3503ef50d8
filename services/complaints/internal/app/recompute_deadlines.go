package app

import (
	"context"

	"casework.dev/services/complaints/internal/domain"
)

// DeadlineRecomputer is the actor recorded when a new bank-holiday table moves deadlines.
const DeadlineRecomputer = "system:holiday-table"

// RecomputeDeadlines counts again the running deadlines computed with another bank-holiday
// table (a newly announced holiday moves them), and counts the complaints it did.
func (s *Service) RecomputeDeadlines(ctx context.Context, batch int) (int, error) {
	ids, err := s.repo.RunningDeadlinesComputedWithOtherTable(ctx, s.cal.HolidayTableVersion(), batch)
	if err != nil {
		return 0, err
	}
	return s.sweep(ctx, DeadlineRecomputer, ids, func(c *domain.Complaint, a domain.Actor) (domain.Event, bool, error) {
		return c.RecomputeDeadlines(a)
	})
}
