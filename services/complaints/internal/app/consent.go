package app

import (
	"context"
	"fmt"

	"casework.dev/pkg/casework"
	"casework.dev/services/complaints/internal/domain"
)

// RecordConsent records the complainant's consent to share with a recipient the notice
// names; explicit when the complainant gave it explicitly, which only a recipient the notice
// shares something with on explicit consent can need.
func (s *Service) RecordConsent(ctx context.Context, officer, id, recipient string, explicit bool) (*domain.Complaint, error) {
	rec, ok := s.notice.Recipient(recipient)
	if !ok {
		return nil, &casework.ValidationError{Field: "recipient", Detail: fmt.Sprintf("%q is not a recipient named in the complaints notice", recipient)}
	}
	if why := s.notice.Unrecordable(rec, "consent"); why != "" {
		return nil, &casework.ValidationError{Field: "recipient", Detail: why}
	}
	if why := s.notice.Unrecordable(rec, ConditionExplicitConsent); explicit && why != "" {
		return nil, &casework.ValidationError{Field: "explicit", Detail: why}
	}
	return s.transition(ctx, officer, id, func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.RecordConsent(recipient, explicit, a)
	})
}

// WithdrawConsent records that consent to share with a recipient no longer stands.
func (s *Service) WithdrawConsent(ctx context.Context, officer, id, recipient string) (*domain.Complaint, error) {
	return s.transition(ctx, officer, id, func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		return c.WithdrawConsent(recipient, a)
	})
}
