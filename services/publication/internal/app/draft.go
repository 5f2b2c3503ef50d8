package app

import (
	"context"

	"casework.dev/services/publication/internal/domain"
)

// SubmitDraft records an officer's decision and submits it for a manager's approval.
func (s *Service) SubmitDraft(ctx context.Context, officer, id string, dr domain.Draft) (*domain.Decision, error) {
	return s.change(ctx, officer, id, func(d *domain.Decision, a domain.Actor) (Change, error) {
		e, err := d.SubmitDraft(dr, a)
		return Change{Event: e}, err
	})
}
