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

// ErrOtherClient: a client's user named, in a query parameter, a client other than its own.
// It works on its own client's debts only, on every route that takes a client (the case
// list, the remittance statement, a referral file), and is refused rather than answered for
// its own client in place of the one named.
var ErrOtherClient = errors.New("another client's debts")

type TransitionError = casework.TransitionError[string, Status]

// ErrClientOnly: an action only a client's user takes (recalling its case) asked by someone
// acting as agency staff, who could otherwise take it on any client's case.
var ErrClientOnly = errors.New("a client's own action")
