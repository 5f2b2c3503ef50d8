package app

import (
	"context"
	"fmt"

	"casework.dev/pkg/casework"
	"casework.dev/services/complaints/internal/domain"
)

// RecordConsent records the complainant's consent to share with a recipient the notice names.
func (s *Service) RecordConsent(ctx context.Context, officer, id, recipient string) (*domain.Complaint, error) {
	if _, ok := s.notice.Recipient(recipient); !ok {
		return nil, &casework.ValidationError{Field: "recipient", Detail: fmt.Sprintf("%q is not a recipient named in the complaints notice", recipient)}
	}
	return s.transition(ctx, officer, id, func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.RecordConsent(recipient, a)
	})
}

// WithdrawConsent records that consent to share with a recipient no longer stands.
func (s *Service) WithdrawConsent(ctx context.Context, officer, id, recipient string) (*domain.Complaint, error) {
	return s.transition(ctx, officer, id, func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.WithdrawConsent(recipient, a)
	})
}
