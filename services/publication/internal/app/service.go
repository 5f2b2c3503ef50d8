package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"casework.dev/pkg/calendar"
	"casework.dev/pkg/notice"
	"casework.dev/services/publication/internal/domain"
)

// Config holds the council's choices the service applies.
type Config struct {
	// PublicationMonths, when set, is the publication period the deployment expects: how
	// long an entry stays on the website unless it comes down sooner. The notice decides it
	// (purposes.publication.lasts; one month, after the Ministry of Justice's "Publishing
	// sentencing outcomes: guidance for public authorities", 2009, re-issued 2011), so
	// another value stops the service rather than publishing longer or shorter than the
	// notice says. Zero takes the notice's.
	PublicationMonths int
}

// CaseType is the notice case type every decision is.
const CaseType = "successful_prosecution"

// The public register (the website) as the publication notice names it: each entry
// published is a disclosure to the public, of what the notice lets the register show.
const (
	RegisterRecipient = "public-register"
	RegisterPurpose   = "publication"
	// RegisterAddress is where the register shows an entry, logged as the disclosure's
	// subject: the website, not a broker subject.
	RegisterAddress = "/public/prosecutions"
)

// UndecidedFact is the notice's retention fact of a conviction not yet decided.
const UndecidedFact = "undecided"

// Service runs the publication use cases.
type Service struct {
	repo   Repository
	cal    *calendar.Calendar
	clock  calendar.Clock
	notice *notice.Notice
	newID  func() string
	// publicationMonths, closedMonths and undecidedMonths are the notice's: how long an
	// entry is published, and how long a decision is kept from the end of its case, or from
	// receipt while it is not yet decided.
	publicationMonths, closedMonths, undecidedMonths int
}

// NewService wires the use cases; newID makes decision ids (UUIDs). The notice must say how
// long an entry is published (purposes.publication.lasts), and how long decision records
// are kept from closure and, while undecided, from receipt, each in whole months or years;
// and name every ground on which the domain refuses an erasure.
func NewService(repo Repository, cal *calendar.Calendar, clock calendar.Clock, n *notice.Notice, newID func() string, cfg Config) (*Service, error) {
	s := &Service{repo: repo, cal: cal, clock: clock, notice: n, newID: newID}
	purpose, ok := n.Purpose(RegisterPurpose)
	if !ok {
		return nil, fmt.Errorf("the %s notice has no purpose %q for the register", n.Service, RegisterPurpose)
	}
	if s.publicationMonths, ok = wholeMonths(purpose.Lasts); !ok {
		says := "nothing"
		if !purpose.Lasts.IsZero() {
			says = purpose.Lasts.Words()
		}
		return nil, fmt.Errorf("purposes.%s.lasts of the %s notice must say how long an entry is published, in whole months or years (it says %s)",
			RegisterPurpose, n.Service, says)
	}
	if cfg.PublicationMonths != 0 && cfg.PublicationMonths != s.publicationMonths {
		return nil, fmt.Errorf("the publication period is configured as %d months, but the %s notice (version %s) says an entry is published for %s "+
			"(purposes.%s.lasts): the notice decides it, so change the notice or leave the setting out", cfg.PublicationMonths, n.Service, n.Version,
			purpose.Lasts.Words(), RegisterPurpose)
	}
	for _, r := range []struct {
		months  *int
		facts   []string
		trigger string
	}{{&s.closedMonths, nil, "closure"}, {&s.undecidedMonths, []string{UndecidedFact}, "receipt"}} {
		p, err := n.RetentionFor(CaseType, notice.RetentionFacts{Facts: r.facts})
		if err != nil {
			return nil, fmt.Errorf("retention of decision records: %w", err)
		}
		if *r.months, ok = wholeMonths(p.Period); !ok || p.Trigger != r.trigger {
			return nil, fmt.Errorf("retention rule %s must keep whole months or years from %s", p.RuleID, r.trigger)
		}
	}
	for _, g := range domain.ErasureGrounds {
		if !slices.ContainsFunc(n.ErasureMayBeRefusedFor, func(r notice.Reason) bool { return r.ID == g }) {
			return nil, fmt.Errorf("the %s notice does not name %q among the grounds erasure may be refused for", n.Service, g)
		}
	}
	return s, nil
}

// wholeMonths is a period of months and years in months; false for any other period.
func wholeMonths(p notice.Period) (int, bool) {
	months := 12*p.Years + p.Months
	return months, months > 0 && p.Days == 0 && p.Hours == 0
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
func (s *Service) retentionDue(a domain.Actor) calendar.Date { return s.retentionFrom(a.Today()) }

// retentionFrom is when a decision whose case ended on day is erased, from the notice.
func (s *Service) retentionFrom(day calendar.Date) calendar.Date {
	return s.cal.AddMonths(day.StartOfDay(), s.closedMonths).DueDate
}

// undecidedDue is when a conviction received now is erased unless a decision is approved
// first, from the notice.
func (s *Service) undecidedDue(a domain.Actor) calendar.Date {
	return s.cal.AddMonths(a.Now, s.undecidedMonths).DueDate
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
