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

// Stores are the service's repositories, one per kind of case.
type Stores struct {
	Requests Requests
	Breaches Breaches
	FOI      FOIRequests
	Own      OwnRecords
}

// Service runs the rights use cases.
type Service struct {
	requests   Requests
	breaches   Breaches
	foi        FOIRequests
	own        OwnRecords
	responders Responders
	cal        *calendar.Calendar
	// ukCal counts FOI/EIR working days: a bank holiday in any part of the UK does not
	// count (FOIA s10(6), EIR reg 2(1)).
	ukCal  *calendar.Calendar
	clock  calendar.Clock
	notice *notice.Notice
	newID  func() string
	cfg    Config
	// requestYears is how long a closed rights request is kept (the notice: 2 years);
	// foiYears and reviewYears those of an FOI/EIR request and its internal review (2, 3);
	// breachYears how long a closed breach's records are kept, after the rest of the year
	// it closed in, before a data protection officer reviews them (10).
	requestYears, foiYears, reviewYears, breachYears int
	kick                                             chan struct{}
}

// NewService wires the use cases; newID makes case ids (UUIDs); ukCal counts FOI/EIR
// working days. The rights notice must say how long each kind of record is kept from
// closure, in whole years.
func NewService(stores Stores, responders Responders, cal, ukCal *calendar.Calendar, clock calendar.Clock, n *notice.Notice,
	newID func() string, cfg Config) (*Service, error) {
	var years [4]int
	for i, caseType := range []string{"rights_request", "foi_request", "foi_internal_review", "data_breach"} {
		y, err := wholeYearsFromClosure(n, caseType)
		if err != nil {
			return nil, err
		}
		years[i] = y
	}
	for _, svc := range cfg.Services {
		if cfg.ServiceNotices[svc] == nil {
			return nil, fmt.Errorf("service %q has no privacy notice to explain its data from", svc)
		}
	}
	if cfg.Retry.First <= 0 {
		cfg.Retry = domain.Retry{First: 30 * time.Second, Max: 15 * time.Minute}
	}
	return &Service{requests: stores.Requests, breaches: stores.Breaches, foi: stores.FOI, own: stores.Own, responders: responders, cal: cal,
		ukCal: ukCal, clock: clock, notice: n, newID: newID, cfg: cfg, requestYears: years[0], foiYears: years[1],
		reviewYears: years[2], breachYears: years[3], kick: make(chan struct{}, 1)}, nil
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
	return changeCase(ctx, s, s.requests.Update, s.cal, officer, id, apply)
}

// changeCase is change for any kind of case, counting its deadlines on cal.
func changeCase[T any](ctx context.Context, s *Service, update func(context.Context, string, func(T) (Change, error)) (T, error),
	cal *calendar.Calendar, officer, id string, apply func(c T, a domain.Actor) (Change, error)) (T, error) {
	a := domain.Actor{Officer: officer, Now: s.now(), Cal: cal}
	return update(ctx, id, func(c T) (Change, error) {
		ch, err := apply(c, a)
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

// sweepCases applies one system change to each case the work list names, and counts those
// it changed; mark returns false when the case no longer needs it.
func sweepCases[T any](ctx context.Context, s *Service, due func(context.Context, time.Time, int) ([]string, error),
	change func(context.Context, string, string, func(T, domain.Actor) (Change, error)) (T, error), batch int, actor string,
	mark func(c T, a domain.Actor) (domain.Event, bool)) (int, error) {
	ids, err := due(ctx, s.now(), batch)
	if err != nil {
		return 0, err
	}
	return changeEach(ctx, ids, change, actor, func(c T, a domain.Actor) (domain.Event, bool, error) {
		e, ok := mark(c, a)
		return e, ok, nil
	})
}

// changeEach applies mark to each case of ids, each in its own commit, and counts those it
// changed; mark returns false when the case no longer needs it, and an error to keep the
// case as it was.
func changeEach[T any](ctx context.Context, ids []string,
	change func(context.Context, string, string, func(T, domain.Actor) (Change, error)) (T, error), actor string,
	mark func(c T, a domain.Actor) (domain.Event, bool, error)) (int, error) {
	changed := 0
	var failures []error
	for _, id := range ids {
		_, err := change(ctx, actor, id, func(c T, a domain.Actor) (Change, error) {
			e, ok, err := mark(c, a)
			switch {
			case err != nil:
				return Change{}, err
			case !ok:
				return Change{}, errNothingToDo
			}
			return one(e, nil)
		})
		switch {
		case errors.Is(err, errNothingToDo):
		case err != nil:
			// One case that cannot be changed must not stop the others.
			failures = append(failures, fmt.Errorf("%s on %s: %w", actor, id, err))
		default:
			changed++
		}
	}
	return changed, errors.Join(failures...)
}

// errNothingToDo rolls back an update that found the case no longer needs it.
var errNothingToDo = errors.New("nothing to do")
