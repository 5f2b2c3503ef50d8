package domain

import (
	"errors"

	"casework.dev/pkg/casework"
)

// Kind is what this service's cases are called in messages and problems ("no case with
// this id", "cannot record a sale on a case that is compliance"). ErrNotFound: no case with
// that id, or one the caller's client may not see. ErrErased: retention has erased the
// personal data an action needs. TransitionError is the platform's, for this domain's
// actions and statuses; rules and validation refuse with casework.RuleError and
// casework.ValidationError.
const Kind casework.Kind = "case"

var ErrNotFound, ErrErased = casework.NotFound(Kind), casework.Erased(Kind)

// ErrUnknownClient: no client with that id (this service's own refusal: the client is a
// query parameter or the referring token's, not a case).
var ErrUnknownClient = errors.New("unknown client")

type TransitionError = casework.TransitionError[string, Status]
