package app

import (
	"context"

	"casework.dev/services/debt/internal/domain"
)

// IssueNoticeOfSale gives notice of the sale of goods under control (no fee: see
// domain.Case.IssueNoticeOfSale).
func (s *Service) IssueNoticeOfSale(ctx context.Context, caller Caller, id string) (*domain.Case, error) {
	return s.transition(ctx, caller, id, func(c *domain.Case, a domain.Actor) (domain.Event, error) {
		return c.IssueNoticeOfSale(a)
	})
}
