// Package domain holds the information rights service's rules: rights requests with their
// deadline and fan-out, personal data breaches, FOI/EIR requests and their internal
// reviews. It imports no driver, broker or HTTP package.
package domain

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNotFound: no case with that id.
	ErrNotFound = errors.New("not found")
	// ErrErased: retention has erased the personal data this action needs.
	ErrErased = errors.New("the personal data has been erased under the retention schedule")
)

// TransitionError refuses an action the case's status does not allow, naming what is
// allowed instead.
type TransitionError struct {
	Action  string
	Status  string
	Allowed []string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("cannot %s a case that is %s; allowed now: %s", e.Action, e.Status, strings.Join(e.Allowed, ", "))
}

// RuleError refuses an action that breaks a rule of the notice or the law.
type RuleError struct {
	Rule   string // machine name, e.g. "identity_not_verified"
	Detail string
}

func (e *RuleError) Error() string { return e.Detail }

// ValidationError is input that is well-formed JSON but not acceptable.
type ValidationError struct {
	Field  string
	Detail string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Detail }
