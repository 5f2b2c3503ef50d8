package app

import (
	"context"
	"errors"
	"time"

	"casework.dev/pkg/audit"
	"casework.dev/services/complaints/internal/domain"
)

// GetComplaint reads one complaint the caller may see, with its personal data; the read is
// audited. An attempt the access rule refuses is audited too and answered as not found.
func (s *Service) GetComplaint(ctx context.Context, who domain.Caller, id string) (*domain.Complaint, []HistoryEntry, error) {
	if who.StageOnly() != 0 {
		// Look before the audited read: a refused caller must not have read the case.
		c, err := s.repo.Read(ctx, id, who.Officer, s.now(), false)
		if err != nil {
			return nil, nil, err
		}
		if !c.MayAccess(who) {
			return nil, nil, s.refuse(ctx, who, id, "read")
		}
	}
	c, err := s.repo.Read(ctx, id, who.Officer, s.now(), true)
	if err != nil {
		return nil, nil, err
	}
	history, err := s.repo.History(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return c, history, nil
}

// ListComplaints lists, without personal data, the cases the caller may know of.
func (s *Service) ListComplaints(ctx context.Context, who domain.Caller, f Filter) ([]Summary, error) {
	if only := who.StageOnly(); only != 0 {
		if f.Stage != 0 && f.Stage != only {
			return nil, nil
		}
		f.Stage = only
	}
	return s.repo.List(ctx, f, s.now())
}

// Now is the service clock, for callers that report it.
func (s *Service) Now() time.Time { return s.now() }

// errNoAccess stops an update by a caller the access rule keeps out of the case.
var errNoAccess = errors.New("no access to the complaint")

// transitionAs is transition for a caller the access rule applies to: one kept out of the
// case changes nothing, and hears, audited, that no such complaint exists.
func (s *Service) transitionAs(ctx context.Context, who domain.Caller, id, attempt string, apply func(c *domain.Complaint, a domain.Actor) (domain.Event, error)) (*domain.Complaint, error) {
	c, err := s.transition(ctx, who.Officer, id, func(c *domain.Complaint, a domain.Actor) (domain.Event, error) {
		if !c.MayAccess(who) {
			return domain.Event{}, errNoAccess
		}
		return apply(c, a)
	})
	if errors.Is(err, errNoAccess) {
		return nil, s.refuse(ctx, who, id, attempt)
	}
	return c, err
}

// refuse audits an attempt the access rule refused and answers as if the case did not exist.
func (s *Service) refuse(ctx context.Context, who domain.Caller, id, attempt string) error {
	err := s.repo.Audit(ctx, audit.Entry{At: s.now(), Actor: who.Officer, Action: "complaint.access_refused",
		Subject: id, Detail: map[string]any{"attempted": attempt, "rule": "stage_3_only"}})
	if err != nil {
		return err
	}
	return domain.ErrNotFound
}
