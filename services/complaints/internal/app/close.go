package app

import (
	"context"
	"fmt"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/notice"
	"casework.dev/services/complaints/internal/domain"
)

// Close ends the complaint and fixes the date its personal data is due for erasure, from
// the notice's retention rule for the stage it reached. A caller who may not know of the
// complaint (the escalation handler, of a stage 1 or 2 one) hears it does not exist.
func (s *Service) Close(ctx context.Context, who domain.Caller, id, reason string) (*domain.Complaint, error) {
	return s.transitionAs(ctx, who, id, "close", func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		ends, err := s.retentionEnds(retentionStage(c), a)
		if err != nil {
			return domain.Event{}, err
		}
		return c.Close(a, reason, ends)
	})
}

// retentionStage is the stage whose retention rule applies to c's closure: 3 once it went
// to the Ombudsman, even if sent back to stage 2 since.
func retentionStage(c *domain.Complaint) int {
	if c.Stage3 != nil {
		return 3
	}
	return c.Stage
}

func (s *Service) retentionEnds(stage int, a domain.Actor) (calendar.Date, error) {
	p, err := s.notice.RetentionFor(scope(stage), notice.RetentionFacts{})
	if err != nil {
		return calendar.Date{}, fmt.Errorf("retention rule for %s: %w", scope(stage), err)
	}
	if p.Trigger != "closure" {
		return calendar.Date{}, fmt.Errorf("retention rule %s runs from %q; the complaints service closes on closure", p.RuleID, p.Trigger)
	}
	if p.Months == 0 && p.Days == 0 && p.Hours == 0 {
		return s.cal.AddYears(a.Now, p.Years).DueDate, nil
	}
	return calendar.DateOf(p.AddTo(a.Now.In(calendar.London()))), nil // from the London day of closure
}
