package app

import (
	"context"
	"errors"
	"fmt"

	"casework.dev/services/complaints/internal/domain"
)

// OverdueSweeper is the actor recorded for overdue events.
const OverdueSweeper = "system:overdue-sweep"

// SweepOverdue raises exactly one overdue event (and status event) for each deadline that
// has passed unmet. The mark is stored with the event, under the case's row lock, so
// concurrent sweeps and restarts never raise it twice.
func (s *Service) SweepOverdue(ctx context.Context, batch int) (int, error) {
	now := s.now()
	refs, err := s.repo.RunningDeadlinesDue(ctx, now, batch)
	if err != nil {
		return 0, err
	}
	raised := 0
	for _, ref := range refs {
		_, err := s.repo.Update(ctx, ref.ComplaintID, func(c *domain.Complaint) (Change, error) {
			e, ok := c.MarkOverdue(ref.Stage, ref.Kind, now)
			if !ok {
				return Change{}, errNothingToDo
			}
			return Change{Actor: OverdueSweeper, At: now, Events: []domain.Event{e}}, nil
		})
		switch {
		case errors.Is(err, errNothingToDo):
		case err != nil:
			return raised, fmt.Errorf("mark %s/%d/%s overdue: %w", ref.ComplaintID, ref.Stage, ref.Kind, err)
		default:
			raised++
		}
	}
	return raised, nil
}

// errNothingToDo rolls back an update that found another sweep got there first.
var errNothingToDo = errors.New("nothing to do")
