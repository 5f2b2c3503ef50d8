package rightsdata

import (
	"errors"
	"slices"

	"casework.dev/pkg/casework"
	"casework.dev/pkg/notice"
)

// Refusal is the ground on which a service does not act on one record, with the words a
// DPO would write. Its fields are those of the rights protocol's Refusal
// (casework.dev/contracts/rights), so a service converts one to the other.
type Refusal struct {
	Ground string
	Words  string
}

// Grounds that are not a notice's: the record is unknown, its personal data is already
// gone, or the value given is not acceptable (the rights protocol's words for them).
const (
	GroundNoSuchRecord = "no_such_record"
	GroundErased       = "erased"
	GroundInvalidValue = "invalid_value"
)

// Refuse words an action's refusal of one record from the typed refusals of pkg/casework:
// a case or part not held, personal data already erased, a value not acceptable, or an
// erasure the notice n lets the council refuse. Nil for any other error, which fails the
// whole request (the rights service asks again).
func Refuse(n *notice.Notice, err error) *Refusal {
	var (
		notFound *casework.NotFoundError
		erased   *casework.ErasedError
		invalid  *casework.ValidationError
		erasure  *casework.ErasureRefusedError
	)
	switch {
	case errors.As(err, &notFound) && notFound.Part != "":
		return &Refusal{Ground: GroundNoSuchRecord, Words: notFound.Error()}
	case errors.As(err, &notFound):
		return &Refusal{Ground: GroundNoSuchRecord, Words: "no " + string(notFound.Kind) + " with this id is held"}
	case errors.As(err, &erased):
		return &Refusal{Ground: GroundErased, Words: "the " + string(erased.Kind) + "'s personal data has already been erased"}
	case errors.As(err, &invalid):
		return &Refusal{Ground: GroundInvalidValue, Words: invalid.Error()}
	case errors.As(err, &erasure):
		return &Refusal{Ground: erasure.Ground, Words: RefusalWords(n, erasure.Ground, erasure.Fact)}
	}
	return nil
}

// RefusalWords words an erasure refused on one of the notice's lawful reasons
// (erasure_may_be_refused_for) as a DPO would write it: the notice's words for the ground,
// then the fact about the record that makes it apply. A ground the notice does not name is
// a defect of the service: its id stands in for the words, so a test comparing them fails.
func RefusalWords(n *notice.Notice, ground, fact string) string {
	i := slices.IndexFunc(n.ErasureMayBeRefusedFor, func(r notice.Reason) bool { return r.ID == ground })
	if i < 0 {
		return ground + " (" + fact + ")"
	}
	return n.ErasureMayBeRefusedFor[i].Words + " (" + fact + ")"
}

// Actor is who a rights request acts as in a case's audit trail.
func Actor(requestID string) string { return "rights-request:" + requestID }
