package domain

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNotFound: no investigation with that id, or one the caller may not know of.
	ErrNotFound = errors.New("investigation not found")
	// ErrErased: retention has erased the personal data this action needs.
	ErrErased = errors.New("the investigation's personal data has been erased under the retention schedule")
)

// NotFoundError: the investigation exists but has no such item. It is answered before any
// check of the case's state, which would mislead about an item that does not exist.
type NotFoundError struct {
	What string // e.g. "evidence item 7d0c..."
}

func (e *NotFoundError) Error() string { return "no " + e.What + " on this investigation" }

// TransitionError refuses an action the status does not allow, naming what is allowed.
type TransitionError struct {
	Action  Action
	Status  Status
	Allowed []Action
}

func (e *TransitionError) Error() string {
	allowed := make([]string, len(e.Allowed))
	for i, a := range e.Allowed {
		allowed[i] = string(a)
	}
	return fmt.Sprintf("cannot %s an investigation that is %s; allowed now: %s", e.Action, e.Status, strings.Join(allowed, ", "))
}

// RuleError refuses an action that breaks a rule.
type RuleError struct {
	Rule   string
	Detail string
}

func (e *RuleError) Error() string { return e.Detail }

// ValidationError is well-formed input that is not acceptable.
type ValidationError struct {
	Field  string
	Detail string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Detail }
