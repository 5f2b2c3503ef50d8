package app

import (
	"context"

	"casework.dev/services/rights/internal/domain"
)

// AcknowledgeNotice records that a recipient acknowledged an Article 19 notice.
func (s *Service) AcknowledgeNotice(ctx context.Context, officer, id, noticeID string) (*domain.Request, error) {
	return s.change(ctx, officer, id, func(r *domain.Request, a domain.Actor) (Change, error) {
		return one(r.AcknowledgeNotice(noticeID, a))
	})
}
