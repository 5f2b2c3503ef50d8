package app

import (
	"context"
	"encoding/json"
	"time"

	"casework.dev/pkg/calendar"
)

// Cell is one published figure; a count below the notice's threshold is suppressed.
// OnTime, for a published count of council responses, is null when suppressed: when it, or
// the late responses it leaves (count - on_time), is below the threshold.
type Cell struct {
	Month      string  `json:"month"`
	Service    string  `json:"service"`
	Stage      int     `json:"stage"`
	Outcome    string  `json:"outcome,omitempty"`
	Count      *int    `json:"count"`
	OnTime     *Figure `json:"on_time,omitempty"`
	Suppressed bool    `json:"suppressed"`
}

// Figure is a figure shown as its value, or as null where it is suppressed.
type Figure struct{ Value *int }

// MarshalJSON writes the value, or null.
func (f Figure) MarshalJSON() ([]byte, error) { return json.Marshal(f.Value) }

// Share is the proportion answered on time at one stage, over the cells whose on-time
// figure was published; the share is null when the on-time or late responses it rests on
// are below the threshold.
type Share struct {
	Stage      int      `json:"stage"`
	Responses  *int     `json:"responses"`
	OnTime     *float64 `json:"on_time_share"`
	Suppressed bool     `json:"suppressed"`
}

// Statistics are anonymous complaint figures, safe to publish.
type Statistics struct {
	From            time.Time `json:"from"`
	To              time.Time `json:"to"`
	SuppressedBelow int       `json:"suppressed_below"`
	Received        []Cell    `json:"received"`
	Responses       []Cell    `json:"responses"`
	OnTime          []Share   `json:"on_time"`
}

// Statistics counts complaints received and answered between from and to, widened to
// whole months, suppressing every figure under the notice's threshold so no one can be
// picked out. Whole months, as the figures are by month: a period that cut one could be
// set beside an overlapping one, and the two figures' difference would be a suppressed one.
func (s *Service) Statistics(ctx context.Context, from, to time.Time) (Statistics, error) {
	from, to = calendar.WholeMonths(from, to)
	received, responses, err := s.repo.Statistics(ctx, from, to)
	if err != nil {
		return Statistics{}, err
	}
	threshold := 0
	if s.notice.Statistics != nil {
		threshold = s.notice.Statistics.SuppressBelow
	}
	publish := func(n int) (*int, bool) {
		if n < threshold {
			return nil, true
		}
		return &n, false
	}
	// An on-time figure is published only with its complement: with count 6, on_time 1
	// would give away 5 late responses, and on_time 2 is itself too small.
	publishPart := func(part, whole int) bool { return part >= threshold && whole-part >= threshold }
	out := Statistics{From: from, To: to, SuppressedBelow: threshold, Received: []Cell{}, Responses: []Cell{}, OnTime: []Share{}}
	for _, c := range received {
		count, hidden := publish(c.Count)
		out.Received = append(out.Received, Cell{Month: c.Month, Service: c.Service, Stage: c.Stage, Count: count, Suppressed: hidden})
	}
	totals := map[int][2]int{}
	for _, c := range responses {
		count, hidden := publish(c.Count)
		cell := Cell{Month: c.Month, Service: c.Service, Stage: c.Stage, Outcome: c.Outcome, Count: count, Suppressed: hidden}
		if !hidden && c.Stage < 3 { // the Ombudsman's decision has no council deadline
			cell.OnTime = &Figure{}
			if publishPart(c.OnTime, c.Count) {
				onTime := c.OnTime
				cell.OnTime.Value = &onTime
				// Totals add up cells whose on-time figure was published only: a total that
				// included a suppressed one would give it away by subtraction.
				t := totals[c.Stage]
				totals[c.Stage] = [2]int{t[0] + c.Count, t[1] + c.OnTime}
			}
		}
		out.Responses = append(out.Responses, cell)
	}
	for stage := 1; stage <= 2; stage++ {
		t, ok := totals[stage]
		if !ok {
			continue
		}
		n, hidden := publish(t[0])
		share := Share{Stage: stage, Responses: n, Suppressed: hidden}
		if !hidden && publishPart(t[1], t[0]) {
			v := float64(t[1]) / float64(t[0])
			share.OnTime = &v
		}
		out.OnTime = append(out.OnTime, share)
	}
	return out, nil
}
