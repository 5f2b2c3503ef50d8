package domain

import "casework.dev/pkg/casework"

// Kind is what this service's cases are called in messages and problems. ErrNotFound: no
// decision with that id. ErrErased: retention has erased the personal data an action
// needs. TransitionError is the platform's, for this domain's actions and statuses; rules
// and validation refuse with the platform's RuleError and ValidationError.
const Kind casework.Kind = "decision"

var ErrNotFound, ErrErased = casework.NotFound(Kind), casework.Erased(Kind)

type (
	TransitionError = casework.TransitionError[Action, Status]
	RuleError       = casework.RuleError
	ValidationError = casework.ValidationError
)
