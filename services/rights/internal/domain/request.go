package domain

import (
	"slices"
	"strings"
	"time"

	"casework.dev/contracts/rights"
	"casework.dev/pkg/calendar"
)

// Kind is the right a request exercises (UK GDPR Articles 15 to 21).
type Kind string

// Kinds of request.
const (
	KindAccess        Kind = "access"        // Art 15
	KindRectification Kind = "rectification" // Art 16
	KindErasure       Kind = "erasure"       // Art 17
	KindRestriction   Kind = "restriction"   // Art 18
	KindPortability   Kind = "portability"   // Art 20
	KindObjection     Kind = "objection"     // Art 21
)

// Kinds lists every kind, for validation.
var Kinds = []Kind{KindAccess, KindRectification, KindErasure, KindRestriction, KindPortability, KindObjection}

// ActionVerb is what the services are asked once the DPO confirms which records are the
// person's. An objection restricts the records while it is considered (Art 18(1)(d)), or
// ends their use for direct marketing where that is all it can reach (Art 21(2)-(3)).
func (k Kind) ActionVerb() string {
	switch k {
	case KindAccess, KindPortability:
		return rights.Export
	case KindErasure:
		return rights.Erase
	case KindRectification:
		return rights.Rectify
	case KindObjection:
		return rights.Object
	default:
		return rights.Restrict
	}
}

// restricting reports whether an action verb may restrict records: a restriction, and an
// objection (requests before the object verb asked the services to restrict).
func restricting(verb string) bool { return verb == rights.Restrict || verb == rights.Object }

// NoticeRight is the right of the privacy notices' vocabulary a service must offer for its
// records to be acted on for this kind: portability (UK GDPR Art 20(1): only processing on
// consent or contract) and objection (Art 21(1): only processing on public task or
// legitimate interests), which a service's lawful bases can exclude. Empty for a kind
// every service answers (access, rectification, erasure, restriction; an erasure or
// restriction a service may still refuse record by record, with its notice's ground).
func (k Kind) NoticeRight() string {
	switch k {
	case KindPortability, KindObjection:
		return string(k)
	}
	return ""
}

// Grounds on which the rights service itself declines a service's records: its notice does
// not offer the right the request exercises, because its lawful bases exclude it.
const (
	GroundPortabilityNotApplicable = "portability_not_applicable"
	GroundObjectionNotApplicable   = "objection_not_applicable"
)

// notApplicable words why a service whose notice does not offer the kind's right is not
// asked to act on the person's records.
var notApplicable = map[Kind]rights.Refusal{
	KindPortability: {Ground: GroundPortabilityNotApplicable, Words: "portability applies only to data processed on consent or contract " +
		"(UK GDPR Article 20(1)), and this service's privacy notice does not offer it; ask for access instead"},
	KindObjection: {Ground: GroundObjectionNotApplicable, Words: "the right to object applies only to processing on public task or " +
		"legitimate interests (UK GDPR Article 21(1)) or for direct marketing (Article 21(2)), and this service's privacy notice does not offer it; " +
		"ask for rectification, erasure or restriction instead"},
}

// TellsRecipients reports whether the kind's action must be notified to every recipient of
// the data (UK GDPR Art 19: rectification, erasure, restriction).
func (k Kind) TellsRecipients() bool {
	switch k.ActionVerb() {
	case rights.Erase, rights.Rectify, rights.Restrict, rights.Object:
		return true
	}
	return false
}

// Status is where a request stands.
type Status string

// Statuses of a request.
const (
	StatusOpen         Status = "open"          // the clock runs
	StatusClockStopped Status = "clock_stopped" // waiting for the requester
	StatusCompleted    Status = "completed"     // answered
	StatusRefused      Status = "refused"       // refused as a whole (Art 12(5), 12(6))
	StatusLapsed       Status = "lapsed"        // closed: what the council waited for from the requester never came (Lapse)
)

// Phase is how far the work has gone while the request is open.
type Phase string

// Phases of the work on a request.
const (
	PhaseNew        Phase = "new"        // nothing searched yet
	PhaseSearching  Phase = "searching"  // asking every service for candidates
	PhaseConfirming Phase = "confirming" // every service answered; the DPO confirms the person's records
	PhaseActioning  Phase = "actioning"  // asking the services that hold them to export, erase, ...
	PhaseReady      Phase = "ready"      // every service answered: the response can be sent
)

// Awaiting is what a stopped clock waits for.
type Awaiting string

// What the council may wait for.
const (
	AwaitingIdentity      Awaiting = "identity"      // proof of identity (Art 12(6))
	AwaitingAuthority     Awaiting = "authority"     // a representative's authority to act
	AwaitingClarification Awaiting = "clarification" // what the request is about (Art 12A)
)

// awaitingWords are the words the deadline's description uses: they name no one.
var awaitingWords = map[Awaiting]string{
	AwaitingIdentity:      "proof of identity",
	AwaitingAuthority:     "the representative's authority to act",
	AwaitingClarification: "clarification of the request",
}

// Person is who asks.
type Person struct {
	Name, Email, Phone, Address string
}

// Representative asks for the person with their authority (the corporate notice: "a form
// of authority ... so that we know they are acting under your instruction").
type Representative struct {
	Name         string
	Organisation string
	// Authority describes the form of authority seen; empty until it arrives.
	Authority string
}

// Identity is how the person's identity was checked.
type Identity struct {
	Verified   bool
	Method     string // the documents seen, e.g. "passport and council tax bill" (never copies)
	VerifiedAt *time.Time
	VerifiedBy string
}

// Rectification is the correction asked for.
type Rectification struct {
	Field string // name, email, phone or address
	Value string
}

// RectifiableFields are the fields a rectification may correct across services.
var RectifiableFields = []string{"name", "email", "phone", "address"}

// Extension is the extension of the month by up to two more (Art 12A, ICO guidance: "three
// months from the original start date"), with its reason and how the person was told.
type Extension struct {
	Months  int
	Reason  string
	ToldOn  calendar.Date
	ToldHow string // letter, email, phone
	By      string
	At      time.Time
}

// Match is one record the DPO confirmed is the person's.
type Match struct {
	Service  string
	RecordID string
}

// ServiceCandidate is a candidate record and the service that found it.
type ServiceCandidate struct {
	Service string
	rights.Candidate
}

// ServiceRecords are the records a service exported.
type ServiceRecords struct {
	Service string
	Records []rights.Record
}

// ServiceOutcome is what a service did to one record.
type ServiceOutcome struct {
	Service string
	Verb    string
	rights.Outcome
}

// Restricted reports whether the service restricted the record.
func (o ServiceOutcome) Restricted() bool {
	return o.Done && restricting(o.Verb) && o.Effect != rights.EffectMarketingEnded
}

// Closure is how a request ended.
type Closure struct {
	At      time.Time
	By      string
	Outcome Status // completed, refused or lapsed
	Ground  string // refused: the ground
	// Reasons are a refusal's reasons in words, as the person is told them with their right
	// to complain to the ICO (UK GDPR Art 12(4)); the council must be able to show a request
	// manifestly unfounded or excessive (Art 12(5)).
	Reasons string
	OnTime  bool
}

// Request is one request to exercise a data protection right.
type Request struct {
	ID, Reference string
	Kind          Kind
	Status        Status
	Phase         Phase
	ReceivedAt    time.Time

	Requester      Person
	Subject        rights.Identifiers // the person the request is about
	Representative *Representative    // nil: the person asks for themselves
	Identity       Identity
	Awaiting       Awaiting // while the clock is stopped; on a lapsed request, what never came
	Details        string
	Rectification  *Rectification

	Deadline  calendar.Deadline
	Extension *Extension
	Lift      *Lift      // a restriction lifted (Art 18(3))
	OverdueAt *time.Time // when the overdue event was raised; at most once

	Search      *FanOut
	Candidates  []ServiceCandidate
	Matches     []Match
	ConfirmedBy string
	ConfirmedAt *time.Time
	Action      *FanOut
	Exports     []ServiceRecords
	Outcomes    []ServiceOutcome
	Notices     []Article19Notice

	Closed       *Closure
	RetentionDue calendar.Date
	ErasedAt     *time.Time
	Version      int
}

// Erased reports whether retention has erased the request's personal data.
func (r *Request) Erased() bool { return r.ErasedAt != nil }

// IsClosed reports whether the request has ended.
func (r *Request) IsClosed() bool {
	return r.Status == StatusCompleted || r.Status == StatusRefused || r.Status == StatusLapsed
}

// Pending names the services that have not answered the current fan-out.
func (r *Request) Pending() []string {
	if f := r.current(); f != nil {
		return f.Pending()
	}
	return []string{}
}

// current is the fan-out in progress or last run.
func (r *Request) current() *FanOut {
	if r.Action != nil {
		return r.Action
	}
	return r.Search
}

// FanOut returns the fan-out for verb (find or the kind's action verb), nil if not started.
func (r *Request) FanOut(verb string) *FanOut {
	switch {
	case r.Search != nil && r.Search.Verb == verb:
		return r.Search
	case r.Action != nil && r.Action.Verb == verb:
		return r.Action
	}
	return nil
}

// NextAttemptAt is when a service that has not answered is next asked; zero when none waits.
func (r *Request) NextAttemptAt() time.Time {
	if f := r.Asking(); f != nil {
		return f.NextAttemptAt()
	}
	return time.Time{}
}

// MatchesFor lists the confirmed record ids of one service.
func (r *Request) MatchesFor(service string) []string {
	var ids []string
	for _, m := range r.Matches {
		if m.Service == service {
			ids = append(ids, m.RecordID)
		}
	}
	return ids
}

// IsCandidate reports whether service found record for this request.
func (r *Request) IsCandidate(service, recordID string) bool {
	return slices.ContainsFunc(r.Candidates, func(c ServiceCandidate) bool {
		return c.Service == service && c.RecordID == recordID
	})
}

// trimmed is s without the white space around it: for checking whether text is there
// (blank), never for what is stored. What a client sends is kept exactly as sent.
func trimmed(s string) string { return strings.TrimSpace(s) }

// blank reports whether s is empty or white space alone: no text, where text is required.
func blank(s string) bool { return trimmed(s) == "" }
