package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// LogRequest records a request as it arrived, with its month (or its clock stopped while
// proof of identity or a representative's authority is awaited).
func (s *Service) LogRequest(ctx context.Context, officer string, in domain.NewRequest) (*domain.Request, error) {
	a := s.actor(officer)
	r, e, err := domain.Received(in, a)
	if err != nil {
		return nil, err
	}
	r.ID, r.Version = s.newID(), 1
	if err := s.requests.Add(ctx, r, Change{Actor: officer, At: a.Now, Events: []domain.Event{e}}); err != nil {
		return nil, err
	}
	return r, nil
}
