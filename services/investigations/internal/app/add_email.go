package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// AddEmail records personal data received by e-mail.
func (s *Service) AddEmail(ctx context.Context, who domain.Caller, id string, m domain.Email) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "add_email", func(c *domain.Investigation, now time.Time) (domain.Event, error) { return c.AddEmail(m, now, s.newID) })
}
