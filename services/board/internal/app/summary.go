package app

import (
	"context"
	"fmt"
	"slices"
	"time"

	"casework.dev/services/board/internal/domain"
)

// Summary is the board as one manager sees it: the services they manage.
type Summary struct {
	At       time.Time        `json:"at"`
	Services []ServiceFigures `json:"services"`
}

// ServiceFigures are one service's figures.
type ServiceFigures struct {
	Service        string       `json:"service"`
	Open           int          `json:"open"`
	Stages         []StageCount `json:"stages"`
	DueThisWeek    int          `json:"due_this_week"`
	Overdue        int          `json:"overdue"`
	Answered       int          `json:"answered"`
	AnsweredOnTime int          `json:"answered_on_time"`
}

// Summary counts the figures of services (those the caller may see), zero where the board
// has seen nothing yet.
func (s *Service) Summary(ctx context.Context, services []string) (Summary, error) {
	now := s.now()
	out := Summary{At: now, Services: make([]ServiceFigures, len(services))}
	index := map[string]int{}
	for i, name := range services {
		out.Services[i] = ServiceFigures{Service: name, Stages: []StageCount{}}
		index[name] = i
	}
	if len(services) == 0 {
		return out, nil
	}
	stages, err := s.reader.OpenByStage(ctx, services)
	if err != nil {
		return Summary{}, fmt.Errorf("open cases: %w", err)
	}
	for _, sc := range stages {
		f := &out.Services[index[sc.Service]]
		f.Stages = append(f.Stages, sc)
		f.Open += sc.Open
	}
	deadlines, err := s.reader.Deadlines(ctx, services, now, domain.Week(now).To)
	if err != nil {
		return Summary{}, fmt.Errorf("deadlines: %w", err)
	}
	for _, d := range deadlines {
		f := &out.Services[index[d.Service]]
		f.DueThisWeek, f.Overdue = d.DueThisWeek, d.Overdue
	}
	answers, err := s.reader.Answers(ctx, services, domain.Month(now))
	if err != nil {
		return Summary{}, fmt.Errorf("answers: %w", err)
	}
	for _, a := range answers {
		f := &out.Services[index[a.Service]]
		f.Answered, f.AnsweredOnTime = a.Answered, a.OnTime
	}
	return out, nil
}

// NextChange is how long from now until the figures of services, as counted at at, move
// with time alone, with no status event: a running deadline passing (due this week becomes
// overdue), or the week or the month ending (Europe/London midnight, in GMT or BST).
func (s *Service) NextChange(ctx context.Context, services []string, at time.Time) (time.Duration, error) {
	next := domain.Week(at).To
	if end := domain.Month(at).To; end.Before(next) {
		next = end
	}
	due, err := s.reader.NextDeadline(ctx, services, at)
	if err != nil {
		return 0, fmt.Errorf("next deadline: %w", err)
	}
	if due != nil && due.Before(next) {
		next = *due
	}
	return next.Sub(s.now()), nil
}

// Cases lists the cases behind one figure, at most s.limit of them.
func (s *Service) Cases(ctx context.Context, q CaseQuery) ([]CaseRow, error) {
	now := s.now()
	q.Limit = s.limit
	rows, err := s.reader.Cases(ctx, q, now, domain.Week(now), domain.Month(now))
	if err != nil {
		return nil, fmt.Errorf("cases behind %s of %s: %w", q.Figure, q.Service, err)
	}
	return rows, nil
}

// Visible are the services of followed a caller holding roles may see, in the board's
// order: a service's managers (its Managers, e.g. enforcement_manager for debt) see it.
func Visible(followed []domain.Followed, roles []string) []string {
	out := []string{}
	for _, f := range followed {
		if slices.ContainsFunc(f.Managers, func(m string) bool { return slices.Contains(roles, m) }) {
			out = append(out, f.Service)
		}
	}
	return out
}

// ManagerRoles are the roles that show a service of followed, each once, in the board's order.
func ManagerRoles(followed []domain.Followed) []string {
	out := []string{}
	for _, f := range followed {
		for _, m := range f.Managers {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}
