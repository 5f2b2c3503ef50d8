package app

import (
	"context"
	"time"

	"casework.dev/services/board/internal/domain"
)

// CaseStore reads and writes the read model inside the transaction that also records the
// status event as processed, so a redelivered event changes nothing twice.
type CaseStore interface {
	// Held is the case the board holds, locked until the transaction ends; nil if none.
	Held(ctx context.Context, service, reference string) (*domain.Case, error)
	Save(ctx context.Context, c domain.Case) error
	SaveAnswer(ctx context.Context, a domain.Answer) error
	// Announce tells every board instance, once the transaction commits, that a service's
	// figures changed.
	Announce(ctx context.Context, service string) error
}

// BoardReader answers the board's questions from the read model.
type BoardReader interface {
	OpenByStage(ctx context.Context, services []string) ([]StageCount, error)
	Deadlines(ctx context.Context, services []string, now, weekEnds time.Time) ([]DeadlineCount, error)
	Answers(ctx context.Context, services []string, month domain.Period) ([]AnswerCount, error)
	// NextDeadline is the earliest deadline of an open case of services after after; nil if none.
	NextDeadline(ctx context.Context, services []string, after time.Time) (*time.Time, error)
	Cases(ctx context.Context, q CaseQuery, now time.Time, week, month domain.Period) ([]CaseRow, error)
}

// StageCount is the number of open cases of one service at one stage.
type StageCount struct {
	Service string `db:"service" json:"service"`
	Stage   string `db:"stage" json:"stage"`
	Open    int    `db:"open" json:"open"`
}

// DeadlineCount is one service's open cases due this week and overdue.
type DeadlineCount struct {
	Service     string `db:"service"`
	DueThisWeek int    `db:"due_this_week"`
	Overdue     int    `db:"overdue"`
}

// AnswerCount is one service's stage responses this month, and how many were on time.
type AnswerCount struct {
	Service  string `db:"service"`
	Answered int    `db:"answered"`
	OnTime   int    `db:"on_time"`
}

// CaseQuery asks for the cases behind one figure: a service's, at one stage when Stage is set.
type CaseQuery struct {
	Service string
	Figure  domain.Figure
	Stage   string
	Limit   int
}

// CaseRow is one case behind a figure: its reference and where it stands, never who.
type CaseRow struct {
	Reference string     `json:"reference"`
	Stage     string     `json:"stage"`
	Status    string     `json:"status"`
	Team      string     `json:"team"`
	NextDueAt *time.Time `json:"next_due_at,omitempty"`
	// NextDue names what next_due_at is due for, where the service says (a breach:
	// ico_report or review).
	NextDue string `json:"next_due,omitempty"`
	// Overdue are the deadlines passed and not met at the time asked: those the service
	// reported, and the named next deadline once passed.
	Overdue []string `json:"overdue"`
	// ReviewDueOn is when a kept record is next reviewed (a breach), YYYY-MM-DD.
	ReviewDueOn string     `json:"review_due_on,omitempty"`
	AnsweredAt  *time.Time `json:"answered_at,omitempty"`
	OnTime      *bool      `json:"on_time,omitempty"`
}
