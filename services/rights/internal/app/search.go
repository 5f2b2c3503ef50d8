package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// StartSearch asks every configured service for the person's records; the fan-out sweep
// does the asking, at once and again for a service that does not answer.
func (s *Service) StartSearch(ctx context.Context, officer, id string) (*domain.Request, error) {
	r, err := s.change(ctx, officer, id, func(r *domain.Request, a domain.Actor) (Change, error) {
		return one(r.StartSearch(s.cfg.Services, a))
	})
	if err == nil {
		s.wake()
	}
	return r, err
}
