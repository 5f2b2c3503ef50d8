package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/catalogue"
	"casework.dev/pkg/notice"
	"casework.dev/services/complaints/internal/domain"
)

// Service runs the complaints use cases.
type Service struct {
	repo   Repository
	cal    *calendar.Calendar
	clock  calendar.Clock
	notice *notice.Notice
	// services is the council's service catalogue: a complaint names its service by id, so
	// events, status and statistics can carry it without free text.
	services *catalogue.List
	newID    func() string
}

// NewService wires the use cases; newID makes complaint ids (UUIDs).
func NewService(repo Repository, cal *calendar.Calendar, clock calendar.Clock, n *notice.Notice, services *catalogue.List, newID func() string) *Service {
	return &Service{repo: repo, cal: cal, clock: clock, notice: n, services: services, newID: newID}
}

// Notice is the privacy notice the service enforces.
func (s *Service) Notice() *notice.Notice { return s.notice }

// now is the clock truncated to what PostgreSQL stores, so a value read back equals the
// value written.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) actor(officer string) domain.Actor {
	return domain.Actor{Officer: officer, Now: s.now(), Cal: s.cal}
}

// transition is the shape of every state change: load under lock, apply one domain
// method, record its event.
func (s *Service) transition(ctx context.Context, officer, id string, apply func(c *domain.Complaint, a domain.Actor) (domain.Event, error)) (*domain.Complaint, error) {
	a := s.actor(officer)
	return s.repo.Update(ctx, id, func(c *domain.Complaint) (Change, error) {
		e, err := apply(c, a)
		if err != nil {
			return Change{}, err
		}
		return Change{Actor: officer, At: a.Now, Events: []domain.Event{e}}, nil
	})
}

// sweep applies one system change to each listed complaint and counts those it changed.
// apply returns false when the case no longer needs the change (another sweep, or an
// officer, got there first); nothing is written for it.
func (s *Service) sweep(ctx context.Context, actor string, ids []string, apply func(c *domain.Complaint, a domain.Actor) (domain.Event, bool, error)) (int, error) {
	changed := 0
	var failures []error
	for _, id := range ids {
		a := s.actor(actor)
		_, err := s.repo.Update(ctx, id, func(c *domain.Complaint) (Change, error) {
			e, ok, err := apply(c, a)
			if err != nil {
				return Change{}, err
			}
			if !ok {
				return Change{}, errNothingToDo
			}
			return Change{Actor: actor, At: a.Now, Events: []domain.Event{e}}, nil
		})
		switch {
		case errors.Is(err, errNothingToDo):
		case err != nil:
			// One case that cannot be changed must not stop the others (it stays first in
			// every run's list).
			failures = append(failures, fmt.Errorf("%s on %s: %w", actor, id, err))
		default:
			changed++
		}
	}
	return changed, errors.Join(failures...)
}

// errNothingToDo rolls back an update that found the case no longer needs it.
var errNothingToDo = errors.New("nothing to do")

// scope is the notice scope for a complaint's current stage.
func scope(stage int) string { return fmt.Sprintf("stage_%d", stage) }
