package app

import (
	"context"
	"time"

	"casework.dev/services/debt/internal/domain"
)

// RecordPayment applies a payment in any amount between fees and debt as the Fees
// Regulations 2014 reg 13 requires; an overpayment is recorded as a refund due.
func (s *Service) RecordPayment(ctx context.Context, caller Caller, id string, amount int64, receivedAt time.Time) (*domain.Case, error) {
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		client, err := s.repo.Client(ctx, c.ClientID)
		if err != nil {
			return domain.Event{}, err
		}
		if receivedAt.IsZero() {
			receivedAt = a.Now
		}
		return c.RecordPayment(domain.NewPayment{ID: s.newID(), AmountPence: amount, ReceivedAt: receivedAt, Source: domain.SourcePayment}, client.CreditorIsAgent, a)
	})
}
