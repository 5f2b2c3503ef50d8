package app

import (
	"context"

	"casework.dev/services/complaints/internal/domain"
)

// NoFurtherContactCloser is the actor recorded when an answered complaint the complainant
// took no further is closed.
const NoFurtherContactCloser = "system:no-further-contact"

// CloseNoFurtherContact closes each complaint answered at stage 1 or 2 and not changed for
// the 12 months since (domain.NoFurtherContactPeriod, from the calendar), with the reason
// domain.ClosureNoFurtherContact, so its retention runs from that closure exactly as from
// an officer's (Close). Each closure is one transaction guarded by the case's version with
// its event and audit entry; a complaint already closed, or changed since it was listed,
// is left alone, so running the sweep twice closes once.
func (s *Service) CloseNoFurtherContact(ctx context.Context, batch int) (int, error) {
	// A superset of those due: the period is counted in London days from the last change,
	// so a little more than 12 months back in UTC; the domain decides each exactly. Oldest
	// first, so those not yet due never keep a due one out of the batch.
	before := s.now().AddDate(0, -domain.NoFurtherContactMonths, 2)
	ids, err := s.repo.RespondedUnchangedSince(ctx, before, batch)
	if err != nil {
		return 0, err
	}
	return s.sweep(ctx, NoFurtherContactCloser, ids, func(c *domain.Complaint, a domain.Actor) (domain.Event, bool, error) {
		if period, ok := c.NoFurtherContactPeriod(a.Cal); !ok || !period.IsOverdue(a.Now) {
			return domain.Event{}, false, nil // answered, escalated, referred or changed since listed
		}
		ends, err := s.retentionEnds(retentionStage(c), a) // as an officer's closure
		if err != nil {
			return domain.Event{}, false, err
		}
		return c.CloseNoFurtherContact(a, ends)
	})
}
