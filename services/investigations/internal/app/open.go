package app

import (
	"context"

	"casework.dev/pkg/casework"
	"casework.dev/services/investigations/internal/domain"
)

// Open logs a report. With the officer's idempotency key used before with the same
// request, it stores nothing and returns the investigation that key created
// (created=false); with another request it is refused (casework.ErrIdempotencyKeyReused).
func (s *Service) Open(ctx context.Context, who domain.Caller, in domain.NewInvestigation, key casework.IdempotencyKey) (*domain.Investigation, bool, error) {
	now := s.Now()
	c, e, err := domain.Open(s.newID(), in, s, who.Officer, now, s.newID)
	if err != nil {
		return nil, false, err
	}
	if err := s.applyRetention(c); err != nil {
		return nil, false, err
	}
	key.Actor = who.Officer // a key is the officer's own
	existing, err := s.repo.Add(ctx, c, key, Change{Actor: who.Officer, At: now, Events: []domain.Event{e}})
	if err != nil {
		return nil, false, err
	}
	if existing != "" {
		got, err := s.Get(ctx, who, existing)
		return got, false, err
	}
	if reviewed, err := s.checkASBReview(ctx, who, c); err != nil {
		return nil, false, err
	} else if reviewed != nil {
		c = reviewed
	}
	return c, true, nil
}
