// Package domain holds the complaints rules of the Complaint Handling Code: stages, state
// transitions, deadlines and who may handle what. It imports no driver, broker or HTTP
// package; it returns the events each change causes and the adapters persist them.
package domain

import (
	"slices"
	"time"

	"casework.dev/pkg/calendar"
)

// Status is where a complaint stands.
type Status string

const (
	StatusStage1Received     Status = "stage1_received"
	StatusStage1Acknowledged Status = "stage1_acknowledged"
	StatusStage1Responded    Status = "stage1_responded"
	StatusStage2Received     Status = "stage2_received"
	StatusStage2Acknowledged Status = "stage2_acknowledged"
	StatusStage2Responded    Status = "stage2_responded"
	StatusStage3Referred     Status = "stage3_referred"  // the complainant has gone to the Ombudsman
	StatusStage3Enquiry      Status = "stage3_enquiry"   // an Ombudsman enquiry awaits the council's response
	StatusStage3Responded    Status = "stage3_responded" // the council answered; the Ombudsman is considering
	StatusStage3Decided      Status = "stage3_decided"   // the Ombudsman decided; remedies may be running
	StatusClosed             Status = "closed"
)

// Outcome of a stage response.
type Outcome string

const (
	OutcomeUpheld       Outcome = "upheld"
	OutcomePartlyUpheld Outcome = "partly_upheld"
	OutcomeNotUpheld    Outcome = "not_upheld"
)

// Valid reports whether o is one of the Code's outcomes.
func (o Outcome) Valid() bool {
	return o == OutcomeUpheld || o == OutcomePartlyUpheld || o == OutcomeNotUpheld
}

// Channel by which the complaint arrived.
var Channels = []string{"email", "phone", "web", "letter", "in_person", "social_media"}

// Complainant is the person complaining: the personal data of the case.
type Complainant struct {
	Name    string
	Address string
	Phone   string
	Email   string
}

// DeadlineKind is which of a stage's two deadlines.
type DeadlineKind string

const (
	DeadlineAcknowledge DeadlineKind = "acknowledge"
	DeadlineRespond     DeadlineKind = "respond"
)

// Deadline is one stage deadline with how it was computed and whether it was met.
type Deadline struct {
	Stage      int
	Kind       DeadlineKind
	Computed   calendar.Deadline
	MetAt      *time.Time
	MetBy      string     // the officer whose action met it
	ExtendedBy string     // the officer who extended it, if anyone did
	OverdueAt  *time.Time // when the overdue event was raised; at most once
	// EndedAt is when it stopped applying unmet: the Ombudsman decided the complaint
	// itself, or it was referred after its stage had ended (see applyReferral).
	EndedAt *time.Time
}

// Key names the deadline in events, e.g. "stage1.respond".
func (d Deadline) Key() string { return stageName(d.Stage) + "." + string(d.Kind) }

// Open reports whether the deadline is still to be met: neither met nor ended. Its clock
// may be stopped (see Running).
func (d Deadline) Open() bool { return d.MetAt == nil && d.EndedAt == nil }

// Response is a stage's answer to the complainant.
type Response struct {
	Outcome     Outcome
	Summary     string
	Remedies    []string
	RespondedAt time.Time
	RespondedBy string
	OnTime      bool
}

// Consent is the complainant's consent to share with one recipient. Explicit: the
// complainant's explicit consent, which is also consent, and which special category details
// need where the notice says so; withdrawing the consent withdraws it too.
type Consent struct {
	Recipient   string
	GivenAt     time.Time
	RecordedBy  string
	WithdrawnAt *time.Time
	Explicit    bool
}

// LegalHold stops retention erasure while litigation or an investigation needs the data.
type LegalHold struct {
	Reason string
	SetAt  time.Time
	SetBy  string
}

// Complaint is one corporate complaint through the council's two internal stages and, when
// the complainant goes to the Ombudsman, stage 3.
type Complaint struct {
	ID                 string
	Reference          string
	Stage              int
	Status             Status
	Service            string // id of the council service complained about, from the service catalogue
	Channel            string
	ReceivedAt         time.Time
	Complainant        Complainant
	Details            string
	SpecialDetails     string // special category data the complaint reveals, kept apart (see the notice)
	Stage2Details      string
	AnonymityRequested bool // not to be identified to the person complained about
	Stage1Handler      string
	Stage2Handler      string
	Deadlines          []Deadline
	Responses          map[int]*Response
	Consents           map[string]Consent
	ClosedAt           *time.Time
	ClosureReason      string
	RetentionDue       calendar.Date // zero until closed
	LegalHold          *LegalHold
	ErasedAt           *time.Time
	Stage3             *Stage3 // nil until the complainant goes to the Ombudsman
	Version            int
	// ChangedAt is when the complaint was last changed (its last saved event); reads do
	// not change it. Zero for a complaint not yet saved.
	ChangedAt time.Time
}

// CaseVersion is the version every save steps, the case's entity tag.
func (c *Complaint) CaseVersion() int { return c.Version }

// Deadline returns the stage's deadline of the given kind.
func (c *Complaint) Deadline(stage int, kind DeadlineKind) *Deadline {
	for i := range c.Deadlines {
		if c.Deadlines[i].Stage == stage && c.Deadlines[i].Kind == kind {
			return &c.Deadlines[i]
		}
	}
	return nil
}

// OpenDeadlines are those neither met nor ended.
func (c *Complaint) OpenDeadlines() []Deadline {
	var open []Deadline
	for _, d := range c.Deadlines {
		if d.Open() {
			open = append(open, d)
		}
	}
	return open
}

// Running reports whether d's clock runs: open, not stopped, and the complaint open at d's
// stage. A stage's clocks stop only while the complaint is with the Ombudsman (stage 3),
// so the stage test agrees with the stops, also for deadlines referred before stops were
// recorded (SettleReferralDeadlines), and is what the queries test (adapters).
func (c *Complaint) Running(d Deadline) bool {
	return c.Status != StatusClosed && d.Stage == c.Stage && d.Open() && !d.Computed.Stopped()
}

// RunningDeadlines are the deadlines whose clocks run.
func (c *Complaint) RunningDeadlines() []Deadline {
	var running []Deadline
	for _, d := range c.Deadlines {
		if c.Running(d) {
			running = append(running, d)
		}
	}
	return running
}

// Overdue lists the keys of running deadlines passed at now. A closed complaint, or a
// stage whose clock stopped while the Ombudsman has the complaint, has none (as
// MarkOverdue and the queries agree).
func (c *Complaint) Overdue(now time.Time) []string {
	overdue := []string{}
	for _, d := range c.RunningDeadlines() {
		if d.Computed.IsOverdue(now) {
			overdue = append(overdue, d.Key())
		}
	}
	return overdue
}

// Handler is the officer handling the current stage.
func (c *Complaint) Handler() string {
	if c.Stage == 2 {
		return c.Stage2Handler
	}
	return c.Stage1Handler
}

// ActedAt lists, each once and in order, the officers who acknowledged, extended or
// responded at stage: those who handled it, whoever was assigned.
func (c *Complaint) ActedAt(stage int) []string {
	var officers []string
	add := func(officer string) {
		if officer != "" && !slices.Contains(officers, officer) {
			officers = append(officers, officer)
		}
	}
	for _, kind := range []DeadlineKind{DeadlineAcknowledge, DeadlineRespond} {
		if d := c.Deadline(stage, kind); d != nil {
			add(d.ExtendedBy) // an extension comes before the action that meets the deadline
			add(d.MetBy)
		}
	}
	if r := c.Responses[stage]; r != nil {
		add(r.RespondedBy)
	}
	return officers
}

// HasExplicitConsent reports whether the complainant's explicit consent to share with
// recipient stands.
func (c *Complaint) HasExplicitConsent(recipient string) bool {
	return c.HasConsent(recipient) && c.Consents[recipient].Explicit
}

// HasConsent reports whether the complainant's consent to share with recipient stands.
func (c *Complaint) HasConsent(recipient string) bool {
	consent, ok := c.Consents[recipient]
	return ok && consent.WithdrawnAt == nil
}

// Erased reports whether retention has removed the personal data.
func (c *Complaint) Erased() bool { return c.ErasedAt != nil }

func stageName(stage int) string {
	switch stage {
	case 2:
		return "stage2"
	case 3:
		return "stage3"
	}
	return "stage1"
}
