package rights

import (
	"context"
	"fmt"
)

// Holder is one service's records as this protocol reaches them, one record at a time.
// Respond makes it the service's Responder, so every service answers alike: an action is
// reported per record (Act), a record the service does not hold is left out of an export,
// and no list in a reply is null.
type Holder interface {
	// Find lists the records the identifiers may be the person's.
	Find(ctx context.Context, requestID string, ids Identifiers) ([]Candidate, error)
	// Export is one record as the person may see it, its Disclosures left to Disclosures;
	// held is false for a record the service does not hold.
	Export(ctx context.Context, requestID, recordID string) (rec Record, held bool, err error)
	// Erase, Rectify, Restrict and Lift act on one record: an error Refusal words is that
	// record's refusal, any other fails the request (which is asked again, so each must
	// change nothing twice).
	Erase(ctx context.Context, requestID, recordID string) error
	Rectify(ctx context.Context, requestID, recordID, field, value string) error
	Restrict(ctx context.Context, requestID, recordID string) error
	Lift(ctx context.Context, requestID, recordID string) error
	// Disclosures are the recipients that received the person's data from the record (Art
	// 15(1)(c), and whom the rights service tells of an action, Art 19).
	Disclosures(ctx context.Context, recordID string) ([]Disclosure, error)
	// Refusal words an action's error as the record's refusal; nil for an error that fails
	// the request.
	Refusal(err error) *Refusal
}

// Objector is a Holder whose notice offers the right to object only to direct marketing
// (UK GDPR Art 21(2)): an objection ends that use of the record at once, for good (Art
// 21(3)), and restricts nothing else. A Holder that is not one restricts a record objected
// to while the objection is considered (Art 18(1)(d)).
type Objector interface {
	ObjectToMarketing(ctx context.Context, requestID, recordID string) error
}

// Respond answers the protocol for h.
func Respond(h Holder) Responder { return holder{h} }

type holder struct{ h Holder }

func (r holder) Find(ctx context.Context, q FindRequest) (FindReply, error) {
	found, err := r.h.Find(ctx, q.RequestID, q.Identifiers)
	if found == nil {
		found = []Candidate{}
	}
	return FindReply{Candidates: found}, err
}

func (r holder) Export(ctx context.Context, q RecordsRequest) (ExportReply, error) {
	reply := ExportReply{Records: []Record{}}
	for _, id := range q.RecordIDs {
		rec, held, err := r.h.Export(ctx, q.RequestID, id)
		if err != nil {
			return reply, fmt.Errorf("export %s: %w", id, err)
		}
		if !held {
			continue
		}
		if rec.Disclosures, err = r.disclosures(ctx, id); err != nil {
			return reply, fmt.Errorf("disclosures of %s: %w", id, err)
		}
		if rec.Redactions == nil {
			rec.Redactions = []string{}
		}
		reply.Records = append(reply.Records, rec)
	}
	return reply, nil
}

func (r holder) Erase(ctx context.Context, q RecordsRequest) (ActionReply, error) {
	return r.act(ctx, q.RecordIDs, func(ctx context.Context, id string) error { return r.h.Erase(ctx, q.RequestID, id) })
}

func (r holder) Rectify(ctx context.Context, q RectifyRequest) (ActionReply, error) {
	return r.act(ctx, q.RecordIDs, func(ctx context.Context, id string) error {
		return r.h.Rectify(ctx, q.RequestID, id, q.Field, q.Value)
	})
}

func (r holder) Restrict(ctx context.Context, q RecordsRequest) (ActionReply, error) {
	return r.act(ctx, q.RecordIDs, func(ctx context.Context, id string) error { return r.h.Restrict(ctx, q.RequestID, id) })
}

func (r holder) Lift(ctx context.Context, q RecordsRequest) (ActionReply, error) {
	return r.act(ctx, q.RecordIDs, func(ctx context.Context, id string) error { return r.h.Lift(ctx, q.RequestID, id) })
}

func (r holder) Object(ctx context.Context, q RecordsRequest) (ActionReply, error) {
	do, effect := func(ctx context.Context, id string) error { return r.h.Restrict(ctx, q.RequestID, id) }, EffectRestricted
	if o, ok := r.h.(Objector); ok {
		do, effect = func(ctx context.Context, id string) error { return o.ObjectToMarketing(ctx, q.RequestID, id) }, EffectMarketingEnded
	}
	reply, err := r.act(ctx, q.RecordIDs, do)
	for i := range reply.Outcomes {
		if reply.Outcomes[i].Done {
			reply.Outcomes[i].Effect = effect
		}
	}
	return reply, err
}

func (r holder) act(ctx context.Context, ids []string, do func(ctx context.Context, id string) error) (ActionReply, error) {
	return Act(ctx, ids, do, r.h.Refusal, r.disclosures)
}

func (r holder) disclosures(ctx context.Context, id string) ([]Disclosure, error) {
	out, err := r.h.Disclosures(ctx, id)
	if out == nil {
		out = []Disclosure{}
	}
	return out, err
}
