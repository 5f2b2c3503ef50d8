package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// RecordVisit records an enforcement agent's attendance (see domain.Case.RecordVisit); the
// client says how payments are applied again when the fee it charges is older than some
// (Fees Regulations 2014 reg 13(5)).
func (s *Service) RecordVisit(ctx context.Context, caller Caller, id string, in domain.NewVisit) (*domain.Case, error) {
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		client, err := s.repo.Client(ctx, c.ClientID)
		if err != nil {
			return domain.Event{}, err
		}
		return c.RecordVisit(in, client.CreditorIsAgent, a)
	})
}
