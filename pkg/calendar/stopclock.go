package calendar

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// How a stopped clock starts again (ClockStop.Kind).
const (
	// StopPause: the days from the day the clock stopped to the day it restarted, both
	// included, do not count, and the period then runs on. UK GDPR Article 12A (inserted by
	// the Data (Use and Access) Act 2025 s76, in force 5 February 2026) for a request the
	// controller asks the person to clarify; worded as in the Data Protection Act 2018
	// s54(3C): "the period beginning with the day on which the controller makes the request
	// and ending with the day on which the controller receives the information does not
	// count". FOIA s10(2) counts a fee the same way, in working days (of which the day of
	// receipt, never counted, is not one).
	StopPause = "pause"
	// StopRestart: the whole period runs again from the day the awaited thing arrives. UK
	// GDPR Article 12A: the month begins with the latest of receipt of the request, of the
	// information asked for to confirm identity (or a representative's authority) and of any
	// fee; FOIA s10(6) and EIR reg 9(4): the date of receipt is the day the clarification
	// asked for under s1(3) or reg 9(2) arrives.
	StopRestart = "restart"
)

// ClockStop is one stretch during which a deadline's clock stood still because the council
// was waiting for the requester.
type ClockStop struct {
	Kind string `json:"kind"` // StopPause or StopRestart
	// Reason says what was awaited, in words that name no one ("proof of identity"): it is
	// part of the description, which outlives the requester's personal data.
	Reason    string     `json:"reason"`
	StoppedAt time.Time  `json:"stopped_at"`
	StoppedOn Date       `json:"stopped_on"`
	ResumedAt *time.Time `json:"resumed_at,omitempty"`
	ResumedOn Date       `json:"resumed_on"` // zero while the clock is stopped
	// NotCounted is, for a pause, the days that did not count: calendar days for
	// RuleCalendarMonths, working days for RuleWorkingDays.
	NotCounted int `json:"not_counted"`
	// PreviousStart is, for a restart, the start date the period ran from before.
	PreviousStart Date `json:"previous_start"`
}

// Stopped reports whether the clock is stopped now: the last stop has not ended. A
// stopped deadline is never overdue; its Due is what it was when the clock stopped.
func (d Deadline) Stopped() bool {
	return len(d.Stops) > 0 && d.Stops[len(d.Stops)-1].ResumedOn.IsZero()
}

// ErrClockStopped refuses to stop a clock that is already stopped.
var ErrClockStopped = errors.New("calendar: the clock is already stopped")

// ErrClockRunning refuses to restart a clock that is not stopped.
var ErrClockRunning = errors.New("calendar: the clock is not stopped")

// StopClock stops d's clock at the instant at, to restart later as kind says (StopPause or
// StopRestart). Only RuleCalendarMonths and RuleWorkingDays deadlines have a clock that can
// stop; StopClock panics for other rules or an unknown kind. A clock already stopped is
// refused with ErrClockStopped.
func (c *Calendar) StopClock(d Deadline, at time.Time, kind, reason string) (Deadline, error) {
	if d.Rule != RuleCalendarMonths && d.Rule != RuleWorkingDays {
		panic(fmt.Sprintf("calendar: a %q deadline has no clock to stop", d.Rule))
	}
	if kind != StopPause && kind != StopRestart {
		panic(fmt.Sprintf("calendar: unknown kind of clock stop %q", kind))
	}
	if d.Stopped() {
		return Deadline{}, ErrClockStopped
	}
	out := d
	out.Stops = append(append([]ClockStop(nil), d.Stops...),
		ClockStop{Kind: kind, Reason: reason, StoppedAt: at.UTC(), StoppedOn: DateOf(at)})
	out.Description = c.describe(out)
	return out, nil
}

// RestartClock restarts d's stopped clock at the instant at, when what was awaited arrived,
// and counts the deadline again: a pause adds the days it lasted (the day it stopped and
// the day it restarted included), a restart counts the whole period from the London date
// of at. A clock that is not stopped is refused with ErrClockRunning; an instant before the
// stop, or a due date outside the holiday table's years (*OutsideTableError), is refused.
func (c *Calendar) RestartClock(d Deadline, at time.Time) (Deadline, error) {
	if !d.Stopped() {
		return Deadline{}, ErrClockRunning
	}
	out := d
	out.Stops = append([]ClockStop(nil), d.Stops...)
	stop := &out.Stops[len(out.Stops)-1]
	if at.Before(stop.StoppedAt) {
		return Deadline{}, fmt.Errorf("calendar: the clock cannot restart (%s) before it stopped (%s)",
			at.UTC().Format(time.RFC3339), stop.StoppedAt.Format(time.RFC3339))
	}
	resumed := at.UTC()
	stop.ResumedAt, stop.ResumedOn = &resumed, DateOf(at)
	switch stop.Kind {
	case StopRestart:
		stop.PreviousStart = out.StartDate
		out.Start, out.StartDate = resumed, stop.ResumedOn
	case StopPause:
		days, err := c.daysNotCounted(out, *stop)
		if err != nil {
			return Deadline{}, err
		}
		stop.NotCounted = days
	}
	return c.recount(out)
}

// daysNotCounted is the length of a pause in the deadline's unit. For RuleWorkingDays only
// the working days after the start date count: the period is the n working days following
// the day of receipt, which is never one of them, so a pause that begins on that day (a
// fees notice given the day the request arrived) takes nothing off it for that day (FOIA
// s10(2): the working days in the pause are disregarded in calculating "the twentieth
// working day following the date of receipt"). A calendar-month period begins with the day
// of receipt (ICO: "the time limit starts from the same day"), so for it that day counts.
func (c *Calendar) daysNotCounted(d Deadline, stop ClockStop) (int, error) {
	n := 0
	for day := stop.StoppedOn; !day.After(stop.ResumedOn); day = day.AddDays(1) {
		if d.Rule == RuleWorkingDays {
			if !day.After(d.StartDate) {
				continue
			}
			_, off, err := c.nonWorkingReason(d.StartDate, day)
			if err != nil {
				return 0, err
			}
			if off {
				continue
			}
		}
		n++
	}
	return n, nil
}

// recount computes the due date of a deadline whose clock has stopped, from its current
// start, its extensions and the pauses since that start.
func (c *Calendar) recount(d Deadline) (Deadline, error) {
	paused := 0
	for _, s := range d.Stops {
		if s.Kind == StopPause && !s.ResumedOn.IsZero() && !s.StoppedOn.Before(d.StartDate) {
			paused += s.NotCounted
		}
	}
	var (
		due     Date
		skipped []SkippedDay
		err     error
	)
	switch d.Rule {
	case RuleCalendarMonths:
		end := addMonthsClamped(d.StartDate, d.Amount+d.ExtendedBy()).AddDays(paused)
		due, skipped, err = c.nextWorkingDay(d.StartDate, end)
	case RuleWorkingDays:
		due, skipped, err = c.countWorkingDays(d.StartDate, d.StartDate, d.Amount+d.ExtendedBy()+paused)
	default:
		panic(fmt.Sprintf("calendar: a %q deadline has no clock to stop", d.Rule))
	}
	if err != nil {
		return Deadline{}, err
	}
	out := d
	out.DueDate, out.Due, out.Skipped = due, due.EndOfDay(), skipped
	out.HolidayTableVersion = c.version
	out.Description = c.describe(out)
	return out, nil
}

// describe words a deadline with clock stops from its parts, so it reads the same however
// it was reached: the period from its current start, each extension, each stop.
func (c *Calendar) describe(d Deadline) string {
	var b strings.Builder
	switch d.Rule {
	case RuleCalendarMonths:
		b.WriteString(c.monthsDescription(d.Amount, d.StartDate))
		for _, e := range d.Extensions {
			fmt.Fprintf(&b, "; extended by %s", plural(e.Amount, "calendar month"))
		}
	default:
		fmt.Fprintf(&b, "%s (%s) after %s", plural(d.Amount, "working day"), c.Region(), d.StartDate)
		for _, e := range d.Extensions {
			fmt.Fprintf(&b, "; extended by %s after %s", plural(e.Amount, "working day"), e.FromDueDate)
		}
	}
	unit := "day"
	if d.Rule == RuleWorkingDays {
		unit = "working day"
	}
	for _, s := range d.Stops {
		switch {
		case s.ResumedOn.IsZero():
			fmt.Fprintf(&b, "; clock stopped on %s awaiting %s", s.StoppedOn, s.Reason)
		case s.Kind == StopRestart:
			fmt.Fprintf(&b, "; clock stopped on %s awaiting %s, which arrived on %s: the period runs from then (it ran from %s)",
				s.StoppedOn, s.Reason, s.ResumedOn, s.PreviousStart)
		default:
			fmt.Fprintf(&b, "; clock stopped from %s to %s awaiting %s (%s not counted)",
				s.StoppedOn, s.ResumedOn, s.Reason, plural(s.NotCounted, unit))
		}
	}
	return b.String()
}
