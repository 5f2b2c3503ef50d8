package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// AddSpecial records a special category item.
func (s *Service) AddSpecial(ctx context.Context, who domain.Caller, id string, item domain.SpecialItem) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "add_special", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		return c.AddSpecial(item, now, s.newID)
	})
}
