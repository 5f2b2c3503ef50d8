// Package domain holds the community protection investigation: its people, matter,
// evidence and special category items, its lifecycle and its need-to-know rule. It
// imports no driver, broker or HTTP package.
package domain

import (
	"slices"
	"time"
)

// Investigation is one case in one of the notice's fourteen areas.
type Investigation struct {
	ID        string
	Reference string
	Area      string // a case type of the notice
	Scope     string // narrows the dogs area: stray_dog, dangerous_dog, nuisance_dog
	HateCrime bool
	Status    Status
	Channel   string

	ReceivedAt time.Time
	CreatedBy  string
	Assigned   []string

	People   []Person
	Matter   Matter
	Evidence []EvidenceItem
	Special  []SpecialItem
	Emails   []Email

	Actions    []EnforcementAction
	Outcome    *Outcome
	Conditions []RecordedCondition
	ASBReview  *ASBReview

	ClosedAt     *time.Time
	ClosedReason string
	Retention    Retention // the case file's own clock
	LegalHold    *LegalHold
	ErasedAt     *time.Time // the case file's personal data
	Version      int
}

// CaseVersion is the version every save steps, the case's entity tag.
func (c *Investigation) CaseVersion() int { return c.Version }

// Person is someone involved, with their role.
type Person struct {
	ID                  string
	Role                Role
	Name                string
	Address             string
	Town                string
	Phone               string
	Email               string
	ProofOfIdentity     string
	VehicleRegistration string
	DateOfBirth         string
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
	Summary   string
	Locations []string
	Dates     []string // YYYY-MM-DD
	Times     []string // as reported, e.g. "23:00-02:00"
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
	ID             string
	Kind           EvidenceKind
	Description    string
	StorageRef     string // where the file itself is kept
	PersonID       string // e.g. the witness
	CapturedAt     time.Time
	UsedAsEvidence bool
	AddedAt        time.Time
	Retention      Retention
	ErasedAt       *time.Time
}

// SpecialItem is one piece of special category (or criminal offence) data, tagged with
// its notice category.
type SpecialItem struct {
	ID         string
	Category   string
	PersonID   string
	Details    string
	RecordedAt time.Time
	ErasedAt   *time.Time
}

// SpecialCategories are the notice's special category and criminal offence categories an
// officer may record on a case.
var SpecialCategories = []string{"health", "racial_or_ethnic_origin", "religious_or_philosophical_beliefs",
	"sex_life", "sexual_orientation", "previous_convictions"}

// Email is personal data sent to us by e-mail; it is kept on its own clock.
type Email struct {
	ID         string
	From       string
	Subject    string
	Body       string
	ReceivedAt time.Time
	Retention  Retention
	ErasedAt   *time.Time
	// PersonID is the person in the case who sent it, tied once their address is erased or
	// changed (tieEmails); empty while the address on their entry is what says so.
	PersonID string
}

// Address is an e-mail address as compared, the rights service's way (rightsdata.Email):
// given by the app, as the domain imports no rights package.
type Address func(string) string

// SentBy reports whether the person sent the e-mail: tied to them, or from the address on
// their entry. The access answer, the erasure and the retention of the case file all ask
// this, so what one finds as theirs the others do.
func (m Email) SentBy(p Person, address Address) bool {
	if m.PersonID != "" {
		return m.PersonID == p.ID
	}
	return p.Email != "" && address(m.From) == address(p.Email)
}

// EnforcementAction is one step taken: a warning, a notice served, a fixed penalty...
type EnforcementAction struct {
	Kind  string
	Notes string
	At    time.Time
	By    string
	// PersonID is the person it was addressed to, in a role AddresseeRoles gives its kind;
	// empty for no one (and for any action recorded before actions named a person).
	PersonID string
	// ComplyBy is a community protection warning's date (YYYY-MM-DD) by which the conduct
	// must change; empty for other kinds (and for a warning recorded before warnings stated one).
	ComplyBy string
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
	Kind           OutcomeKind
	PersonID       string // the person convicted
	Offence        string
	Court          string
	Date           string // YYYY-MM-DD
	Sentence       string // in the court's words
	SentenceLength string // a period such as 18m, or NoSentenceTerm; for retention
	RecordedAt     time.Time
	RecordedBy     string
}

// NoSentenceTerm is the sentence length of a sentence with no term, such as a fine; the
// conviction is then kept for the notice's 7-year floor.
const NoSentenceTerm = "none"

// RecordedCondition is a sharing condition an officer recorded for one recipient.
type RecordedCondition struct {
	Recipient string
	Condition string
	Reason    string
	At        time.Time
	By        string
	// PersonID is who consented, for consent and explicit consent: a person's own, it
	// covers data about them alone. Empty for a condition that holds for the case.
	PersonID string
	// WithdrawnAt is when the person withdrew a consent, and WithdrawnBy the officer who
	// recorded it (UK GDPR Art 7(3)); nil while it stands. The condition stays on the case
	// as what the disclosures made before rested on.
	WithdrawnAt *time.Time
	WithdrawnBy string
}

// Standing reports whether the condition still holds: only a standing one serves a disclosure.
func (k RecordedCondition) Standing() bool { return k.WithdrawnAt == nil }

// PersonalConditions are the conditions a person gives for themselves.
var PersonalConditions = []string{"consent", "explicit_consent"}

// ASBReview records that an anti-social behaviour case review was triggered.
type ASBReview struct {
	TriggeredAt time.Time
	Count       int
	Threshold   int
	Within      string
	MatchedOn   string // location or subject
}

// Retention is one item's clock: when it may be erased and how that was worked out.
type Retention struct {
	Due         string // YYYY-MM-DD; empty while the trigger has not happened
	Rule        string
	Computation string
}

// LegalHold stops erasure.
type LegalHold struct {
	Reason string
	SetAt  time.Time
	SetBy  string
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

// HasCondition reports whether condition, recorded for recipient, stands.
func (c *Investigation) HasCondition(recipient, condition string) bool {
	for _, k := range c.Conditions {
		if k.Recipient == recipient && k.Condition == condition && k.Standing() {
			return true
		}
	}
	return false
}

// GivenBy lists the people whose consent to recipient, of one of the conditions, stands.
func (c *Investigation) GivenBy(recipient string, conditions ...string) map[string]bool {
	people := map[string]bool{}
	for _, k := range c.Conditions {
		if k.Recipient == recipient && k.PersonID != "" && slices.Contains(conditions, k.Condition) && k.Standing() {
			people[k.PersonID] = true
		}
	}
	return people
}

// ConditionsFor lists the conditions standing for recipient: a withdrawn one serves no
// later disclosure. Explicit consent is consent too (UK GDPR Art 9(2)(a) asks more of it,
// not less), so a person who gave it has given consent.
func (c *Investigation) ConditionsFor(recipient string) []string {
	var out []string
	for _, k := range c.Conditions {
		if !k.Standing() {
			continue
		}
		if k.Recipient == recipient && !slices.Contains(out, k.Condition) {
			out = append(out, k.Condition)
		}
		if k.Recipient == recipient && k.Condition == "explicit_consent" && !slices.Contains(out, "consent") {
			out = append(out, "consent")
		}
	}
	return out
}

// MatterAbout names the people the matter is about. The notice tells the person
// investigated the matter yet has them hear nothing of a witness, a victim or anyone else,
// nor of the reporter without a finding of necessity: so the matter is the data of the people
// in the subject role. A case that names no one in that role leaves it about anyone it
// involves: then everyone on the case.
func (c *Investigation) MatterAbout() []string {
	if subjects := c.withRoles(RoleSubject); len(subjects) > 0 {
		return subjects
	}
	return c.withRoles(roles...)
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
