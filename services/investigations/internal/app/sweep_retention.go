package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/rightsdata"
	"casework.dev/services/investigations/internal/domain"
)

// RetentionSweeper is the actor recorded for retention erasures.
const RetentionSweeper = "system:retention-sweep"

// SweepRetention erases, case by case, every item whose own retention has ended, unless a
// legal hold stops it. It returns how many cases changed.
func (s *Service) SweepRetention(ctx context.Context, batch int) (int, error) {
	today := calendar.DateOf(s.Now())
	ids, err := s.repo.DueForErasure(ctx, today, batch)
	if err != nil {
		return 0, err
	}
	sweeper := domain.Caller{Officer: RetentionSweeper, Manager: true}
	changed := 0
	var failures []error
	for _, id := range ids {
		_, err := s.change(ctx, sweeper, id, "retention", func(c *domain.Investigation, now time.Time) (Change, error) {
			e, ok := c.EraseDue(today, now, rightsdata.Email)
			if !ok {
				return Change{}, errNothingToDo
			}
			// A disclosure made before may carry what was just erased.
			return Change{Events: []domain.Event{e}, PurgeShares: true}, nil
		})
		switch {
		case errors.Is(err, errNothingToDo):
		case err != nil:
			// One case that cannot be erased must not stop the others after it, as in
			// every other service's sweep: it stays first on the list, and is reported.
			failures = append(failures, fmt.Errorf("erase %s: %w", id, err))
		default:
			changed++
		}
	}
	return changed, errors.Join(failures...)
}

var errNothingToDo = errors.New("nothing to do")
