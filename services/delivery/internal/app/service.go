package app

import (
	"fmt"
	"maps"
	"math/rand/v2"
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
	// retention is how long a dead letter keeps the disclosure's body after delivery gave up.
	retention time.Duration
	now       func() time.Time
	newID     func() string
	// jitter spreads each backoff (domain.RetryPolicy.JitteredWait): a number in [0, 1).
	jitter func() float64
}

// NewService validates the partners, the retry policy and the dead letters' body retention.
func NewService(store Store, poster Poster, partners []domain.Partner, policy domain.RetryPolicy, retention time.Duration,
	now func() time.Time, newID func() string) (*Service, error) {
	if err := policy.Validate(); err != nil {
		return nil, err
	}
	if retention <= 0 {
		return nil, fmt.Errorf("dead letter retention %s: want a positive duration", retention)
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
	return &Service{store: store, poster: poster, partners: byID, policy: policy, retention: retention, now: now, newID: newID,
		jitter: rand.Float64}, nil
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

// Retention is how long a dead letter keeps the disclosure's body after delivery gave up.
func (s *Service) Retention() time.Duration { return s.retention }
