package app

import (
	"context"
	"time"

	"casework.dev/pkg/audit"
	"casework.dev/services/investigations/internal/domain"
)

// Get reads a case the caller may see, auditing the read; an attempt the need-to-know
// rule refuses is audited too and answered as not found.
func (s *Service) Get(ctx context.Context, who domain.Caller, id string) (*domain.Investigation, error) {
	c, err := s.repo.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	if !c.MayAccess(who) {
		return nil, s.refuse(ctx, who, id, "read", now)
	}
	if err := s.repo.Audit(ctx, auditRead(who, id, now)); err != nil {
		return nil, err
	}
	return c, nil
}

// List returns summaries (no personal data) of the cases the caller may know of.
func (s *Service) List(ctx context.Context, who domain.Caller, f Filter) ([]Summary, error) {
	return s.repo.List(ctx, f, who)
}

func auditRead(who domain.Caller, id string, at time.Time) audit.Entry {
	return audit.Entry{Chain: chain(id), At: at, Actor: who.Officer, Action: "investigation.read", Subject: id,
		Detail: map[string]any{"manager": who.Manager}}
}
