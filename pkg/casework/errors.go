package casework

import (
	"errors"
	"fmt"
	"strings"

	"casework.dev/pkg/notice"
)

// Kind names the sort of case a service keeps ("complaint", "investigation"), as its
// messages and problems say it.
type Kind string

// withArticle is the kind with its indefinite article, for messages.
func (k Kind) withArticle() string {
	if k != "" && strings.ContainsRune("aeiouAEIOU", rune(k[0])) {
		return "an " + string(k)
	}
	return "a " + string(k)
}

// NotFound is the service's "no such case" error: use one value per kind as a sentinel
// (errors.Is), e.g. var ErrNotFound = casework.NotFound("complaint").
func NotFound(k Kind) error { return &NotFoundError{Kind: k} }

// NotFoundPart is the error for a case that exists but has no such part (an enquiry, a
// remedy, an evidence item), e.g. casework.NotFoundPart("complaint", "enquiry 9"). It is
// answered before any check of the case's state, which would mislead about a part that does
// not exist.
func NotFoundPart(k Kind, part string) error { return &NotFoundError{Kind: k, Part: part} }

// NotFoundError: no case of Kind with that id, or one the caller may not know of; or, when
// Part is set, no such part on a case that exists.
type NotFoundError struct {
	Kind Kind
	Part string // e.g. "enquiry 9"; empty when the case itself is not found
}

func (e *NotFoundError) Error() string {
	if e.Part != "" {
		return "no " + e.Part + " on this " + string(e.Kind)
	}
	return string(e.Kind) + " not found"
}

// Erased is the service's "personal data erased" error: use one value per kind as a
// sentinel, e.g. var ErrErased = casework.Erased("complaint").
func Erased(k Kind) error { return &ErasedError{Kind: k} }

// ErasedError: retention has erased the personal data an action needs.
type ErasedError struct{ Kind Kind }

func (e *ErasedError) Error() string {
	// Retention, or the person's own request for erasure: either way it is gone.
	return "the " + string(e.Kind) + "'s personal data has been erased"
}

// TransitionError refuses an action the case's status does not allow, naming what is
// allowed instead. A service aliases its own instance, e.g.
// type TransitionError = casework.TransitionError[Action, Status].
type TransitionError[A, S ~string] struct {
	Kind    Kind
	Action  A
	Status  S
	Allowed []A
}

func (e *TransitionError[A, S]) Error() string {
	allowed := strings.Join(e.AllowedActions(), ", ")
	if allowed == "" {
		allowed = "nothing more"
	}
	return fmt.Sprintf("cannot %s %s that is %s; allowed now: %s", e.Action, e.Kind.withArticle(), e.Status, allowed)
}

// CaseStatus is the status that refused the action.
func (e *TransitionError[A, S]) CaseStatus() (Kind, string) { return e.Kind, string(e.Status) }

// AllowedActions are the actions the status allows, as strings.
func (e *TransitionError[A, S]) AllowedActions() []string {
	out := make([]string, len(e.Allowed))
	for i, a := range e.Allowed {
		out[i] = string(a)
	}
	return out
}

// Transition is what the platform reads of any TransitionError instance.
type Transition interface {
	error
	CaseStatus() (Kind, string)
	AllowedActions() []string
}

// RuleError refuses an action that breaks a rule of the law, the code of practice or the
// notice.
type RuleError struct {
	Rule   string // machine name, e.g. "stage2_handler_must_differ"
	Detail string
}

func (e *RuleError) Error() string { return e.Detail }

// ValidationError is input that is well-formed JSON but not acceptable.
type ValidationError struct {
	Field  string // a JSON pointer into the request body without the leading "/", e.g. "matter/summary"
	Detail string
}

func (e *ValidationError) Error() string { return e.Field + ": " + e.Detail }

// RefusalError is a disclosure the privacy notice does not allow; the decision's Reason is
// in a DPO's words.
type RefusalError struct{ Decision notice.Decision }

func (e *RefusalError) Error() string { return e.Decision.Reason }

// ErrConcurrentUpdate: other writers kept changing the case while a request tried to save
// its change; nothing was written and the request may be sent again.
var ErrConcurrentUpdate = errors.New("the case kept changing while this request tried to save it")

// ErrIdempotencyKeyReused: an Idempotency-Key the caller used before came with a different
// request; nothing was written.
var ErrIdempotencyKeyReused = errors.New("this Idempotency-Key was used before with a different request")
