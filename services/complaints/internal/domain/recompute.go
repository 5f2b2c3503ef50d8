package domain

// RecomputeDeadlines counts the running deadlines again with the calendar's current
// bank-holiday table, so a newly announced holiday moves them. It reports whether any due
// date moved.
func (c *Complaint) RecomputeDeadlines(a Actor) (Event, bool) {
	if c.Status == StatusClosed {
		return Event{}, false
	}
	moved := map[string]any{}
	for i := range c.Deadlines {
		d := &c.Deadlines[i]
		if !d.Open() || d.Computed.HolidayTableVersion == a.Cal.HolidayTableVersion() {
			continue
		}
		before := d.Computed.DueDate
		d.Computed = a.Cal.Recompute(d.Computed)
		if d.Computed.DueDate != before {
			moved[d.Key()] = map[string]any{"from": before.String(), "to": d.Computed.DueDate.String()}
		}
	}
	if len(moved) == 0 {
		return Event{}, false
	}
	return Event{Type: "deadline.recomputed", Stage: c.Stage,
		Detail: map[string]any{"moved": moved, "holiday_table_version": a.Cal.HolidayTableVersion()}}, true
}
