package app

import (
	"context"
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// Triage accepts a report for assessment.
func (s *Service) Triage(ctx context.Context, who domain.Caller, id string) (*domain.Investigation, error) {
	return s.step(ctx, who, id, "triage", func(c *domain.Investigation, _ time.Time) (domain.Event, error) { return c.Triage() })
}

// Investigate starts the investigation.
func (s *Service) Investigate(ctx context.Context, who domain.Caller, id string) (*domain.Investigation, error) {
	return s.step(ctx, who, id, "investigate", func(c *domain.Investigation, _ time.Time) (domain.Event, error) { return c.Investigate() })
}

// TakeAction records an enforcement step.
func (s *Service) TakeAction(ctx context.Context, who domain.Caller, id, kind, notes string) (*domain.Investigation, error) {
	return s.step(ctx, who, id, "take_action", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		return c.TakeAction(kind, notes, who.Officer, now)
	})
}

// Prosecute refers the matter for prosecution.
func (s *Service) Prosecute(ctx context.Context, who domain.Caller, id string) (*domain.Investigation, error) {
	return s.step(ctx, who, id, "prosecute", func(c *domain.Investigation, _ time.Time) (domain.Event, error) { return c.Prosecute() })
}

// Close ends the service; the case file's retention clock starts.
func (s *Service) Close(ctx context.Context, who domain.Caller, id, reason string) (*domain.Investigation, error) {
	return s.step(ctx, who, id, "close", func(c *domain.Investigation, now time.Time) (domain.Event, error) { return c.Close(reason, now) })
}

// AddPerson records someone involved.
func (s *Service) AddPerson(ctx context.Context, who domain.Caller, id string, p domain.Person) (*domain.Investigation, error) {
	return s.step(ctx, who, id, "add_person", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		return c.AddPerson(p, now, s.newID)
	})
}

// AddEvidence records a statement, document, photo or footage.
func (s *Service) AddEvidence(ctx context.Context, who domain.Caller, id string, e domain.EvidenceItem) (*domain.Investigation, error) {
	return s.step(ctx, who, id, "add_evidence", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		return c.AddEvidence(e, now, s.newID)
	})
}

// UseAsEvidence marks an evidence item as relied on.
func (s *Service) UseAsEvidence(ctx context.Context, who domain.Caller, id, itemID string) (*domain.Investigation, error) {
	return s.step(ctx, who, id, "use_as_evidence", func(c *domain.Investigation, _ time.Time) (domain.Event, error) { return c.UseAsEvidence(itemID) })
}

// AddSpecial records a special category item.
func (s *Service) AddSpecial(ctx context.Context, who domain.Caller, id string, item domain.SpecialItem) (*domain.Investigation, error) {
	return s.step(ctx, who, id, "add_special", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		return c.AddSpecial(item, now, s.newID)
	})
}

// AddEmail records personal data received by e-mail.
func (s *Service) AddEmail(ctx context.Context, who domain.Caller, id string, m domain.Email) (*domain.Investigation, error) {
	return s.step(ctx, who, id, "add_email", func(c *domain.Investigation, now time.Time) (domain.Event, error) { return c.AddEmail(m, now, s.newID) })
}

// Assign adds an officer to the case.
func (s *Service) Assign(ctx context.Context, who domain.Caller, id, officer string) (*domain.Investigation, error) {
	return s.step(ctx, who, id, "assign", func(c *domain.Investigation, _ time.Time) (domain.Event, error) { return c.Assign(officer) })
}

// SetLegalHold stops erasure.
func (s *Service) SetLegalHold(ctx context.Context, who domain.Caller, id, reason string) (*domain.Investigation, error) {
	return s.step(ctx, who, id, "legal_hold", func(c *domain.Investigation, now time.Time) (domain.Event, error) {
		return c.SetLegalHold(reason, who.Officer, now)
	})
}

// ReleaseLegalHold lets retention run again.
func (s *Service) ReleaseLegalHold(ctx context.Context, who domain.Caller, id string) (*domain.Investigation, error) {
	return s.step(ctx, who, id, "release_legal_hold", func(c *domain.Investigation, _ time.Time) (domain.Event, error) { return c.ReleaseLegalHold() })
}

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
