package app

import (
	"context"
	"fmt"

	"casework.dev/pkg/casework"
	"casework.dev/services/publication/internal/domain"
)

// ManualConviction is a successful prosecution another team brought (licensing, planning
// enforcement, ...), entered by an officer.
type ManualConviction struct {
	Team          string
	CaseReference string
	Conviction    domain.Conviction
}

// EnterConviction opens a decision for a prosecution entered by hand. A repeated
// idempotency key (the officer's own) with the same request returns the decision it first
// opened, with created false, and stores nothing; with another request it is refused
// (casework.ErrIdempotencyKeyReused, the IETF Idempotency-Key draft).
func (s *Service) EnterConviction(ctx context.Context, officer string, in ManualConviction, key casework.IdempotencyKey) (*domain.Decision, bool, error) {
	a := s.actor(officer)
	id := s.newID()
	src := domain.Source{Kind: domain.SourceManual, Ref: id, Team: in.Team, CaseReference: in.CaseReference}
	d, e, err := domain.Receive(id, src, in.Conviction, s.undecidedDue(a), a)
	if err != nil {
		return nil, false, err
	}
	existing, err := s.repo.Add(ctx, d, key, Change{Actor: officer, At: a.Now, Event: e})
	if err != nil {
		return nil, false, fmt.Errorf("enter conviction: %w", err)
	}
	if existing == "" {
		return d, true, nil
	}
	prior, err := s.repo.Read(ctx, existing, officer, a.Now)
	if err != nil {
		return nil, false, err
	}
	return prior, false, nil
}
