package app

import (
	"context"
	"slices"
	"time"

	"casework.dev/pkg/casework"
	"casework.dev/services/investigations/internal/domain"
)

// RecordCondition records a sharing condition for one recipient named in the notice.
func (s *Service) RecordCondition(ctx context.Context, who domain.Caller, id string, k domain.RecordedCondition) (*domain.Investigation, error) {
	recipient, condition := k.Recipient, k.Condition
	rec, ok := s.notice.Recipient(recipient)
	if !ok {
		return nil, &casework.ValidationError{Field: "recipient", Detail: "is not a recipient named in the investigations notice"}
	}
	if !slices.Contains(recordable, condition) {
		return nil, &casework.ValidationError{Field: "condition", Detail: "must be one of the conditions recorded case by case"}
	}
	if why := s.notice.Unrecordable(rec, condition); why != "" {
		return nil, &casework.ValidationError{Field: "condition", Detail: why}
	}
	return s.transition(ctx, who, id, "record_condition", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		k.At, k.By = now, who.Officer
		return c.RecordCondition(k)
	})
}

// recordable are the conditions an officer records case by case.
var recordable = []string{"consent", "explicit_consent", "crime_prevention", "recorded_necessity", "vital_interests", "legal_obligation"}
