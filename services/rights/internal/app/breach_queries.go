package app

import (
	"context"
	"fmt"

	"casework.dev/services/rights/internal/domain"
)

// GetBreach reads a breach with its history; the read is audited.
func (s *Service) GetBreach(ctx context.Context, reader, id string) (*domain.Breach, []HistoryEntry, error) {
	b, err := s.breaches.Read(ctx, id, reader, s.now())
	if err != nil {
		return nil, nil, err
	}
	h, err := s.breaches.History(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("history of %s: %w", id, err)
	}
	return b, h, nil
}

// ListBreaches lists breaches without personal data.
func (s *Service) ListBreaches(ctx context.Context, f Filter) ([]BreachSummary, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	return s.breaches.List(ctx, f)
}
