package app

import (
	"context"
	"time"

	"casework.dev/services/debt/internal/domain"
)

// RecordSale records the sale of controlled goods; the proceeds are applied as a payment.
func (s *Service) RecordSale(ctx context.Context, caller Caller, id string, proceeds int64, at time.Time) (*domain.Case, error) {
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		client, err := s.repo.Client(ctx, c.ClientID)
		if err != nil {
			return domain.Event{}, err
		}
		return c.RecordSale(proceeds, at, s.newID(), client.CreditorIsAgent, a)
	})
}
