package app

import (
	"context"
	"fmt"

	"casework.dev/pkg/calendar"
	"casework.dev/services/publication/internal/domain"
)

// GetDecision reads a decision with its history; the read itself is audited.
func (s *Service) GetDecision(ctx context.Context, reader, id string) (*domain.Decision, []HistoryEntry, error) {
	d, err := s.repo.Read(ctx, id, reader, s.now())
	if err != nil {
		return nil, nil, err
	}
	h, err := s.repo.History(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("history of %s: %w", id, err)
	}
	return d, h, nil
}

// ListDecisions lists decisions without personal data.
func (s *Service) ListDecisions(ctx context.Context, f Filter) ([]Summary, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	return s.repo.List(ctx, f)
}

// Register is what the public register shows today: the six fields of each entry still
// published, even if the takedown sweep has not run yet.
func (s *Service) Register(ctx context.Context) ([]domain.Conviction, error) {
	return s.repo.Register(ctx, calendar.DateOf(s.now()))
}
