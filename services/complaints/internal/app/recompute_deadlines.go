package app

import (
	"context"
	"errors"
	"fmt"

	"casework.dev/services/complaints/internal/domain"
)

// DeadlineRecomputer is the actor recorded when a new bank-holiday table moves deadlines.
const DeadlineRecomputer = "system:holiday-table"

// RecomputeDeadlines moves the running deadlines computed with an older bank-holiday table
// (a newly announced holiday), one case at a time. Deadlines whose dates do not change are
// left as they are, so a case is only touched when it must be.
func (s *Service) RecomputeDeadlines(ctx context.Context, batch int) (int, error) {
	ids, err := s.repo.RunningDeadlinesComputedWithOtherTable(ctx, s.cal.HolidayTableVersion(), batch)
	if err != nil {
		return 0, err
	}
	moved := 0
	for _, id := range ids {
		a := s.actor(DeadlineRecomputer)
		_, err := s.repo.Update(ctx, id, func(c *domain.Complaint) (Change, error) {
			e, ok := c.RecomputeDeadlines(a)
			if !ok {
				return Change{}, errNothingToDo
			}
			return Change{Actor: DeadlineRecomputer, At: a.Now, Events: []domain.Event{e}}, nil
		})
		switch {
		case errors.Is(err, errNothingToDo):
		case err != nil:
			return moved, fmt.Errorf("recompute deadlines of %s: %w", id, err)
		default:
			moved++
		}
	}
	return moved, nil
}
