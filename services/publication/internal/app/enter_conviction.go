package app

import (
	"casework.dev/pkg/casework"
	"context"
	"fmt"

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
// idempotency key (the officer's own) returns the decision it first opened, with created
// false, and stores nothing.
func (s *Service) EnterConviction(ctx context.Context, officer string, in ManualConviction, idempotencyKey string) (*domain.Decision, bool, error) {
	a := s.actor(officer)
	id := s.newID()
	ref := id
	if idempotencyKey != "" {
		ref = officer + "|" + idempotencyKey
	}
	src := domain.Source{Kind: domain.SourceManual, Ref: ref, Team: in.Team, CaseReference: in.CaseReference}
	d, e, err := domain.Receive(id, src, in.Conviction, a)
	if err != nil {
		return nil, false, err
	}
	existing, err := s.repo.Add(ctx, d, Change{Actor: officer, At: a.Now, Event: e})
	if err != nil {
		return nil, false, fmt.Errorf("enter conviction: %w", err)
	}
	if existing != "" {
		prior, err := s.repo.Read(ctx, existing, officer, a.Now)
		if err != nil {
			return nil, false, err
		}
		// The key replays only the request it came with (the IETF Idempotency-Key draft): the
		// same key with another conviction is refused, and the first stays as it was.
		if prior.Conviction != d.Conviction || prior.Source.Team != src.Team || prior.Source.CaseReference != src.CaseReference {
			return nil, false, casework.ErrIdempotencyKeyReused
		}
		return prior, false, nil
	}
	return d, true, nil
}
