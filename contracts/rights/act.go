package rights

import (
	"context"
	"fmt"
)

// Grounds a service gives for not acting on a record that are not its notice's: the record
// is unknown, its personal data is already gone, or the value given is not acceptable.
const (
	GroundNoSuchRecord = "no_such_record"
	GroundErased       = "erased"
	GroundInvalidValue = "invalid_value"
)

// Act is how a service answers an erase, rectify, restrict or lift: do acts on each record
// in turn; refuse words do's error as that record's Refusal, or returns nil for an error
// that fails the whole request (the rights service asks again, and do must then change
// nothing twice); disclosures lists the recipients that received the person's data from
// the record, whom the rights service tells (Art 19).
func Act(ctx context.Context, recordIDs []string, do func(ctx context.Context, id string) error,
	refuse func(error) *Refusal, disclosures func(ctx context.Context, id string) ([]Disclosure, error)) (ActionReply, error) {
	reply := ActionReply{Outcomes: []Outcome{}}
	for _, id := range recordIDs {
		out := Outcome{RecordID: id, Done: true}
		if err := do(ctx, id); err != nil {
			if out.Refusal = refuse(err); out.Refusal == nil {
				return reply, fmt.Errorf("%s: %w", id, err)
			}
			out.Done = false
		}
		var err error
		if out.Disclosures, err = disclosures(ctx, id); err != nil {
			return reply, fmt.Errorf("disclosures of %s: %w", id, err)
		}
		if out.Disclosures == nil {
			out.Disclosures = []Disclosure{}
		}
		reply.Outcomes = append(reply.Outcomes, out)
	}
	return reply, nil
}
