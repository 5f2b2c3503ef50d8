package app

import (
	"context"

	"casework.dev/services/complaints/internal/domain"
)

// SetLegalHold stops retention erasure of the complaint.
func (s *Service) SetLegalHold(ctx context.Context, officer, id, reason string) (*domain.Complaint, error) {
	return s.transition(ctx, officer, id, func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.SetLegalHold(reason, a)
	})
}

// ReleaseLegalHold lets retention run again.
func (s *Service) ReleaseLegalHold(ctx context.Context, officer, id string) (*domain.Complaint, error) {
	return s.transition(ctx, officer, id, func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.ReleaseLegalHold(a)
	})
}
