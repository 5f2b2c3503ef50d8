package casework

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"casework.dev/pkg/calendar"
)

// Refusals of what a data subject asks through the council's rights service (UK GDPR
// Art 16 to 18), which every case service answers for its own cases.

// Grounds on which an erasure may be refused (UK GDPR Art 17(3)): ids of a notice's
// erasure_may_be_refused_for, whose words the rights service shows.
const (
	GroundPublicTask  = "public_task"  // the case is still being worked on (Art 17(3)(b))
	GroundLegalClaims = "legal_claims" // a legal hold: needed for a legal claim (Art 17(3)(e))
)

// ErasureRefusedError is an erasure the notice lets the council refuse: Ground is the
// notice's id, Fact what about the case makes it apply (e.g. "CMP-2026-000001 is under a
// legal hold").
type ErasureRefusedError struct {
	Ground string
	Fact   string
}

func (e *ErasureRefusedError) Error() string { return "erasure refused (" + e.Ground + "): " + e.Fact }

// ErasureRefusal is why a case's personal data may not be erased on request now, or nil: a
// legal hold on it (legal_claims), or, when open says how the case is still being worked
// on, its public task (public_task). A legal hold is named first: it outlasts the case.
func ErasureRefusal(reference string, legalHold bool, open string) error {
	switch {
	case legalHold:
		return &ErasureRefusedError{Ground: GroundLegalClaims, Fact: reference + " is under a legal hold"}
	case open != "":
		return &ErasureRefusedError{Ground: GroundPublicTask, Fact: reference + " " + open}
	}
	return nil
}

// Readable is an id (a status, an area) as a person reads it: "stage1_received" is
// "stage1 received".
func Readable[S ~string](id S) string { return strings.ReplaceAll(string(id), "_", " ") }

// Detail is one of a person's details a rectification may correct (UK GDPR Art 16): its
// name in the rights protocol, where the case holds it, the most characters it may have
// (the service's contract's maxLength for it, so a correction stores nothing the service
// would refuse when first given, nor refuses what it accepts; 0 for maxDetail), and what
// the case asks of a new value beyond what every detail gets (nil for nothing more).
type Detail struct {
	Name  string
	Value *string
	Max   int
	Check func(value string) error
}

// maxDetail bounds one corrected detail whose Max is not set, in characters.
const maxDetail = 500

// Storable refuses, as a *ValidationError on field, text PostgreSQL cannot store exactly: a
// U+0000 (NUL), which text and jsonb columns refuse, or bytes that are not valid UTF-8.
// Text that reaches a case other than through the HTTP API (a rights request over NATS, a
// consumed event) is checked with it, so a save never fails on it and is never retried.
func Storable(field, value string) error {
	switch {
	case !utf8.ValidString(value):
		return &ValidationError{Field: field, Detail: "is not valid UTF-8"}
	case strings.IndexByte(value, 0) >= 0:
		return &ValidationError{Field: field, Detail: "contains U+0000 (NUL), which cannot be stored"}
	}
	return nil
}

// Rectify sets the detail named field to value, exactly as given, once it passes the checks:
// no white space at either end, at most the detail's Max characters, an e-mail address that parses as one, the detail's own, and text that can be
// stored (Storable). It reports false when the value is already the one held, so a repeated
// request changes nothing. A field that is none of details, or a value refused, is a
// *ValidationError and changes nothing.
func Rectify(details []Detail, field, value string) (bool, error) {
	names := make([]string, len(details))
	var d *Detail
	for i := range details {
		if names[i] = details[i].Name; names[i] == field {
			d = &details[i]
		}
	}
	if d == nil {
		return false, &ValidationError{Field: "field", Detail: "may be one of " + strings.Join(names, ", ")}
	}
	// Kept exactly as sent or refused: trimmed, the detail held would not be the one asked for.
	if value != strings.TrimSpace(value) {
		return false, &ValidationError{Field: field, Detail: "must not begin or end with white space"}
	}
	limit := d.Max
	if limit <= 0 {
		limit = maxDetail
	}
	if utf8.RuneCountInString(value) > limit {
		return false, &ValidationError{Field: field, Detail: fmt.Sprintf("at most %d characters", limit)}
	}
	if field == "email" && value != "" {
		if addr, err := mail.ParseAddress(value); err != nil || addr.Address != value {
			return false, &ValidationError{Field: field, Detail: "is not an e-mail address"}
		}
	}
	if d.Check != nil {
		if err := d.Check(value); err != nil {
			return false, err
		}
	}
	// Last, so the words of the checks above (a service's "contains a control character",
	// say) stay theirs; whatever they let through that cannot be stored is refused here.
	if err := Storable(field, value); err != nil {
		return false, err
	}
	if *d.Value == value {
		return false, nil
	}
	*d.Value = value
	return true, nil
}

// RestrictedError refuses processing of a case in which a data subject asked to restrict
// the processing of their data (UK GDPR Art 18): nothing of it is disclosed until the
// restriction is lifted.
type RestrictedError struct {
	RequestID string    // the rights request that placed the restriction
	Since     time.Time // when it was placed
}

func (e *RestrictedError) Error() string {
	return fmt.Sprintf("processing of this case's personal data is restricted at the data subject's request "+
		"(rights request %s, since %s): nothing may be disclosed until the restriction is lifted (UK GDPR Art 18)",
		e.RequestID, calendar.DateOf(e.Since))
}
