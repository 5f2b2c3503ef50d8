package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// Confirm records which candidates are the person's and asks the services holding them to
// act on the request.
func (s *Service) Confirm(ctx context.Context, dpo, id string, matches []domain.Match) (*domain.Request, error) {
	r, err := s.change(ctx, dpo, id, func(r *domain.Request, a domain.Actor) (Change, error) {
		return one(r.Confirm(matches, a))
	})
	if err == nil {
		s.wake()
	}
	return r, err
}
