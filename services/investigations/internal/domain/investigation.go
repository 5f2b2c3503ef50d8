// Package domain holds the community protection investigation: its people, matter,
// evidence and special category items, its lifecycle and its need-to-know rule. It
// imports no driver, broker or HTTP package.
package domain

import "time"

// Investigation is one case in one of the notice's fourteen areas.
type Investigation struct {
	ID        string `json:"id"`
	Reference string `json:"reference"`
	Area      string `json:"area"`  // a case type of the notice
	Scope     string `json:"scope"` // narrows the dogs area: stray_dog, dangerous_dog, nuisance_dog
	HateCrime bool   `json:"hate_crime"`
	Status    Status `json:"status"`
	Channel   string `json:"channel"`

	ReceivedAt time.Time `json:"received_at"`
	CreatedBy  string    `json:"created_by"`
	Assigned   []string  `json:"assigned"`

	People   []Person       `json:"people"`
	Matter   Matter         `json:"matter"`
	Evidence []EvidenceItem `json:"evidence"`
	Special  []SpecialItem  `json:"special"`
	Emails   []Email        `json:"emails"`

	Actions    []EnforcementAction `json:"actions"`
	Outcome    *Outcome            `json:"outcome,omitempty"`
	Conditions []RecordedCondition `json:"conditions"`
	ASBReview  *ASBReview          `json:"asb_review,omitempty"`

	ClosedAt     *time.Time `json:"closed_at,omitempty"`
	ClosedReason string     `json:"closed_reason,omitempty"`
	Retention    Retention  `json:"retention"` // the case file's own clock
	LegalHold    *LegalHold `json:"legal_hold,omitempty"`
	ErasedAt     *time.Time `json:"erased_at,omitempty"` // the case file's personal data
	Version      int        `json:"-"`
}

// Person is someone involved, with their role.
type Person struct {
	ID                  string `json:"id"`
	Role                Role   `json:"role"`
	Name                string `json:"name"`
	Address             string `json:"address,omitempty"`
	Town                string `json:"town,omitempty"`
	Phone               string `json:"phone,omitempty"`
	Email               string `json:"email,omitempty"`
	ProofOfIdentity     string `json:"proof_of_identity,omitempty"`
	VehicleRegistration string `json:"vehicle_registration,omitempty"`
	DateOfBirth         string `json:"date_of_birth,omitempty"`
}

// Role is a person's part in the matter.
type Role string

const (
	RoleReporter Role = "reporter"
	RoleSubject  Role = "subject"
	RoleWitness  Role = "witness"
	RoleVictim   Role = "victim"
	RoleOwner    Role = "owner" // e.g. of a dog, a property or a site
	RoleOther    Role = "other"
)

var roles = []Role{RoleReporter, RoleSubject, RoleWitness, RoleVictim, RoleOwner, RoleOther}

// Matter is what requires investigation: where, when and what.
type Matter struct {
	Summary   string   `json:"summary"`
	Locations []string `json:"locations"`
	Dates     []string `json:"dates"` // YYYY-MM-DD
	Times     []string `json:"times"` // as reported, e.g. "23:00-02:00"
}

// EvidenceKind is the sort of evidence item.
type EvidenceKind string

const (
	EvidenceWitnessStatement EvidenceKind = "witness_statement"
	EvidenceDocument         EvidenceKind = "document"
	EvidencePhoto            EvidenceKind = "photo"
	EvidenceCCTV             EvidenceKind = "cctv"
	EvidenceBodyWorn         EvidenceKind = "body_worn_video"
)

// Category is the notice category an evidence kind belongs to.
func (k EvidenceKind) Category() string {
	switch k {
	case EvidenceWitnessStatement:
		return "witness_statements"
	case EvidenceCCTV, EvidenceBodyWorn:
		return "cctv_footage"
	case EvidenceDocument, EvidencePhoto:
		return "evidential_material"
	}
	return ""
}

// EvidenceItem is one statement, document, photo or piece of footage.
type EvidenceItem struct {
	ID             string       `json:"id"`
	Kind           EvidenceKind `json:"kind"`
	Description    string       `json:"description"`
	StorageRef     string       `json:"storage_ref,omitempty"` // where the file itself is kept
	PersonID       string       `json:"person_id,omitempty"`   // e.g. the witness
	CapturedAt     time.Time    `json:"captured_at"`
	UsedAsEvidence bool         `json:"used_as_evidence"`
	AddedAt        time.Time    `json:"added_at"`
	Retention      Retention    `json:"retention"`
	ErasedAt       *time.Time   `json:"erased_at,omitempty"`
}

// SpecialItem is one piece of special category (or criminal offence) data, tagged with
// its notice category.
type SpecialItem struct {
	ID         string     `json:"id"`
	Category   string     `json:"category"`
	PersonID   string     `json:"person_id,omitempty"`
	Details    string     `json:"details"`
	RecordedAt time.Time  `json:"recorded_at"`
	ErasedAt   *time.Time `json:"erased_at,omitempty"`
}

// SpecialCategories are the notice's special category and criminal offence categories an
// officer may record on a case.
var SpecialCategories = []string{"health", "racial_or_ethnic_origin", "religious_or_philosophical_beliefs",
	"sex_life", "sexual_orientation", "previous_convictions"}

// Email is personal data sent to us by e-mail; it is kept on its own clock.
type Email struct {
	ID         string     `json:"id"`
	From       string     `json:"from"`
	Subject    string     `json:"subject"`
	Body       string     `json:"body"`
	ReceivedAt time.Time  `json:"received_at"`
	Retention  Retention  `json:"retention"`
	ErasedAt   *time.Time `json:"erased_at,omitempty"`
}

// EnforcementAction is one step taken: a warning, a notice served, a fixed penalty...
type EnforcementAction struct {
	Kind  string    `json:"kind"`
	Notes string    `json:"notes,omitempty"`
	At    time.Time `json:"at"`
	By    string    `json:"by"`
}

// ActionKinds an officer may record.
var ActionKinds = []string{"warning", "community_protection_warning", "community_protection_notice",
	"abatement_notice", "notice_served", "fixed_penalty", "licence_action", "works_in_default", "seizure", "injunction"}

// OutcomeKind ends the enforcement.
type OutcomeKind string

const (
	OutcomeConviction      OutcomeKind = "conviction"
	OutcomeAcquittal       OutcomeKind = "acquittal"
	OutcomeNoFurtherAction OutcomeKind = "no_further_action"
)

// Outcome is how the matter ended; a conviction carries the court's sentence.
type Outcome struct {
	Kind           OutcomeKind `json:"kind"`
	PersonID       string      `json:"person_id,omitempty"` // the person convicted
	Offence        string      `json:"offence,omitempty"`
	Court          string      `json:"court,omitempty"`
	Date           string      `json:"date,omitempty"`            // YYYY-MM-DD
	Sentence       string      `json:"sentence,omitempty"`        // in the court's words
	SentenceLength string      `json:"sentence_length,omitempty"` // a period such as 18m, or NoSentenceTerm; for retention
	RecordedAt     time.Time   `json:"recorded_at"`
	RecordedBy     string      `json:"recorded_by"`
}

// NoSentenceTerm is the sentence length of a sentence with no term, such as a fine; the
// conviction is then kept for the notice's 7-year floor.
const NoSentenceTerm = "none"

// RecordedCondition is a sharing condition an officer recorded for one recipient.
type RecordedCondition struct {
	Recipient string    `json:"recipient"`
	Condition string    `json:"condition"`
	Reason    string    `json:"reason"`
	At        time.Time `json:"at"`
	By        string    `json:"by"`
}

// ASBReview records that an anti-social behaviour case review was triggered.
type ASBReview struct {
	TriggeredAt time.Time `json:"triggered_at"`
	Count       int       `json:"count"`
	Threshold   int       `json:"threshold"`
	Within      string    `json:"within"`
	MatchedOn   string    `json:"matched_on"` // location or subject
}

// Retention is one item's clock: when it may be erased and how that was worked out.
type Retention struct {
	Due         string `json:"due,omitempty"` // YYYY-MM-DD; empty while the trigger has not happened
	Rule        string `json:"rule,omitempty"`
	Computation string `json:"computation,omitempty"`
}

// LegalHold stops erasure.
type LegalHold struct {
	Reason string    `json:"reason"`
	SetAt  time.Time `json:"set_at"`
	SetBy  string    `json:"set_by"`
}

// Event is one change, for the outbox and the audit trail. Detail never holds personal data.
type Event struct {
	Type      string
	Outcome   string
	Recipient string
	Count     int
	Detail    map[string]any
}

// NeedToKnow: domestic abuse and hate crime cases are read only by their assigned officers
// and by managers.
func (c *Investigation) NeedToKnow() bool { return c.Area == "domestic_abuse" || c.HateCrime }

// Caller is who is asking.
type Caller struct {
	Officer string
	Manager bool
}

// MayAccess applies the need-to-know rule.
func (c *Investigation) MayAccess(who Caller) bool {
	if !c.NeedToKnow() || who.Manager {
		return true
	}
	for _, a := range c.Assigned {
		if a == who.Officer {
			return true
		}
	}
	return false
}

// Erased reports whether the case file's personal data has gone.
func (c *Investigation) Erased() bool { return c.ErasedAt != nil }

// HasCondition reports whether an officer recorded condition for recipient.
func (c *Investigation) HasCondition(recipient, condition string) bool {
	for _, k := range c.Conditions {
		if k.Recipient == recipient && k.Condition == condition {
			return true
		}
	}
	return false
}

// ConditionsFor lists the conditions recorded for recipient.
func (c *Investigation) ConditionsFor(recipient string) []string {
	var out []string
	for _, k := range c.Conditions {
		if k.Recipient == recipient {
			out = append(out, k.Condition)
		}
	}
	return out
}

// Person returns the person with this id.
func (c *Investigation) Person(id string) *Person {
	for i := range c.People {
		if c.People[i].ID == id {
			return &c.People[i]
		}
	}
	return nil
}

// FirstWithRole returns the first person in a role.
func (c *Investigation) FirstWithRole(r Role) *Person {
	for i := range c.People {
		if c.People[i].Role == r {
			return &c.People[i]
		}
	}
	return nil
}
