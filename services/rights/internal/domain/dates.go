package domain

import (
	"fmt"
	"time"

	"casework.dev/pkg/calendar"
)

// The bounds each date of the service's input takes from its meaning, checked with the
// service's clock (calendar.Happened and calendar.Within): a date no case can have is
// refused naming its field, never stored, so no deadline, reference or retention date is
// ever counted from it.

// GDPRApplied is the day the rules this service applies began: 25 May 2018, when the GDPR
// (the UK GDPR since 2021, in the same words) and the Data Protection Act 2018 began to
// apply. Both the rights the service answers (Articles 12 to 22: a month to answer) and the
// breach duties its register keeps (Articles 33 and 34: 72 hours to report, the record of
// Article 33(5)) begin there; the rights notice names no other law for them. Before it the
// Data Protection Act 1998 applied: a subject access request had 40 days, and a breach had
// no general duty to be reported at all, so a request received or a breach discovered
// earlier cannot be what this service records: its month or its 72 hours would be a
// deadline no law set, and the breach no report the ICO could expect. A breach that
// happened before then but was discovered since is recorded as discovered the day it was.
var GDPRApplied = calendar.Limit{Date: calendar.NewDate(2018, time.May, 25),
	Name: "the day the UK GDPR and the Data Protection Act 2018 began to apply"}

// FOIInForce is the day the right to information began: section 1 of the Freedom of
// Information Act 2000 and the Environmental Information Regulations 2004 (regulation 1)
// both came into force on 1 January 2005. No request for information was received under
// them before.
var FOIInForce = calendar.Limit{Date: calendar.NewDate(2005, time.January, 1),
	Name: "the day the Freedom of Information Act 2000 and the Environmental Information Regulations 2004 came into force"}

// happened refuses, naming field, an instant that has not happened by now (beyond
// calendar.ClockSkew) or fell on a London day before from.
func happened(field string, t, now time.Time, from calendar.Limit) error {
	return invalid(field, calendar.Happened(t, now, from))
}

// within refuses, naming field, a day that is not a real day or lies outside [from, to].
func within(field string, d calendar.Date, from, to calendar.Limit) error {
	if !d.IsValid() {
		return &ValidationError{Field: field, Detail: "is not a date (YYYY-MM-DD)"}
	}
	return invalid(field, calendar.Within(d, from, to))
}

func invalid(field string, err error) error {
	if err == nil {
		return nil
	}
	return &ValidationError{Field: field, Detail: err.Error()}
}

// today is the London day of now, as the upper end of a day's range.
func today(now time.Time) calendar.Limit {
	return calendar.Limit{Date: calendar.DateOf(now), Name: "today"}
}

// dayOf is the London day of t, named for a message.
func dayOf(t time.Time, name string) calendar.Limit {
	return calendar.Limit{Date: calendar.DateOf(t), Name: name}
}

// arrivedSinceStop refuses, naming field, an arrival that ends a stopped clock unless it
// came between the stop (to the instant) and now.
func arrivedSinceStop(field string, at time.Time, d calendar.Deadline, now time.Time) error {
	stoppedAt := d.Stops[len(d.Stops)-1].StoppedAt
	if err := happened(field, at, now, dayOf(stoppedAt, "the day the clock stopped")); err != nil {
		return err
	}
	if at.Before(stoppedAt) {
		return &ValidationError{Field: field, Detail: fmt.Sprintf("cannot be before the clock stopped (%s)", stoppedAt.Format(time.RFC3339))}
	}
	return nil
}
