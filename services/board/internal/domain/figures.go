package domain

import (
	"fmt"
	"time"
	_ "time/tzdata" // weeks and months must not depend on the host's zoneinfo
)

// Figure names one number on the board; each drills down to the case references it counts.
type Figure string

const (
	// FigureOpen counts cases not closed, by service and stage.
	FigureOpen Figure = "open"
	// FigureDueThisWeek counts open cases whose next deadline is still running and falls
	// by the end of this week (Monday to Sunday, Europe/London): a deadline at the very
	// midnight ending Sunday, as a whole day's deadline due that Sunday is, counts.
	FigureDueThisWeek Figure = "due_this_week"
	// FigureOverdue counts open cases with a deadline passed and not met.
	FigureOverdue Figure = "overdue"
	// FigureAnsweredOnTime counts answers (changes a service marks as Responds) given this
	// calendar month (Europe/London) before their deadline.
	FigureAnsweredOnTime Figure = "answered_on_time"
	// FigureAnswered counts every answer given this calendar month.
	FigureAnswered Figure = "answered"
)

// Figures lists every figure, in the order the board shows them.
var Figures = []Figure{FigureOpen, FigureDueThisWeek, FigureOverdue, FigureAnsweredOnTime, FigureAnswered}

// ParseFigure reads a figure's name.
func ParseFigure(s string) (Figure, error) {
	for _, f := range Figures {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown figure %q", s)
}

// London is the zone the council's weeks and months are reckoned in.
var London = mustLoad("Europe/London")

// Period is a half-open interval of instants [From, To).
type Period struct{ From, To time.Time }

// Week is the Monday-to-Sunday week (Europe/London) holding now.
func Week(now time.Time) Period {
	local := now.In(London)
	daysSinceMonday := (int(local.Weekday()) + 6) % 7
	monday := time.Date(local.Year(), local.Month(), local.Day()-daysSinceMonday, 0, 0, 0, 0, London)
	return Period{From: monday, To: time.Date(monday.Year(), monday.Month(), monday.Day()+7, 0, 0, 0, 0, London)}
}

// Month is the calendar month (Europe/London) holding now.
func Month(now time.Time) Period {
	local := now.In(London)
	first := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, London)
	return Period{From: first, To: first.AddDate(0, 1, 0)}
}

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("time zone %s: %v (the binary imports time/tzdata)", name, err))
	}
	return loc
}
