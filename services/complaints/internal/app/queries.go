package app

import (
	"context"
	"time"

	"casework.dev/services/complaints/internal/domain"
)

// GetComplaint reads one complaint with its personal data; the read is audited.
func (s *Service) GetComplaint(ctx context.Context, officer, id string) (*domain.Complaint, []HistoryEntry, error) {
	c, err := s.repo.Read(ctx, id, officer, s.now(), true)
	if err != nil {
		return nil, nil, err
	}
	history, err := s.repo.History(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return c, history, nil
}

// ListComplaints lists cases without personal data.
func (s *Service) ListComplaints(ctx context.Context, f Filter) ([]Summary, error) {
	return s.repo.List(ctx, f, s.now())
}

// Now is the service clock, for callers that report it.
func (s *Service) Now() time.Time { return s.now() }
