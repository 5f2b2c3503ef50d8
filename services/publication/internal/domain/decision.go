// Package domain holds the rules of deciding whether to publish a successful prosecution:
// the four factors the notice names, the offender's side, four eyes, the under-18 bar, and
// when a published entry comes down. It imports no driver, broker or HTTP package; it
// returns the event each change causes and the adapters persist it.
package domain

import (
	"time"

	"casework.dev/pkg/calendar"
)

// Status is where a decision stands.
type Status string

const (
	StatusToDecide          Status = "to_decide"         // received; no decision submitted (or sent back)
	StatusAwaitingApproval  Status = "awaiting_approval" // drafted; a manager who did not draft it must approve
	StatusPublished         Status = "published"         // on the register until its takedown date
	StatusNotPublished      Status = "not_published"     // approved: do not publish
	StatusTakenDown         Status = "taken_down"        // was published; no longer
	StatusConvictionQuashed Status = "conviction_quashed"
	// StatusLapsed: erased while still undecided (its retention ran out, or the offender's
	// request once the notice allowed it); nothing is left to decide.
	StatusLapsed Status = "lapsed"
)

// Outcome is what the decision says to do.
type Outcome string

const (
	OutcomePublishWebsite  Outcome = "publish_website"
	OutcomePublishAndPress Outcome = "publish_and_press"
	OutcomeDoNotPublish    Outcome = "do_not_publish"
)

// Publishes reports whether the outcome puts the conviction on the register.
func (o Outcome) Publishes() bool { return o == OutcomePublishWebsite || o == OutcomePublishAndPress }

// Conviction is what the register may show, and nothing else: name, town, offence, court,
// date of conviction and sentence (in the court's words).
type Conviction struct {
	Name     string
	Town     string
	Offence  string
	Court    string
	Date     calendar.Date
	Sentence string
}

// Source is where a conviction came from.
type Source struct {
	Kind          string // SourceInvestigations or SourceManual
	Ref           string // the disclosure id, or the officer's idempotency key
	Team          string // the team that prosecuted
	CaseReference string // that team's case reference
}

const (
	SourceInvestigations = "investigations"
	SourceManual         = "manual"
)

// Rating is how strongly a factor weighs for publication.
type Rating string

// Ratings, weakest first.
var Ratings = []Rating{"none", "low", "medium", "high"}

// Factor is one of the notice's four factors with the officer's rating and reason.
type Factor struct {
	Rating Rating
	Reason string
}

// Factors are the social need the notice names.
type Factors struct {
	Significance    Factor // the significance of the offence committed
	CommunityEffect Factor // the effect of the offence in the local community
	Frequency       Factor // the frequency of such offences
	Publicity       Factor // whether the offence itself has attracted publicity
}

// OffenderSide is what weighs against publication: the offender's rights and circumstances.
type OffenderSide struct {
	AgeAtConviction  int
	FamilyOrChildren string
	Vulnerability    string
	RiskOfHarm       string
	Other            string
}

// Under18 reports whether the offender was a child at conviction.
func (o OffenderSide) Under18() bool { return o.AgeAtConviction < 18 }

// Proportionality is the officer's conclusion on balancing the two sides.
type Proportionality struct {
	Proportionate bool
	Conclusion    string
}

// Draft is a decision as an officer submits it for approval.
type Draft struct {
	Factors         Factors
	Offender        OffenderSide
	Sentence        Sentence
	Proportionality Proportionality
	Outcome         Outcome
	Reasons         string
}

// TakedownReason says why an entry comes, or came, down.
type TakedownReason string

const (
	TakedownPublicationPeriod TakedownReason = "publication_period"
	TakedownSpent             TakedownReason = "spent"
	TakedownAppeal            TakedownReason = "appeal"
	TakedownManual            TakedownReason = "manual"
)

// TakedownPlan is when a published entry comes down, and how that date was reached:
// the council's publication period or the spent date, whichever comes first.
type TakedownPlan struct {
	On                calendar.Date // the first day the entry is not shown
	Reason            TakedownReason
	PublicationPeriod calendar.Deadline
	Rehabilitation    Rehabilitation
}

// Event is what one change did, for the outbox, the status stream and the audit trail.
// Detail holds no personal data.
type Event struct {
	Type   string // e.g. "drafted", "published", "taken_down"
	Detail map[string]any
}

// Actor is who changes a decision, when, with the calendar every date comes from.
type Actor struct {
	Officer string
	Now     time.Time
	Cal     *calendar.Calendar
}

// Today is the actor's London date.
func (a Actor) Today() calendar.Date { return calendar.DateOf(a.Now) }

// Decision is one successful prosecution and what the council decided about publishing it.
type Decision struct {
	ID         string
	Reference  string
	Source     Source
	Conviction Conviction
	Status     Status
	ReceivedAt time.Time

	Draft     *Draft
	DraftedBy string
	DraftedAt *time.Time
	SentBack  *Note // the last send-back, kept with the draft for its revision

	ApprovedBy string
	ApprovedAt *time.Time

	PublishedOn calendar.Date
	// RegisterDisclosureID is the disclosure to the public register (the website) logged on
	// publication, and RegisterFields the conviction's fields it let go, sorted: the register
	// shows those alone.
	RegisterDisclosureID string
	RegisterFields       []string
	// SentenceToAmend: the conviction's sentence (or date) was corrected after the sentence
	// was drafted for the rehabilitation rules, so the takedown plan may no longer hold. A
	// published entry is off the register, and a draft cannot be approved, until an officer
	// drafts the sentence again (AmendSentence, or a new draft).
	SentenceToAmend bool
	Takedown        *TakedownPlan
	TakenDown       *Note // who took it down, when, and (in Reason) why
	TakedownReason  TakedownReason
	Appeal          *Appeal
	PressReleaseID  string

	RetentionDue calendar.Date
	ErasedAt     *time.Time
	Version      int
}

// CaseVersion is the version every save steps, the case's entity tag.
func (d *Decision) CaseVersion() int { return d.Version }

// Note is an officer's recorded reason.
type Note struct {
	By     string
	At     time.Time
	Reason string
}

// Appeal is a successful appeal against the conviction.
type Appeal struct {
	DecidedOn  calendar.Date
	Court      string
	Notes      string
	RecordedBy string
	RecordedAt time.Time
}

// Erased reports whether retention has erased the personal data.
func (d *Decision) Erased() bool { return d.ErasedAt != nil }

// Showing reports whether the register shows the decision's entry on a day.
func (d *Decision) Showing(today calendar.Date) bool {
	return d.Status == StatusPublished && d.Takedown != nil && today.Before(d.Takedown.On)
}
