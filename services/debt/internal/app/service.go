package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/casework"
	"casework.dev/pkg/notice"
	"casework.dev/services/debt/internal/domain"
)

// ErrDuplicate: a client reference was referred by someone else meanwhile; a race the
// referral lost, so it answers as one (a retryable 409) when it keeps losing.
var ErrDuplicate = fmt.Errorf("client reference already referred: %w", casework.ErrConcurrentUpdate)

// Caller is who is asking: agency staff see every client; a client's user only its own.
type Caller struct {
	Subject  string
	ClientID string // empty for agency staff
}

// Service runs the debt use cases.
type Service struct {
	repo      Repository
	cal       *calendar.Calendar
	clock     calendar.Clock
	notice    *notice.Notice
	schedules domain.Schedules
	newID     func() string
}

// NewService wires the use cases; newID makes case and payment ids (UUIDs).
func NewService(repo Repository, cal *calendar.Calendar, clock calendar.Clock, n *notice.Notice, schedules domain.Schedules, newID func() string) *Service {
	return &Service{repo: repo, cal: cal, clock: clock, notice: n, schedules: schedules, newID: newID}
}

// Now is the service clock truncated to what PostgreSQL stores.
func (s *Service) Now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) actor(who string) domain.Actor {
	return domain.Actor{Officer: who, Now: s.Now(), Cal: s.cal, Schedules: s.schedules}
}

// transition is the shape of every change to one case: load under the version guard,
// check the caller may see it, apply one domain method, record its event.
func (s *Service) transition(ctx context.Context, caller Caller, id string, apply func(c *domain.Case, a domain.Actor) (domain.Event, error)) (*domain.Case, error) {
	if err := s.visible(ctx, caller, id); err != nil {
		return nil, err
	}
	a := s.actor(caller.Subject)
	return s.repo.Update(ctx, id, func(c *domain.Case) (Change, error) {
		e, err := apply(c, a)
		if err != nil {
			return Change{}, err
		}
		if err := s.closeWithRetention(c, a); err != nil {
			return Change{}, err
		}
		return Change{Actor: caller.Subject, At: a.Now, Event: e}, nil
	})
}

// visible answers ErrNotFound for a case of another client, and records the attempt in
// that case's audit trail: a client must not learn that the case exists.
func (s *Service) visible(ctx context.Context, caller Caller, id string) error {
	if caller.ClientID == "" {
		return nil
	}
	c, err := s.repo.Read(ctx, id)
	if err != nil {
		return err
	}
	if c.ClientID == caller.ClientID {
		return nil
	}
	if err := s.repo.Audit(ctx, id, caller.Subject, "case.access_refused", s.Now(), map[string]any{"caller_client": caller.ClientID}); err != nil {
		return err
	}
	return domain.ErrNotFound
}

// sweep applies one system change to each listed case and counts those it changed. apply
// returns false when the case no longer needs it; nothing is written then.
func (s *Service) sweep(ctx context.Context, actor string, ids []string, apply func(c *domain.Case, a domain.Actor) (domain.Event, bool, error)) (int, error) {
	changed := 0
	var failures []error
	for _, id := range ids {
		a := s.actor(actor)
		_, err := s.repo.Update(ctx, id, func(c *domain.Case) (Change, error) {
			e, ok, err := apply(c, a)
			if err != nil {
				return Change{}, err
			}
			if !ok {
				return Change{}, errNothingToDo
			}
			if err := s.closeWithRetention(c, a); err != nil {
				return Change{}, err
			}
			return Change{Actor: actor, At: a.Now, Event: e}, nil
		})
		switch {
		case errors.Is(err, errNothingToDo):
		case err != nil:
			failures = append(failures, fmt.Errorf("%s on %s: %w", actor, id, err))
		default:
			changed++
		}
	}
	return changed, errors.Join(failures...)
}

var errNothingToDo = errors.New("nothing to do")

// closeWithRetention fixes the erasure date of a case that has just closed, from the
// notice's retention rule: its whole years after the end of the year of closure
// (domain.RetentionDue; the notice's engine has no trigger for the end of a year, so the
// rule keeps the years from closure and its words say the rest).
func (s *Service) closeWithRetention(c *domain.Case, a domain.Actor) error {
	if !c.Closed() || !c.RetentionDue.IsZero() {
		return nil
	}
	p, err := s.notice.RetentionFor("case", notice.RetentionFacts{})
	if err != nil {
		return fmt.Errorf("retention rule: %w", err)
	}
	if p.Trigger != "closure" || p.Years == 0 || p.Months != 0 || p.Days != 0 || p.Hours != 0 {
		return fmt.Errorf("retention rule %s keeps %s from %s; debt cases are kept whole years from the end of the year they close in", p.RuleID, p.Period, p.Trigger)
	}
	c.SetRetention(domain.RetentionDue(*c.ClosedAt, p.Years, a.Cal))
	return nil
}
