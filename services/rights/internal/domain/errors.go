// Package domain holds the information rights service's rules: rights requests with their
// deadline and fan-out, personal data breaches, FOI/EIR requests and their internal
// reviews. It imports no driver, broker or HTTP package.
package domain

import "casework.dev/pkg/casework"

// The kinds of case this service keeps, as its messages and problems name them.
const (
	CaseRequest casework.Kind = "rights request"
	CaseBreach  casework.Kind = "breach"
	CaseFOI     casework.Kind = "request for information"
)

// ErrNotFound, ErrBreachNotFound, ErrFOINotFound: no such case of that kind. The Erased
// errors: retention has erased the personal data an action needs.
var (
	ErrNotFound, ErrErased             = casework.NotFound(CaseRequest), casework.Erased(CaseRequest)
	ErrBreachNotFound, ErrBreachErased = casework.NotFound(CaseBreach), casework.Erased(CaseBreach)
	ErrFOINotFound, ErrFOIErased       = casework.NotFound(CaseFOI), casework.Erased(CaseFOI)
)

// TransitionError, RuleError and ValidationError are the platform's refusals
// (pkg/casework), mapped to problems in one place (httpserver.CaseErrors).
type (
	TransitionError = casework.TransitionError[string, string]
	RuleError       = casework.RuleError
	ValidationError = casework.ValidationError
)
