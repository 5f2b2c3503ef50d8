package domain

import "fmt"

// RecomputeDeadlines counts the running deadlines again with the calendar's current
// bank-holiday table, so a newly announced holiday moves them. It reports whether any was
// counted again, moved or not: each then records the table it was counted with, so the
// complaint leaves the sweep's work list (one left on it because its dates stayed put would
// stay at its head, and a page of such complaints would hold back every one after them).
// The event lists what moved, if anything. A deadline the table cannot count (it reaches
// past the table's years) is an error, and the caller keeps the complaint as it was. A
// stopped clock is counted with the current table when it restarts.
func (c *Complaint) RecomputeDeadlines(a Actor) (Event, bool, error) {
	if c.Status == StatusClosed {
		return Event{}, false, nil
	}
	moved, recounted := map[string]any{}, false
	for i := range c.Deadlines {
		d := &c.Deadlines[i]
		if !c.Running(*d) || d.Computed.HolidayTableVersion == a.Cal.HolidayTableVersion() {
			continue
		}
		before := d.Computed.DueDate
		recomputed, err := a.Cal.Recompute(d.Computed)
		if err != nil {
			return Event{}, false, fmt.Errorf("recompute deadline %s of %s: %w", d.Key(), c.Reference, err)
		}
		d.Computed, recounted = recomputed, true
		if d.Computed.DueDate != before {
			moved[d.Key()] = map[string]any{"from": before.String(), "to": d.Computed.DueDate.String()}
		}
	}
	if !recounted {
		return Event{}, false, nil
	}
	return Event{Type: "deadline.recomputed", Stage: c.Stage,
		Detail: map[string]any{"moved": moved, "holiday_table_version": a.Cal.HolidayTableVersion()}}, true, nil
}
