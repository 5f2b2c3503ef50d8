package app

import (
	"context"
	"errors"
	"time"

	"casework.dev/pkg/audit"
	"casework.dev/pkg/calendar"
	"casework.dev/pkg/notice"
	"casework.dev/services/investigations/internal/domain"
)

// ASBReviewConfig is the locally set threshold for an anti-social behaviour case review
// (Anti-social Behaviour, Crime and Policing Act 2014 s104): Threshold reports about the
// same location or the same person within Within. A zero Threshold disables it.
type ASBReviewConfig struct {
	Threshold int
	Within    time.Duration
}

// Service runs the investigations use cases.
type Service struct {
	repo   Repository
	clock  calendar.Clock
	notice *notice.Notice
	newID  func() string
	asb    ASBReviewConfig
}

// NewService wires the use cases; newID makes ids (UUIDs).
func NewService(repo Repository, clock calendar.Clock, n *notice.Notice, newID func() string, asb ASBReviewConfig) *Service {
	return &Service{repo: repo, clock: clock, notice: n, newID: newID, asb: asb}
}

// Notice is the privacy notice the service enforces.
func (s *Service) Notice() *notice.Notice { return s.notice }

// Now is the service clock truncated to what PostgreSQL stores.
func (s *Service) Now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// IsArea implements domain.Areas from the notice's case types.
func (s *Service) IsArea(id string) bool {
	for _, l := range s.notice.CaseTypes {
		if l.ID == id {
			return true
		}
	}
	return false
}

func chain(id string) string { return "investigation:" + id }

// errNeedToKnow stops an update by someone the need-to-know rule keeps out.
var errNeedToKnow = errors.New("need to know")

// change applies one domain step to a case the caller may access, recomputes the retention
// clocks and records the step's event. A caller kept out by need-to-know gets ErrNotFound,
// and the attempt is audited.
func (s *Service) change(ctx context.Context, who domain.Caller, id, attempt string, apply func(c *domain.Investigation, now time.Time) (Change, error)) (*domain.Investigation, error) {
	now := s.Now()
	c, err := s.repo.Update(ctx, id, func(c *domain.Investigation) (Change, error) {
		if !c.MayAccess(who) {
			return Change{}, errNeedToKnow
		}
		ch, err := apply(c, now)
		if err != nil {
			return Change{}, err
		}
		if err := s.applyRetention(c); err != nil {
			return Change{}, err
		}
		ch.Actor, ch.At = who.Officer, now
		return ch, nil
	})
	if errors.Is(err, errNeedToKnow) {
		return nil, s.refuse(ctx, who, id, attempt, now)
	}
	return c, err
}

// transition is change for the common case of one domain method returning one event.
func (s *Service) transition(ctx context.Context, who domain.Caller, id, attempt string, fn func(c *domain.Investigation, now time.Time) (domain.Event, error)) (*domain.Investigation, error) {
	return s.change(ctx, who, id, attempt, func(c *domain.Investigation, now time.Time) (Change, error) {
		e, err := fn(c, now)
		if err != nil {
			return Change{}, err
		}
		return Change{Events: []domain.Event{e}}, nil
	})
}

// refuse audits an attempt the need-to-know rule refused and answers as if the case did
// not exist.
func (s *Service) refuse(ctx context.Context, who domain.Caller, id, attempt string, now time.Time) error {
	err := s.repo.Audit(ctx, audit.Entry{Chain: chain(id), At: now, Actor: who.Officer, Action: "investigation.access_refused",
		Subject: id, Detail: map[string]any{"attempted": attempt, "rule": "need_to_know"}})
	if err != nil {
		return err
	}
	return domain.ErrNotFound
}
