package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// WithdrawCondition records that a person withdrew their consent or explicit consent to a
// recipient, so that no later referral rests on it; the referrals made before stand.
func (s *Service) WithdrawCondition(ctx context.Context, who domain.Caller, id, recipient, condition, personID string) (*domain.Investigation, error) {
	return s.transition(ctx, who, id, "withdraw_condition", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		return c.WithdrawCondition(recipient, condition, personID, now, who.Officer)
	})
}
