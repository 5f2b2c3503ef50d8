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

// statusMembers name, for each kind, the problem member that carries the case's status when
// an action is refused: the contract's request_status, breach_status and foi_status. The
// platform would name the member after the kind itself ("rights request_status", which the
// contract does not know), so TransitionError gives it this name instead.
var statusMembers = map[casework.Kind]casework.Kind{CaseRequest: "request", CaseBreach: "breach", CaseFOI: "foi"}

// ErrNotFound, ErrBreachNotFound, ErrFOINotFound: no such case of that kind. The Erased
// errors: retention has erased the personal data an action needs.
var (
	ErrNotFound, ErrErased             = casework.NotFound(CaseRequest), casework.Erased(CaseRequest)
	ErrBreachNotFound, ErrBreachErased = casework.NotFound(CaseBreach), casework.Erased(CaseBreach)
	ErrFOINotFound, ErrFOIErased       = casework.NotFound(CaseFOI), casework.Erased(CaseFOI)
)

// RuleError and ValidationError are the platform's refusals (pkg/casework), mapped to
// problems in one place (httpserver.CaseErrors).
type (
	RuleError       = casework.RuleError
	ValidationError = casework.ValidationError
)

// TransitionError is the platform's refusal of an action the case's status does not allow
// (casework.TransitionError, mapped by httpserver.CaseErrors), its message in the kind's
// words ("cannot lift the restriction of a rights request that is refused") and its status
// under the member the contract names (request_status, not "rights request_status").
type TransitionError struct {
	casework.TransitionError[string, string]
}

// CaseStatus is the status that refused the action, under the contract's member name.
func (e *TransitionError) CaseStatus() (casework.Kind, string) {
	return statusMembers[e.Kind], e.Status
}

func refusedTransition(kind casework.Kind, action, status string, allowed []string) error {
	return &TransitionError{casework.TransitionError[string, string]{Kind: kind, Action: action, Status: status, Allowed: allowed}}
}
