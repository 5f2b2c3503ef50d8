// Package domain is the managers' board: what a status event says about a case, how the
// board folds it into its read model, and the periods its figures count over. Status events
// carry no personal data (contracts/events), and neither does anything here.
package domain

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrMalformed marks a status event the board cannot read; no retry mends it.
var ErrMalformed = errors.New("malformed status event")

// Status is one status event as the board reads it, from any service.
type Status struct {
	EventID   string
	Service   string // "complaints", from the subject status.<service>.>
	At        time.Time
	Reference string
	// Stage is where the case is within its service: "stage1" for a complaint, the area
	// for an investigation.
	Stage  string
	Status string
	Team   string
	Change string // what happened, e.g. "stage1.acknowledged"
	// NextDueAt is the earliest deadline still running; RespondDueAt the stage's response
	// deadline while it runs (what "answered on time" is judged against).
	NextDueAt    *time.Time
	RespondDueAt *time.Time
	Overdue      []string // deadlines passed and not met
	// NextDue names the deadline NextDueAt is where a case has more than one kind, so a
	// manager sees what is due (a rights breach: "ico_report" or "review"); empty where the
	// service names none.
	NextDue string
	// ReviewDueOn is the date (YYYY-MM-DD) a record kept after its case closed is next
	// reviewed (a rights breach record); empty for others.
	ReviewDueOn string
	// Responds marks the change that answers the person who raised the case at its
	// stage (a complaint's stage 1 or 2 response, a rights request's completion or
	// refusal, an FOI response), judged against RespondDueAt as it last ran. Whoever reads
	// the event says so: change names differ between services.
	Responds bool
	// Finishing are the statuses with which the case's service finishes a case (its
	// Followed.Finished, set by whoever reads the event); none means StatusClosed alone.
	Finishing []string
}

// StatusClosed is the status complaints and investigations finish a case with, and the one
// a service that names no other does.
const StatusClosed = "closed"

// Finished reports whether s leaves its case finished: no longer open, due or overdue.
func (s Status) Finished() bool {
	if len(s.Finishing) == 0 {
		return s.Status == StatusClosed
	}
	return slices.Contains(s.Finishing, s.Status)
}

// Followed is a service the board follows, as contracts/services.yaml describes it.
type Followed struct {
	Service  string   // "debt": its status stream DEBT_STATUS, subjects status.debt.>
	Managers []string // the roles whose holders see it, e.g. enforcement_manager
	Finished []string // the statuses with which it finishes a case, e.g. paid and returned
}

// Mark marks s, an event of f's service, with the statuses that finish its cases.
func (f Followed) Mark(s Status) Status {
	s.Finishing = slices.Clone(f.Finished)
	return s
}

// Check refuses an event that lacks what the board keys and counts by.
func (s Status) Check() error {
	var missing []string
	for name, v := range map[string]string{"event_id": s.EventID, "service": s.Service, "reference": s.Reference,
		"stage": s.Stage, "status": s.Status} {
		if strings.TrimSpace(v) == "" {
			missing = append(missing, name)
		}
	}
	if s.At.IsZero() {
		missing = append(missing, "at")
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return fmt.Errorf("%w: missing %s", ErrMalformed, strings.Join(missing, ", "))
	}
	return nil
}

// Case is the board's view of one case: the latest status it has seen.
type Case struct {
	Service      string
	Reference    string
	Stage        string
	Status       string
	Team         string
	Closed       bool
	NextDueAt    *time.Time
	RespondDueAt *time.Time
	Overdue      []string
	NextDue      string
	ReviewDueOn  string
	LastChange   string
	LastAt       time.Time
	LastEventID  string
}

// Answer is a stage's response to the person who raised the case, judged against the
// response deadline the board last saw running for that stage.
type Answer struct {
	Service    string
	Reference  string
	Stage      string
	AnsweredAt time.Time
	DueAt      *time.Time // nil when the board never saw the deadline
	OnTime     bool
}

// Apply folds s into the case the board holds (nil for a case it has not seen). It returns
// the case to store, whether s changed it, and the answer s records, if any. An event older
// than the one the board holds (a redelivery after a newer one) changes no case, though the
// answer it records still counts.
func Apply(held *Case, s Status) (Case, bool, *Answer) {
	answer := answerOf(held, s)
	if held != nil && !newer(s, *held) {
		return *held, false, answer
	}
	return Case{
		Service: s.Service, Reference: s.Reference, Stage: s.Stage, Status: s.Status, Team: s.Team,
		Closed: s.Finished(), NextDueAt: s.NextDueAt, RespondDueAt: s.RespondDueAt,
		Overdue: nonNil(s.Overdue), NextDue: s.NextDue, ReviewDueOn: s.ReviewDueOn, LastChange: s.Change, LastAt: s.At, LastEventID: s.EventID,
	}, true, answer
}

// newer orders events of one case by time, then by id: the ids are UUIDv7, made in order
// within one change, whose events share one time.
func newer(s Status, c Case) bool {
	if !s.At.Equal(c.LastAt) {
		return s.At.After(c.LastAt)
	}
	return s.EventID > c.LastEventID
}

// answerOf is the answer s records when s Responds. It is on time when given before the
// response deadline that was running.
func answerOf(held *Case, s Status) *Answer {
	if !s.Responds {
		return nil
	}
	a := &Answer{Service: s.Service, Reference: s.Reference, Stage: s.Stage, AnsweredAt: s.At}
	if held != nil && held.Stage == s.Stage && held.RespondDueAt != nil {
		due := *held.RespondDueAt
		a.DueAt = &due
		a.OnTime = s.At.Before(due)
	}
	return a
}

// IsOverdue reports whether an open case has a deadline passed at now: one its service
// reported, or its next deadline passing before the service's sweep says so.
func (c Case) IsOverdue(now time.Time) bool {
	if c.Closed {
		return false
	}
	return len(c.Overdue) > 0 || (c.NextDueAt != nil && !now.Before(*c.NextDueAt))
}

// Passed lists the deadlines c has passed and not met at now: those its service reported,
// then its named next deadline once passed, which the service's sweep has not reported
// yet or never reports (a breach record's review has no sweep of its own). A finished case
// keeps what its service last reported.
func (c Case) Passed(now time.Time) []string {
	out := nonNil(c.Overdue)
	if !c.Closed && c.NextDue != "" && c.NextDueAt != nil && !now.Before(*c.NextDueAt) && !slices.Contains(out, c.NextDue) {
		out = append(out, c.NextDue)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}
