package app

import (
	"context"
	"errors"

	"casework.dev/services/rights/internal/domain"
)

// DeadlineRecomputer is the actor recorded when a new bank-holiday table moves deadlines.
const DeadlineRecomputer = "system:holiday-table"

// RecomputeDeadlines counts again the running deadlines counted with another bank-holiday
// table, so a newly announced holiday moves them before any is judged overdue: a rights
// request's month (on the England and Wales calendar), an FOI/EIR request's working days and
// its internal review's (on the UK calendar). It counts the cases it counted again.
func (s *Service) RecomputeDeadlines(ctx context.Context, batch int) (int, error) {
	ids, err := s.requests.DueForRecompute(ctx, s.cal.HolidayTableVersion(), batch)
	if err != nil {
		return 0, err
	}
	requests, errR := changeEach(ctx, ids, s.change, DeadlineRecomputer, func(r *domain.Request, a domain.Actor) (domain.Event, bool, error) {
		return r.RecomputeDeadline(a)
	})
	if ids, err = s.foi.DueForRecompute(ctx, s.ukCal.HolidayTableVersion(), batch); err != nil {
		return requests, errors.Join(errR, err)
	}
	fois, errF := changeEach(ctx, ids, s.changeFOI, DeadlineRecomputer, func(f *domain.FOIRequest, a domain.Actor) (domain.Event, bool, error) {
		return f.RecomputeDeadlines(a)
	})
	return requests + fois, errors.Join(errR, errF)
}
