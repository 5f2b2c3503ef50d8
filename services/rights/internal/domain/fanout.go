package domain

import (
	"time"
)

// StepState is where one service stands in a fan-out.
type StepState string

// States of a fan-out step.
const (
	StepPending  StepState = "pending"  // not answered yet: asked again at NextAttemptAt
	StepAnswered StepState = "answered" // its answer is recorded
	StepRefused  StepState = "refused"  // it refused the request as a whole: it will never answer it
)

// Step is one service's part in a fan-out.
type Step struct {
	Service       string
	State         StepState
	Attempts      int
	LastError     string // why the last attempt got no answer, in the platform's words
	LastTriedAt   *time.Time
	NextAttemptAt time.Time
	AnsweredAt    *time.Time
}

// FanOut is one question put to several services: find, or the kind's action.
type FanOut struct {
	Verb      string
	StartedAt time.Time
	Steps     []Step
}

// Retry is how long to wait before asking a service that did not answer again: First
// after the first failed attempt, doubling up to Max.
type Retry struct {
	First, Max time.Duration
}

// After is the wait after the given number of failed attempts.
func (r Retry) After(attempts int) time.Duration {
	wait := r.First
	for i := 1; i < attempts && wait < r.Max; i++ {
		wait *= 2
	}
	return min(wait, r.Max)
}

func newFanOut(verb string, services []string, now time.Time) *FanOut {
	f := &FanOut{Verb: verb, StartedAt: now}
	for _, s := range services {
		f.Steps = append(f.Steps, Step{Service: s, State: StepPending, NextAttemptAt: now})
	}
	return f
}

// Pending names the services that have not answered, in order.
func (f *FanOut) Pending() []string {
	out := []string{}
	for _, s := range f.Steps {
		if s.State == StepPending {
			out = append(out, s.Service)
		}
	}
	return out
}

// Settled reports whether every service answered or refused.
func (f *FanOut) Settled() bool { return len(f.Pending()) == 0 }

// Due lists the services to ask at now.
func (f *FanOut) Due(now time.Time) []string {
	var out []string
	for _, s := range f.Steps {
		if s.State == StepPending && !now.Before(s.NextAttemptAt) {
			out = append(out, s.Service)
		}
	}
	return out
}

// NextAttemptAt is the earliest time a pending service is asked again; zero when none is.
func (f *FanOut) NextAttemptAt() time.Time {
	var next time.Time
	for _, s := range f.Steps {
		if s.State == StepPending && (next.IsZero() || s.NextAttemptAt.Before(next)) {
			next = s.NextAttemptAt
		}
	}
	return next
}

// step is service's step; nil when f is nil (nothing waits any more) or lacks it.
func (f *FanOut) step(service string) *Step {
	if f == nil {
		return nil
	}
	for i := range f.Steps {
		if f.Steps[i].Service == service {
			return &f.Steps[i]
		}
	}
	return nil
}

// settle records a service's answer or refusal; false when it was not pending (another
// sweep got there first, or it is not part of this fan-out).
func (f *FanOut) settle(service string, state StepState, reason string, now time.Time) bool {
	s := f.step(service)
	if s == nil || s.State != StepPending {
		return false
	}
	at := now
	s.State, s.Attempts, s.LastTriedAt, s.AnsweredAt = state, s.Attempts+1, &at, &at
	if state == StepRefused {
		s.LastError = reason
	} else {
		s.LastError = ""
	}
	return true
}

// fail records an attempt that got no answer and when to ask again.
func (f *FanOut) fail(service, reason string, now time.Time, retry Retry) bool {
	s := f.step(service)
	if s == nil || s.State != StepPending {
		return false
	}
	at := now
	s.Attempts++
	s.LastError, s.LastTriedAt, s.NextAttemptAt = reason, &at, now.Add(retry.After(s.Attempts))
	return true
}
