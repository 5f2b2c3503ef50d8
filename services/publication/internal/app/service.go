package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/notice"
	"casework.dev/services/publication/internal/domain"
)

// Config holds the council's choices the service applies.
type Config struct {
	// PublicationMonths is how long an entry stays on the website unless it comes down
	// sooner. Default 1: Ministry of Justice, "Publishing sentencing outcomes: guidance for
	// public authorities" (2009, re-issued 2011) has details published on the web removed
	// after one month.
	PublicationMonths int
}

// CaseType is the notice case type every decision is.
const CaseType = "successful_prosecution"

// Service runs the publication use cases.
type Service struct {
	repo      Repository
	cal       *calendar.Calendar
	clock     calendar.Clock
	notice    *notice.Notice
	newID     func() string
	cfg       Config
	retention notice.RetentionPeriod
}

// NewService wires the use cases; newID makes decision ids (UUIDs). The notice must say how
// long decision records are kept from closure.
func NewService(repo Repository, cal *calendar.Calendar, clock calendar.Clock, n *notice.Notice, newID func() string, cfg Config) (*Service, error) {
	if cfg.PublicationMonths <= 0 {
		cfg.PublicationMonths = 1
	}
	p, err := n.RetentionFor(CaseType, notice.RetentionFacts{})
	if err != nil {
		return nil, fmt.Errorf("retention of decision records: %w", err)
	}
	if p.Trigger != "closure" || p.Months != 0 || p.Days != 0 || p.Hours != 0 {
		return nil, fmt.Errorf("retention rule %s must keep whole years from closure", p.RuleID)
	}
	return &Service{repo: repo, cal: cal, clock: clock, notice: n, newID: newID, cfg: cfg, retention: p}, nil
}

// Notice is the privacy notice the service enforces.
func (s *Service) Notice() *notice.Notice { return s.notice }

// Now is the service clock, as stored.
func (s *Service) Now() time.Time { return s.now() }

// now is the clock truncated to what PostgreSQL stores, so a value read back equals the
// value written.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) actor(officer string) domain.Actor {
	return domain.Actor{Officer: officer, Now: s.now(), Cal: s.cal}
}

// retentionDue is when a decision that ends now is erased, from the notice.
func (s *Service) retentionDue(a domain.Actor) calendar.Date {
	return s.cal.AddYears(a.Now, s.retention.Years).DueDate
}

// change is the shape of every state change: load under lock, apply one domain method,
// record its event (and any disclosure).
func (s *Service) change(ctx context.Context, officer, id string, apply func(d *domain.Decision, a domain.Actor) (Change, error)) (*domain.Decision, error) {
	a := s.actor(officer)
	return s.repo.Update(ctx, id, func(d *domain.Decision) (Change, error) {
		ch, err := apply(d, a)
		if err != nil {
			return Change{}, err
		}
		ch.Actor, ch.At = officer, a.Now
		return ch, nil
	})
}

// sweep applies one system change to each listed decision and counts those it changed.
// apply returns false when the decision no longer needs it (another sweep, or a manager,
// got there first); nothing is written for it.
func (s *Service) sweep(ctx context.Context, actor string, ids []string, apply func(d *domain.Decision, a domain.Actor) (domain.Event, bool, error)) (int, error) {
	changed := 0
	var failures []error
	for _, id := range ids {
		_, err := s.change(ctx, actor, id, func(d *domain.Decision, a domain.Actor) (Change, error) {
			e, ok, err := apply(d, a)
			if err != nil {
				return Change{}, err
			}
			if !ok {
				return Change{}, errNothingToDo
			}
			return Change{Event: e}, nil
		})
		switch {
		case errors.Is(err, errNothingToDo):
		case err != nil:
			// One decision that cannot be changed must not stop the others.
			failures = append(failures, fmt.Errorf("%s on %s: %w", actor, id, err))
		default:
			changed++
		}
	}
	return changed, errors.Join(failures...)
}

// errNothingToDo rolls back an update that found the decision no longer needs it.
var errNothingToDo = errors.New("nothing to do")
