package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// AddPerson records someone involved. A subject recorded on an anti-social behaviour report
// after it was logged makes it a report about that person, so it counts towards their case
// review threshold as if they had been named when it was logged (checkASBReview).
func (s *Service) AddPerson(ctx context.Context, who domain.Caller, id string, p domain.Person) (*domain.Investigation, error) {
	c, err := s.transition(ctx, who, id, "add_person", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		return c.AddPerson(p, now, s.newID)
	})
	if err != nil || p.Role != domain.RoleSubject {
		return c, err
	}
	if reviewed, err := s.checkASBReview(ctx, who, c); err != nil {
		return nil, err
	} else if reviewed != nil {
		c = reviewed
	}
	return c, nil
}
