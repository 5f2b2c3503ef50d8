package app

import (
	"context"
	"fmt"

	"casework.dev/services/rights/internal/domain"
)

// GetFOI reads a request for information with its history; the read is audited.
func (s *Service) GetFOI(ctx context.Context, reader, id string) (*domain.FOIRequest, []HistoryEntry, error) {
	f, err := s.foi.Read(ctx, id, reader, s.now())
	if err != nil {
		return nil, nil, err
	}
	h, err := s.foi.History(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("history of %s: %w", id, err)
	}
	return f, h, nil
}

// ListFOI lists requests for information without personal data.
func (s *Service) ListFOI(ctx context.Context, f Filter) ([]FOISummary, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	return s.foi.List(ctx, f)
}

// DisclosureLog is the public log of released responses, newest first, without the
// requesters' identity.
func (s *Service) DisclosureLog(ctx context.Context) ([]DisclosureLogEntry, error) {
	return s.foi.DisclosureLog(ctx, 500)
}
