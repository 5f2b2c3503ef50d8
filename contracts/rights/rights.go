// Package rights is the protocol between the information rights service and every service
// that holds personal data: NATS request-reply on rights.<service>.<verb>, one verb per
// data subject right. A service answers for its own data only (it never reads another's
// tables) and must answer the same request twice without harm: the rights service retries
// a service that did not answer in time, so a repeated erase, rectify, restrict or lift
// carries the same RequestID and changes nothing the second time.
//
// Replies travel in casework.dev/pkg/rightsreply's envelope: a result, or a refusal of the
// whole request. A refusal of one record (an erasure refused for a legal hold, say) is part
// of the result (Outcome.Refusal), with the lawful ground the service's notice names.
package rights

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Verbs, the last token of the subject.
const (
	Find     = "find"     // candidate records of a person, by the identifiers the request gives
	Export   = "export"   // the confirmed records, with the service's disclosure log for them (Art 15, 20)
	Erase    = "erase"    // erase, or refuse with the ground (Art 17)
	Rectify  = "rectify"  // correct one field (Art 16)
	Restrict = "restrict" // restrict: never disclosed until lifted (Art 18)
	Lift     = "lift"     // lift a restriction (Art 18(3))
	// Object is an objection (Art 21): to direct marketing it ends that use at once (Art
	// 21(2)-(3)); to processing on public task or legitimate interests it restricts the
	// record while the objection is considered (Art 18(1)(d)). Outcome.Effect says which.
	Object = "object"
)

// Effects of an objection on a record (Outcome.Effect).
const (
	EffectRestricted     = "restricted"      // restricted while the objection is considered
	EffectMarketingEnded = "marketing_ended" // no longer used for direct marketing
)

// CategoryCarries says whether a notice category holds the person's detail a rectification
// names (name, email, phone or address). The services name such a category after the detail,
// alone or after whose it is: "address", "debtor_address", "complainant_address".
func CategoryCarries(category, field string) bool {
	return category == field || strings.HasSuffix(category, "_"+field)
}

// Verbs lists every verb a service answers.
var Verbs = []string{Find, Export, Erase, Rectify, Restrict, Object, Lift}

// Subject is where service answers verb: rights.<service>.<verb>. No stream may capture
// these subjects (a stream would answer with its own acknowledgement).
func Subject(service, verb string) string { return "rights." + service + "." + verb }

// Subjects is what a service's responder subscribes to.
func Subjects(service string) string { return "rights." + service + ".*" }

// QueueGroup shares a service's requests among its instances.
func QueueGroup(service string) string { return service + "-rights" }

// Identifiers are what the request gives to find the person, matched by each service in
// its own data. Empty fields are not searched.
type Identifiers struct {
	Name        string   `json:"name,omitempty"`
	Email       string   `json:"email,omitempty"`
	Phone       string   `json:"phone,omitempty"`
	Address     string   `json:"address,omitempty"`
	Postcode    string   `json:"postcode,omitempty"`
	DateOfBirth string   `json:"date_of_birth,omitempty"` // YYYY-MM-DD
	References  []string `json:"references,omitempty"`    // the council's case references the person quotes
}

// FindRequest asks a service for candidate records.
type FindRequest struct {
	RequestID   string      `json:"request_id"`
	Identifiers Identifiers `json:"identifiers"`
}

// Candidate is one record that may be the person's. The DPO confirms which are.
type Candidate struct {
	RecordID  string `json:"record_id"`
	Kind      string `json:"kind"` // e.g. complaint, investigation
	Reference string `json:"reference"`
	// Role is the person's part in the record: complainant, reporter, witness, subject, ...
	Role string `json:"role"`
	// Matched lists the identifiers that matched: name, email, phone, address, postcode,
	// date_of_birth, reference.
	Matched []string `json:"matched"`
	// Summary helps the DPO recognise the person without opening the record: e.g.
	// "complaint about waste collection received 2026-03-02".
	Summary    string `json:"summary"`
	Restricted bool   `json:"restricted"`
}

// FindReply is a service's candidates (none is an answer too).
type FindReply struct {
	Candidates []Candidate `json:"candidates"`
}

// RecordsRequest names the confirmed records of one service.
type RecordsRequest struct {
	RequestID string   `json:"request_id"`
	RecordIDs []string `json:"record_ids"`
}

// RectifyRequest corrects one field of the person's data in the confirmed records.
type RectifyRequest struct {
	RequestID string   `json:"request_id"`
	RecordIDs []string `json:"record_ids"`
	Field     string   `json:"field"` // e.g. address, email, phone, name
	Value     string   `json:"value"`
}

// Disclosure is one entry of a service's disclosure log: the person's data sent to a
// recipient.
type Disclosure struct {
	DisclosureID  string    `json:"disclosure_id"`
	Recipient     string    `json:"recipient"`
	Purpose       string    `json:"purpose"`
	Categories    []string  `json:"categories"`
	DisclosedAt   time.Time `json:"disclosed_at"`
	NoticeVersion string    `json:"notice_version"`
	// InPlace says the recipient reads the service's record as it is now (the public
	// register): a rectification or erasure reaches it at once, so no Article 19 notice is
	// owed to it.
	InPlace bool `json:"in_place,omitempty"`
}

// Record is one record as the person is entitled to see it (Art 15).
type Record struct {
	RecordID  string `json:"record_id"`
	Kind      string `json:"kind"`
	Reference string `json:"reference"`
	Role      string `json:"role"`
	// Provided is what the person gave the council (Art 20 portability), by field.
	Provided map[string]any `json:"provided"`
	// Held is everything else held about them, by field. Other people's personal data
	// (witnesses, other complainants, the person complained about) is never in it.
	Held map[string]any `json:"held"`
	// Redactions says what was withheld and why, e.g. "witness statements: other people's
	// personal data".
	Redactions  []string     `json:"redactions"`
	Disclosures []Disclosure `json:"disclosures"`
	// KeptUntil is the London date the record's personal data is due to be erased, when known.
	KeptUntil string `json:"kept_until,omitempty"`
}

// ExportReply is a service's records for the person.
type ExportReply struct {
	Records []Record `json:"records"`
}

// Refusal is the lawful ground a service refuses an action on one record for: an id from
// its notice's erasure_may_be_refused_for (legal_obligation, legal_claims, ...) or a legal
// hold, with the words a DPO would write.
type Refusal struct {
	Ground string `json:"ground"`
	Words  string `json:"words"`
}

// Outcome is what happened to one record.
type Outcome struct {
	RecordID string `json:"record_id"`
	Done     bool   `json:"done"` // erased, rectified, restricted, lifted or objected to
	// Effect is what an objection did to the record, when Done: EffectRestricted or
	// EffectMarketingEnded. Empty for every other verb.
	Effect string `json:"effect,omitempty"`
	// Refusal says why not, when not Done.
	Refusal *Refusal `json:"refusal,omitempty"`
	// Disclosures are the recipients that received the person's data from this record: each
	// is told of what was done (Art 19).
	Disclosures []Disclosure `json:"disclosures"`
}

// ActionReply is a service's outcome per record.
type ActionReply struct {
	Outcomes []Outcome `json:"outcomes"`
}

// Responder is what each service implements to answer for its own data.
type Responder interface {
	Find(ctx context.Context, r FindRequest) (FindReply, error)
	Export(ctx context.Context, r RecordsRequest) (ExportReply, error)
	Erase(ctx context.Context, r RecordsRequest) (ActionReply, error)
	Rectify(ctx context.Context, r RectifyRequest) (ActionReply, error)
	Restrict(ctx context.Context, r RecordsRequest) (ActionReply, error)
	Lift(ctx context.Context, r RecordsRequest) (ActionReply, error)
	Object(ctx context.Context, r RecordsRequest) (ActionReply, error)
}

// ErrUnknownVerb is a request on a subject whose verb is none of Verbs.
var ErrUnknownVerb = errors.New("rights: unknown verb")

// Dispatcher decodes a request by its verb and calls the service's Responder. It is the
// handler a service gives its casework.dev/pkg/rightsreply responder.
type Dispatcher struct{ Responder Responder }

// Answer decodes body for verb and answers it; a body that does not decode is an error
// wrapping *json.SyntaxError or *json.UnmarshalTypeError.
func (d Dispatcher) Answer(ctx context.Context, verb string, body []byte) (any, error) {
	switch verb {
	case Find:
		return call(ctx, body, d.Responder.Find)
	case Export:
		return call(ctx, body, d.Responder.Export)
	case Erase:
		return call(ctx, body, d.Responder.Erase)
	case Rectify:
		return call(ctx, body, d.Responder.Rectify)
	case Restrict:
		return call(ctx, body, d.Responder.Restrict)
	case Lift:
		return call(ctx, body, d.Responder.Lift)
	case Object:
		return call(ctx, body, d.Responder.Object)
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownVerb, verb)
}

func call[Req, Res any](ctx context.Context, body []byte, fn func(context.Context, Req) (Res, error)) (any, error) {
	var req Req
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, fmt.Errorf("rights: decode request: %w", err)
	}
	return fn(ctx, req)
}
