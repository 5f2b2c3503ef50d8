package app

import (
	"context"
	"fmt"

	"casework.dev/services/rights/internal/domain"
)

// GetRequest reads a request with its history; the read itself is audited.
func (s *Service) GetRequest(ctx context.Context, reader, id string) (*domain.Request, []HistoryEntry, error) {
	r, err := s.requests.Read(ctx, id, reader, s.now())
	if err != nil {
		return nil, nil, err
	}
	h, err := s.requests.History(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("history of %s: %w", id, err)
	}
	return r, h, nil
}

// ListRequests lists requests without personal data.
func (s *Service) ListRequests(ctx context.Context, f Filter) ([]Summary, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	return s.requests.List(ctx, f, s.now())
}
