package app

import (
	"context"

	"casework.dev/services/complaints/internal/domain"
)

// ReferralSettler is the actor recorded when deadlines saved before referrals to the
// Ombudsman stopped clocks are settled.
const ReferralSettler = "system:referral-clocks"

// SettleReferralDeadlines gives the deadlines of complaints referred before this release
// what a referral now does to them: the pause, restarted or ended as the Ombudsman decided
// (domain.SettleReferralDeadlines). It is done here rather than in the migration because
// the pause is counted in working days with the bank-holiday table.
func (s *Service) SettleReferralDeadlines(ctx context.Context, batch int) (int, error) {
	ids, err := s.repo.ReferredDeadlinesToSettle(ctx, batch)
	if err != nil {
		return 0, err
	}
	return s.sweep(ctx, ReferralSettler, ids, func(c *domain.Complaint, a domain.Actor) (domain.Event, bool, error) {
		return c.SettleReferralDeadlines(a)
	})
}
