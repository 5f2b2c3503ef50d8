package app

import (
	"context"

	"casework.dev/services/publication/internal/domain"
)

// RecordAppeal records a successful appeal against the conviction; a published entry
// comes down from every register format at once.
func (s *Service) RecordAppeal(ctx context.Context, officer, id string, ap domain.Appeal) (*domain.Decision, error) {
	return s.change(ctx, officer, id, func(d *domain.Decision, a domain.Actor) (Change, error) {
		e, err := d.RecordAppeal(ap, s.retentionDue(a), a)
		return Change{Event: e}, err
	})
}
