package domain

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNotFound: no complaint with that id (or one the caller may not see).
	ErrNotFound = errors.New("complaint not found")
	// ErrErased: retention has erased the personal data this action needs.
	ErrErased = errors.New("the complaint's personal data has been erased under the retention schedule")
)

// NotFoundError: the complaint exists but has no such enquiry, remedy or consent. It is
// answered before any check of the complaint's state, which would mislead about a part that
// does not exist.
type NotFoundError struct {
	What string // e.g. "enquiry 9"
}

func (e *NotFoundError) Error() string { return "no " + e.What + " on this complaint" }

// TransitionError refuses an action the complaint's status does not allow, naming what is
// allowed instead.
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
	return fmt.Sprintf("cannot %s a complaint that is %s; allowed now: %s", e.Action, e.Status, strings.Join(allowed, ", "))
}

// RuleError refuses an action that breaks a rule of the Code or the notice.
type RuleError struct {
	Rule   string // machine name, e.g. "stage2_handler_must_differ"
	Detail string
}

func (e *RuleError) Error() string { return e.Detail }

// ValidationError is input that is well-formed JSON but not acceptable.
type ValidationError struct {
	Field  string
	Detail string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Detail }
