package domain

import "casework.dev/pkg/casework"

// Kind is what this service's cases are called in messages and problems.
const Kind casework.Kind = "complaint"

var (
	// ErrNotFound: no complaint with that id (or one the caller may not see).
	ErrNotFound = casework.NotFound(Kind)
	// ErrErased: retention has erased the personal data this action needs.
	ErrErased = casework.Erased(Kind)
)

// The platform's refusals, for this domain's actions and statuses.
type (
	TransitionError = casework.TransitionError[Action, Status]
	RuleError       = casework.RuleError
	ValidationError = casework.ValidationError
)
