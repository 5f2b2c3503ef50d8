package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// AddPerson records someone involved.
func (s *Service) AddPerson(ctx context.Context, who domain.Caller, id string, p domain.Person) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "add_person", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		return c.AddPerson(p, now, s.newID)
	})
}
