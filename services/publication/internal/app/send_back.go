package app

import (
	"context"

	"casework.dev/services/publication/internal/domain"
)

// SendBack is a manager (not the drafter) returning a draft with a reason.
func (s *Service) SendBack(ctx context.Context, manager, id, reason string) (*domain.Decision, error) {
	return s.change(ctx, manager, id, func(d *domain.Decision, a domain.Actor) (Change, error) {
		e, err := d.SendBack(reason, a)
		return Change{Event: e}, err
	})
}
