package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// RecordRemovalAttendance records an agent's attendance to remove goods under control for
// sale, or to prepare them for sale where they are; the first begins the sale stage and
// charges its fee (see domain.Case.RecordRemovalAttendance).
func (s *Service) RecordRemovalAttendance(ctx context.Context, caller Caller, id string, in domain.NewRemovalAttendance) (*domain.Case, error) {
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		client, err := s.repo.Client(ctx, c.ClientID)
		if err != nil {
			return domain.Event{}, err
		}
		return c.RecordRemovalAttendance(in, client.CreditorIsAgent, a)
	})
}
