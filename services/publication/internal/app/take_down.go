package app

import (
	"context"

	"casework.dev/services/publication/internal/domain"
)

// TakeDown is a manager taking a published entry down by hand, with a reason.
func (s *Service) TakeDown(ctx context.Context, manager, id, reason string) (*domain.Decision, error) {
	return s.change(ctx, manager, id, func(d *domain.Decision, a domain.Actor) (Change, error) {
		e, err := d.TakeDown(reason, s.retentionDue(a), a)
		return Change{Event: e}, err
	})
}
