package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// LiftRestriction lifts the restriction a restriction request (or an objection while it is
// considered) obtained, the person told beforehand (UK GDPR Article 18(3)): every service
// that restricted a record is asked to lift it (rights.lift), whatever the request's
// status, since a restriction outlives the answer to the request.
func (s *Service) LiftRestriction(ctx context.Context, officer, id string, in domain.LiftRequest) (*domain.Request, error) {
	r, err := s.change(ctx, officer, id, func(r *domain.Request, a domain.Actor) (Change, error) {
		return one(r.LiftRestriction(in, a))
	})
	if err == nil {
		s.wake()
	}
	return r, err
}
