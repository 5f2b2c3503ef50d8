package app

import (
	"context"
	"time"

	"casework.dev/pkg/calendar"
)

// StatsCell is one published figure set per client and stage; under the notice's threshold
// the counts and amounts are suppressed.
type StatsCell struct {
	ClientID       string   `json:"client_id"`
	Stage          string   `json:"stage"`
	Cases          *int     `json:"cases"`
	DebtPence      *int64   `json:"debt_pence"`
	CollectedPence *int64   `json:"collected_pence"`
	CollectionRate *float64 `json:"collection_rate"`
	Suppressed     bool     `json:"suppressed"`
}

// Statistics are anonymous figures, safe to publish.
type Statistics struct {
	From            time.Time   `json:"from"`
	To              time.Time   `json:"to"`
	SuppressedBelow int         `json:"suppressed_below"`
	Cells           []StatsCell `json:"cells"`
}

// Statistics counts cases referred between from and to, widened to whole months, by client
// and the stage they reached, with their debt and what was collected of it; a client's user
// sees its own. Whole months: two periods a day apart could otherwise be subtracted to
// reveal a day's referrals, a figure under the threshold.
func (s *Service) Statistics(ctx context.Context, caller Caller, from, to time.Time) (Statistics, error) {
	from, to = calendar.WholeMonths(from, to)
	rows, err := s.repo.Statistics(ctx, caller.ClientID, from, to)
	if err != nil {
		return Statistics{}, err
	}
	threshold := 0
	if s.notice.Statistics != nil {
		threshold = s.notice.Statistics.SuppressBelow
	}
	out := Statistics{From: from, To: to, SuppressedBelow: threshold, Cells: []StatsCell{}}
	for _, r := range rows {
		cell := StatsCell{ClientID: r.ClientID, Stage: r.Stage}
		if r.Cases < threshold {
			cell.Suppressed = true
		} else {
			n, debt, collected := r.Cases, r.DebtPence, r.CollectedPence
			rate := float64(collected) / float64(debt)
			cell.Cases, cell.DebtPence, cell.CollectedPence, cell.CollectionRate = &n, &debt, &collected, &rate
		}
		out.Cells = append(out.Cells, cell)
	}
	return out, nil
}
