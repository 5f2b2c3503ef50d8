package domain

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNotFound: no case with that id, or one the caller's client may not see.
	ErrNotFound = errors.New("debt case not found")
	// ErrErased: retention has erased the personal data this action needs.
	ErrErased = errors.New("the case's personal data has been erased under the retention schedule")
	// ErrUnknownClient: no client with that id.
	ErrUnknownClient = errors.New("unknown client")
)

// TransitionError refuses an action the case's status does not allow.
type TransitionError struct {
	Action  string
	Status  Status
	Allowed []string
}

func (e *TransitionError) Error() string {
	return fmt.Sprintf("cannot %s a case that is %s; allowed now: %s", e.Action, e.Status, strings.Join(e.Allowed, ", "))
}

// RuleError refuses an action that breaks a rule of the regulations, the notice or the
// agency's procedure; Rule is its machine name.
type RuleError struct {
	Rule   string
	Detail string
}

func (e *RuleError) Error() string { return e.Detail }

// ValidationError is input that is well-formed but not acceptable.
type ValidationError struct {
	Field  string
	Detail string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Detail }
