package app

import (
	"context"
	"errors"
	"fmt"

	"casework.dev/pkg/calendar"
	"casework.dev/services/complaints/internal/domain"
)

// RetentionSweeper is the actor recorded for retention erasures.
const RetentionSweeper = "system:retention-sweep"

// SweepRetention erases the personal data of closed complaints whose retention period (from
// the notice) has ended, unless a legal hold keeps them. The anonymous case facts stay.
func (s *Service) SweepRetention(ctx context.Context, batch int) (int, error) {
	a := s.actor(RetentionSweeper)
	ids, err := s.repo.DueForErasure(ctx, calendar.DateOf(a.Now), batch)
	if err != nil {
		return 0, err
	}
	erased := 0
	for _, id := range ids {
		_, err := s.repo.Update(ctx, id, func(c *domain.Complaint) (Change, error) {
			if !c.DueForErasure(calendar.DateOf(a.Now)) {
				return Change{}, errNothingToDo // a hold arrived, or another sweep erased it
			}
			e, err := c.Erase(a)
			if err != nil {
				return Change{}, err
			}
			return Change{Actor: RetentionSweeper, At: a.Now, Events: []domain.Event{e}}, nil
		})
		switch {
		case errors.Is(err, errNothingToDo):
		case err != nil:
			return erased, fmt.Errorf("erase %s: %w", id, err)
		default:
			erased++
		}
	}
	return erased, nil
}
