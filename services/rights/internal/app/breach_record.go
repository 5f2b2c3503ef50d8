package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// RecordBreach records a suspected or confirmed breach with its 72 hours to report.
func (s *Service) RecordBreach(ctx context.Context, officer string, in domain.NewBreach) (*domain.Breach, error) {
	a := s.actor(officer)
	b, e, err := domain.RecordBreach(in, a)
	if err != nil {
		return nil, err
	}
	b.ID, b.Version = s.newID(), 1
	if err := s.breaches.Add(ctx, b, Change{Actor: officer, At: a.Now, Events: []domain.Event{e}}); err != nil {
		return nil, err
	}
	return b, nil
}

// changeBreach applies one domain method to a breach under its lock.
func (s *Service) changeBreach(ctx context.Context, officer, id string, apply func(b *domain.Breach, a domain.Actor) (Change, error)) (*domain.Breach, error) {
	return changeCase(ctx, s, s.breaches.Update, s.cal, officer, id, apply)
}
