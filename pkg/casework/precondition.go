package casework

import (
	"context"
	"fmt"
	"slices"
)

// A caller who read a case may ask that a change apply only to the case as they read it
// (HTTP If-Match with the case's version as its entity tag): an officer's change made on
// a stale screen is then refused instead of silently overwriting a colleague's.

// PreconditionFailedError refuses a change to a case that is no longer at a version the
// caller named; nothing was written.
type PreconditionFailedError struct {
	Kind    Kind
	Current int   // the case's version now
	Wanted  []int // the versions the caller would accept; empty: none could match
}

func (e *PreconditionFailedError) Error() string {
	return fmt.Sprintf("the %s changed since it was read: it is at version %d now; read it again and decide on the change", e.Kind, e.Current)
}

type expectedVersionsKey struct{}

// WithExpectedVersions returns ctx asking that a case change apply only at one of
// versions; an empty list matches no version (a tag that names none of ours).
func WithExpectedVersions(ctx context.Context, versions []int) context.Context {
	return context.WithValue(ctx, expectedVersionsKey{}, versions)
}

// CheckVersion refuses, with a *PreconditionFailedError, a change to a case of kind at
// version current when ctx names the versions the change may apply at and current is not
// among them.
func CheckVersion(ctx context.Context, kind Kind, current int) error {
	wanted, ok := ctx.Value(expectedVersionsKey{}).([]int)
	if !ok || slices.Contains(wanted, current) {
		return nil
	}
	return &PreconditionFailedError{Kind: kind, Current: current, Wanted: wanted}
}
