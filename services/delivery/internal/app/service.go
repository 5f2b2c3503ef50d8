package app

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"casework.dev/services/delivery/internal/domain"
)

// Service runs the use cases over a fixed set of webhook partners.
type Service struct {
	store    Store
	poster   Poster
	partners map[string]domain.Partner
	policy   domain.RetryPolicy
	now      func() time.Time
	newID    func() string
}

// NewService validates the partners and the retry policy.
func NewService(store Store, poster Poster, partners []domain.Partner, policy domain.RetryPolicy, now func() time.Time, newID func() string) (*Service, error) {
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	byID := make(map[string]domain.Partner, len(partners))
	for _, p := range partners {
		if err := p.Validate(); err != nil {
			return nil, err
		}
		if _, dup := byID[p.ID]; dup {
			return nil, fmt.Errorf("partner %s configured twice", p.ID)
		}
		byID[p.ID] = p
	}
	return &Service{store: store, poster: poster, partners: byID, policy: policy, now: now, newID: newID}, nil
}

// Partners lists the configured partners by id.
func (s *Service) Partners() []domain.Partner {
	return slices.SortedFunc(maps.Values(s.partners), func(a, b domain.Partner) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
}

// Policy is the retry policy in force.
func (s *Service) Policy() domain.RetryPolicy { return s.policy }
