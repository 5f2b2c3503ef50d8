package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/notice"
	"casework.dev/services/rights/internal/domain"
)

// Config holds the council's choices the service applies.
type Config struct {
	// Services are asked about every request, in this order; each must have a notice in
	// the contracts (the compiled response explains each service's data from it).
	Services []string
	// ServiceNotices are those notices, by service.
	ServiceNotices map[string]*notice.Notice
	// Retry is how long a service that did not answer waits to be asked again.
	Retry domain.Retry
}

// Service runs the rights use cases.
type Service struct {
	requests   Requests
	responders Responders
	cal        *calendar.Calendar
	clock      calendar.Clock
	notice     *notice.Notice
	newID      func() string
	cfg        Config
	// requestYears is how long a closed request is kept (the notice: 2 years).
	requestYears int
	kick         chan struct{}
}

// NewService wires the use cases; newID makes case ids (UUIDs). The rights notice must
// say how long request records are kept from closure, in whole years.
func NewService(requests Requests, responders Responders, cal *calendar.Calendar, clock calendar.Clock, n *notice.Notice,
	newID func() string, cfg Config) (*Service, error) {
	years, err := wholeYearsFromClosure(n, "rights_request")
	if err != nil {
		return nil, err
	}
	for _, svc := range cfg.Services {
		if cfg.ServiceNotices[svc] == nil {
			return nil, fmt.Errorf("service %q has no privacy notice to explain its data from", svc)
		}
	}
	if cfg.Retry.First <= 0 {
		cfg.Retry = domain.Retry{First: 30 * time.Second, Max: 15 * time.Minute}
	}
	return &Service{requests: requests, responders: responders, cal: cal, clock: clock, notice: n, newID: newID, cfg: cfg,
		requestYears: years, kick: make(chan struct{}, 1)}, nil
}

func wholeYearsFromClosure(n *notice.Notice, caseType string) (int, error) {
	p, err := n.RetentionFor(caseType, notice.RetentionFacts{})
	if err != nil {
		return 0, fmt.Errorf("retention of %s records: %w", caseType, err)
	}
	if p.Trigger != "closure" || p.Months != 0 || p.Days != 0 || p.Hours != 0 || p.Years == 0 {
		return 0, fmt.Errorf("retention rule %s must keep whole years from closure", p.RuleID)
	}
	return p.Years, nil
}

// Notice is the privacy notice the service enforces.
func (s *Service) Notice() *notice.Notice { return s.notice }

// Now is the service clock, as stored.
func (s *Service) Now() time.Time { return s.now() }

// Kicked is signalled when a fan-out has work to do now.
func (s *Service) Kicked() <-chan struct{} { return s.kick }

func (s *Service) wake() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// now is the clock truncated to what PostgreSQL stores, so a value read back equals the
// value written.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) actor(officer string) domain.Actor {
	return domain.Actor{Officer: officer, Now: s.now(), Cal: s.cal}
}

// change is the shape of every state change of a request: load under lock, apply one
// domain method, record its events (and any disclosures).
func (s *Service) change(ctx context.Context, officer, id string, apply func(r *domain.Request, a domain.Actor) (Change, error)) (*domain.Request, error) {
	a := s.actor(officer)
	return s.requests.Update(ctx, id, func(r *domain.Request) (Change, error) {
		ch, err := apply(r, a)
		if err != nil {
			return Change{}, err
		}
		ch.Actor, ch.At = officer, a.Now
		return ch, nil
	})
}

// one is a change of one event.
func one(e domain.Event, err error) (Change, error) {
	if err != nil {
		return Change{}, err
	}
	return Change{Events: []domain.Event{e}}, nil
}

// sweepEach applies fn to each id and counts those it changed; one that fails does not
// stop the others.
func sweepEach(ids []string, fn func(id string) (bool, error)) (int, error) {
	changed := 0
	var failures []error
	for _, id := range ids {
		ok, err := fn(id)
		switch {
		case errors.Is(err, errNothingToDo):
		case err != nil:
			failures = append(failures, fmt.Errorf("%s: %w", id, err))
		case ok:
			changed++
		}
	}
	return changed, errors.Join(failures...)
}

// errNothingToDo rolls back an update that found the case no longer needs it.
var errNothingToDo = errors.New("nothing to do")
