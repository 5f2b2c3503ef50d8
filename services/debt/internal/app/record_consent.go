package app

import (
	"context"
	"fmt"

	"casework.dev/pkg/casework"
	"casework.dev/services/debt/internal/domain"
)

// RecordConsent records a debtor's consent to share with a recipient the notice names:
// debtor is who gave it, their position in the case's names from 1 (0: the only debtor of
// a case of one). It covers their data alone.
func (s *Service) RecordConsent(ctx context.Context, caller Caller, id, recipient string, debtor int) (*domain.Case, error) {
	if err := s.namedRecipient(recipient); err != nil {
		return nil, err
	}
	rec, _ := s.notice.Recipient(recipient)
	if why := s.notice.Unrecordable(rec, "consent"); why != "" {
		return nil, &casework.ValidationError{Field: "recipient", Detail: why}
	}
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		return c.RecordConsent(debtor, recipient, a)
	})
}

// WithdrawConsent records a debtor's withdrawal of consent to a recipient (debtor as
// RecordConsent names them): an opt-out of marketing is honoured from that moment.
func (s *Service) WithdrawConsent(ctx context.Context, caller Caller, id, recipient string, debtor int) (*domain.Case, error) {
	if err := s.namedRecipient(recipient); err != nil {
		return nil, err
	}
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		return c.WithdrawConsent(debtor, recipient, a)
	})
}

func (s *Service) namedRecipient(recipient string) error {
	if _, ok := s.notice.Recipient(recipient); !ok {
		return &casework.ValidationError{Field: "recipient", Detail: fmt.Sprintf("%q is not a recipient named in the debt notice", recipient)}
	}
	return nil
}
