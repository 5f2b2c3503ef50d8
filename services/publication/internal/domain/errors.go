package domain

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNotFound: no decision with that id.
	ErrNotFound = errors.New("decision not found")
	// ErrErased: retention has erased the personal data this action needs.
	ErrErased = errors.New("the decision's personal data has been erased under the retention schedule")
)

// TransitionError refuses an action the decision's status does not allow, naming what is
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
	return fmt.Sprintf("cannot %s a decision that is %s; allowed now: %s", e.Action, e.Status, strings.Join(allowed, ", "))
}

// RuleError refuses an action that breaks a rule of the notice or the law.
type RuleError struct {
	Rule   string // machine name, e.g. "four_eyes"
	Detail string
}

func (e *RuleError) Error() string { return e.Detail }

// ValidationError is input that is well-formed JSON but not acceptable.
type ValidationError struct {
	Field  string
	Detail string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Detail }
