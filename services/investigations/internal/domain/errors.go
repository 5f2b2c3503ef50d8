package domain

import "casework.dev/pkg/casework"

// Kind is what this service's cases are called in messages and problems. ErrNotFound: no
// investigation with that id, or one the caller may not know of. ErrErased: retention has erased
// the personal data an action needs. TransitionError is the platform's, for this domain's
// actions and statuses; rules and validation refuse with casework.RuleError and
// casework.ValidationError.
const Kind casework.Kind = "investigation"

var ErrNotFound, ErrErased = casework.NotFound(Kind), casework.Erased(Kind)

// NotFoundError is also the refusal of a part the case does not have (notFound).
type NotFoundError = casework.NotFoundError

// notFound: the case exists but has no such part, e.g. "evidence item 7d0c...".
func notFound(part string) error { return casework.NotFoundPart(Kind, part) }

type TransitionError = casework.TransitionError[Action, Status]
