package domain

import (
	"fmt"

	"casework.dev/pkg/calendar"
)

// Bank-holiday tables are versioned data: a holiday announced after a deadline was counted
// moves it while it runs (a month due on the new holiday is due the next working day; 20
// working days pass over it). Each method below counts again, with the calendar's current
// table, the deadlines of a case that still run and were counted with another table. It
// reports whether one was counted again, moved or not: each then records the table it was
// counted with, so the case leaves the sweep's work list (one left on it because its dates
// stayed put would stay at its head, and a page of such cases would hold back every one
// after them). The event says what moved, if anything. A deadline the table cannot count
// (it reaches past the table's years) is an error, and the caller keeps the case as it was.
// A stopped clock is counted with the current table when it restarts; a deadline met, or
// of a closed case, stays as it was.

// RecomputeDeadline counts the month of an open request again (calendar.Calendar.Recompute):
// its start, extension and the days a clarification paused it as they were.
func (r *Request) RecomputeDeadline(a Actor) (Event, bool, error) {
	if r.Erased() || r.Status != StatusOpen || r.Deadline.HolidayTableVersion == a.Cal.HolidayTableVersion() {
		return Event{}, false, nil
	}
	moved := map[string]any{}
	d, err := recount(r.Deadline, "month", moved, a)
	if err != nil {
		return Event{}, false, fmt.Errorf("recompute the month of %s: %w", r.Reference, err)
	}
	r.Deadline = d
	return recomputedEvent("request.deadline.recomputed", moved, a), true, nil
}

// RecomputeDeadlines counts again the 20 (or 40) working days of an open request for
// information and those of an internal review not yet decided.
func (f *FOIRequest) RecomputeDeadlines(a Actor) (Event, bool, error) {
	if f.ErasedAt != nil {
		return Event{}, false, nil
	}
	version, moved, recounted := a.Cal.HolidayTableVersion(), map[string]any{}, false
	if f.Status == FOIOpen && f.Deadline.HolidayTableVersion != version {
		d, err := recount(f.Deadline, "response", moved, a)
		if err != nil {
			return Event{}, false, fmt.Errorf("recompute the response deadline of %s: %w", f.Reference, err)
		}
		f.Deadline, recounted = d, true
	}
	if rv := f.Review; rv != nil && rv.DecidedAt == nil && rv.Deadline.HolidayTableVersion != version {
		d, err := recount(rv.Deadline, "review", moved, a)
		if err != nil {
			return Event{}, false, fmt.Errorf("recompute the internal review deadline of %s: %w", f.Reference, err)
		}
		rv.Deadline, recounted = d, true
	}
	if !recounted {
		return Event{}, false, nil
	}
	return recomputedEvent("foi.deadline.recomputed", moved, a), true, nil
}

// recount counts d again with a's calendar, noting in moved under key a due date it moved.
func recount(d calendar.Deadline, key string, moved map[string]any, a Actor) (calendar.Deadline, error) {
	out, err := a.Cal.Recompute(d)
	if err != nil {
		return calendar.Deadline{}, err
	}
	if out.DueDate != d.DueDate {
		moved[key] = map[string]any{"from": d.DueDate.String(), "to": out.DueDate.String()}
	}
	return out, nil
}

func recomputedEvent(typ string, moved map[string]any, a Actor) Event {
	return Event{Type: typ, Detail: map[string]any{"moved": moved, "holiday_table_version": a.Cal.HolidayTableVersion()}}
}
