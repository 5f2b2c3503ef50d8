package domain

import "casework.dev/pkg/casework"

// Kind is what this service's cases are called in messages and problems. ErrNotFound: no
// complaint with that id, or one the caller may not know of. ErrErased: retention has erased
// the personal data an action needs. TransitionError is the platform's, for this domain's
// actions and statuses; rules and validation refuse with casework.RuleError and
// casework.ValidationError.
const Kind casework.Kind = "complaint"

var ErrNotFound, ErrErased = casework.NotFound(Kind), casework.Erased(Kind)

type TransitionError = casework.TransitionError[Action, Status]
