package app

import (
	"context"
	"fmt"
	"slices"

	"casework.dev/pkg/calendar"
	"casework.dev/services/publication/internal/domain"
)

// GetDecision reads a decision with its history; the read itself is audited.
func (s *Service) GetDecision(ctx context.Context, reader, id string) (*domain.Decision, []HistoryEntry, error) {
	d, err := s.repo.Read(ctx, id, reader, s.now())
	if err != nil {
		return nil, nil, err
	}
	h, err := s.repo.History(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("history of %s: %w", id, err)
	}
	return d, h, nil
}

// ListDecisions lists decisions without personal data.
func (s *Service) ListDecisions(ctx context.Context, f Filter) ([]Summary, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	return s.repo.List(ctx, f)
}

// Register is what the public register shows today, even if the takedown sweep has not
// run yet: of each entry still published, the fields its logged disclosure to the public
// register let go that the notice still lets the register show, and nothing else (a field
// it may not show is empty). When the notice lets the register show nothing, it shows no
// entry.
func (s *Service) Register(ctx context.Context) ([]domain.Conviction, error) {
	rows, err := s.repo.Register(ctx, calendar.DateOf(s.now()))
	if err != nil {
		return nil, err
	}
	dec := s.registerDecision()
	out := make([]domain.Conviction, 0, len(rows))
	for _, row := range rows {
		allowed := s.notice.MinimiseFields(dec, convictionFields(row.Conviction))
		shows := func(field string) bool { _, ok := allowed[field]; return ok && slices.Contains(row.Fields, field) }
		if !slices.ContainsFunc(row.Fields, shows) {
			continue
		}
		var c domain.Conviction
		for _, f := range []struct {
			name string
			to   *string
			from string
		}{{"name", &c.Name, row.Conviction.Name}, {"town", &c.Town, row.Conviction.Town}, {"offence", &c.Offence, row.Conviction.Offence},
			{"court", &c.Court, row.Conviction.Court}, {"sentence", &c.Sentence, row.Conviction.Sentence}} {
			if shows(f.name) {
				*f.to = f.from
			}
		}
		if shows("date") {
			c.Date = row.Conviction.Date
		}
		out = append(out, c)
	}
	return out, nil
}
