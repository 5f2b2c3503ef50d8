package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// ReceiveFOI records a request for information with its 20 working days.
func (s *Service) ReceiveFOI(ctx context.Context, officer string, in domain.NewFOIRequest) (*domain.FOIRequest, error) {
	a := domain.Actor{Officer: officer, Now: s.now(), Cal: s.ukCal}
	f, e, err := domain.ReceiveFOI(in, a)
	if err != nil {
		return nil, err
	}
	f.ID, f.Version = s.newID(), 1
	if err := s.foi.Add(ctx, f, Change{Actor: officer, At: a.Now, Events: []domain.Event{e}}); err != nil {
		return nil, err
	}
	return f, nil
}

// changeFOI applies one domain method to a request for information under its lock, its
// working days counted on the UK calendar.
func (s *Service) changeFOI(ctx context.Context, officer, id string, apply func(f *domain.FOIRequest, a domain.Actor) (Change, error)) (*domain.FOIRequest, error) {
	return changeCase(ctx, s, s.foi.Update, s.ukCal, officer, id, apply)
}
