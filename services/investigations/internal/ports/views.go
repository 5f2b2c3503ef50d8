package ports

import (
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// view is a case as the API shows it to those who may read it.
type view struct {
	ID             string          `json:"id"`
	Reference      string          `json:"reference"`
	Area           string          `json:"area"`
	Scope          string          `json:"scope"`
	HateCrime      bool            `json:"hate_crime"`
	Status         string          `json:"status"`
	Channel        string          `json:"channel"`
	ReceivedAt     time.Time       `json:"received_at"`
	CreatedBy      string          `json:"created_by"`
	Assigned       []string        `json:"assigned"`
	People         []personView    `json:"people"`
	Matter         matterView      `json:"matter"`
	Evidence       []evidenceView  `json:"evidence"`
	Special        []specialView   `json:"special"`
	Emails         []emailView     `json:"emails"`
	Actions        []actionView    `json:"actions"`
	Outcome        *outcomeView    `json:"outcome,omitempty"`
	Conditions     []conditionView `json:"conditions"`
	ASBReview      *asbReviewView  `json:"asb_review,omitempty"`
	ClosedAt       *time.Time      `json:"closed_at,omitempty"`
	ClosedReason   string          `json:"closed_reason,omitempty"`
	Retention      retentionView   `json:"retention"`
	LegalHold      *legalHoldView  `json:"legal_hold,omitempty"`
	ErasedAt       *time.Time      `json:"erased_at,omitempty"`
	NeedToKnow     bool            `json:"need_to_know"`
	AllowedActions []string        `json:"allowed_actions"`
}

type personView struct {
	ID                  string `json:"id"`
	Role                string `json:"role"`
	Name                string `json:"name"`
	Address             string `json:"address,omitempty"`
	Town                string `json:"town,omitempty"`
	Phone               string `json:"phone,omitempty"`
	Email               string `json:"email,omitempty"`
	ProofOfIdentity     string `json:"proof_of_identity,omitempty"`
	VehicleRegistration string `json:"vehicle_registration,omitempty"`
	DateOfBirth         string `json:"date_of_birth,omitempty"`
}

type matterView struct {
	Summary   string   `json:"summary"`
	Locations []string `json:"locations"`
	Dates     []string `json:"dates"`
	Times     []string `json:"times"`
}

type evidenceView struct {
	ID             string        `json:"id"`
	Kind           string        `json:"kind"`
	Description    string        `json:"description"`
	StorageRef     string        `json:"storage_ref,omitempty"`
	PersonID       string        `json:"person_id,omitempty"`
	CapturedAt     time.Time     `json:"captured_at"`
	UsedAsEvidence bool          `json:"used_as_evidence"`
	AddedAt        time.Time     `json:"added_at"`
	Retention      retentionView `json:"retention"`
	ErasedAt       *time.Time    `json:"erased_at,omitempty"`
}

type specialView struct {
	ID         string     `json:"id"`
	Category   string     `json:"category"`
	PersonID   string     `json:"person_id,omitempty"`
	Details    string     `json:"details"`
	RecordedAt time.Time  `json:"recorded_at"`
	ErasedAt   *time.Time `json:"erased_at,omitempty"`
}

type emailView struct {
	ID         string        `json:"id"`
	From       string        `json:"from"`
	Subject    string        `json:"subject"`
	Body       string        `json:"body"`
	ReceivedAt time.Time     `json:"received_at"`
	Retention  retentionView `json:"retention"`
	ErasedAt   *time.Time    `json:"erased_at,omitempty"`
}

type actionView struct {
	Kind     string    `json:"kind"`
	Notes    string    `json:"notes,omitempty"`
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	PersonID string    `json:"person_id,omitempty"`
	ComplyBy string    `json:"comply_by,omitempty"`
}

type outcomeView struct {
	Kind           string    `json:"kind"`
	PersonID       string    `json:"person_id,omitempty"`
	Offence        string    `json:"offence,omitempty"`
	Court          string    `json:"court,omitempty"`
	Date           string    `json:"date,omitempty"`
	Sentence       string    `json:"sentence,omitempty"`
	SentenceLength string    `json:"sentence_length,omitempty"`
	RecordedAt     time.Time `json:"recorded_at"`
	RecordedBy     string    `json:"recorded_by"`
}

type conditionView struct {
	Recipient   string     `json:"recipient"`
	Condition   string     `json:"condition"`
	Reason      string     `json:"reason"`
	At          time.Time  `json:"at"`
	By          string     `json:"by"`
	PersonID    string     `json:"person_id,omitempty"`
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
	WithdrawnBy string     `json:"withdrawn_by,omitempty"`
}

type asbReviewView struct {
	TriggeredAt time.Time `json:"triggered_at"`
	Count       int       `json:"count"`
	Threshold   int       `json:"threshold"`
	Within      string    `json:"within"`
	MatchedOn   string    `json:"matched_on"`
}

type retentionView struct {
	Due         string `json:"due,omitempty"`
	Rule        string `json:"rule,omitempty"`
	Computation string `json:"computation,omitempty"`
}

type legalHoldView struct {
	Reason string    `json:"reason"`
	SetAt  time.Time `json:"set_at"`
	SetBy  string    `json:"set_by"`
}

func viewOf(c *domain.Investigation) view {
	v := view{ID: c.ID, Reference: c.Reference, Area: c.Area, Scope: c.Scope, HateCrime: c.HateCrime, Status: string(c.Status),
		Channel: c.Channel, ReceivedAt: c.ReceivedAt, CreatedBy: c.CreatedBy, Assigned: c.Assigned,
		People: mapped(c.People, func(p domain.Person) personView {
			return personView{ID: p.ID, Role: string(p.Role), Name: p.Name, Address: p.Address, Town: p.Town, Phone: p.Phone,
				Email: p.Email, ProofOfIdentity: p.ProofOfIdentity, VehicleRegistration: p.VehicleRegistration, DateOfBirth: p.DateOfBirth}
		}),
		Matter: matterView(c.Matter),
		Evidence: mapped(c.Evidence, func(e domain.EvidenceItem) evidenceView {
			return evidenceView{ID: e.ID, Kind: string(e.Kind), Description: e.Description, StorageRef: e.StorageRef, PersonID: e.PersonID,
				CapturedAt: e.CapturedAt, UsedAsEvidence: e.UsedAsEvidence, AddedAt: e.AddedAt, Retention: retentionView(e.Retention), ErasedAt: e.ErasedAt}
		}),
		Special: mapped(c.Special, func(s domain.SpecialItem) specialView { return specialView(s) }),
		Emails: mapped(c.Emails, func(m domain.Email) emailView {
			return emailView{ID: m.ID, From: m.From, Subject: m.Subject, Body: m.Body, ReceivedAt: m.ReceivedAt,
				Retention: retentionView(m.Retention), ErasedAt: m.ErasedAt}
		}),
		Actions:    mapped(c.Actions, func(a domain.EnforcementAction) actionView { return actionView(a) }),
		Conditions: mapped(c.Conditions, func(k domain.RecordedCondition) conditionView { return conditionView(k) }),
		ClosedAt:   c.ClosedAt, ClosedReason: c.ClosedReason, Retention: retentionView(c.Retention), ErasedAt: c.ErasedAt,
		NeedToKnow: c.NeedToKnow(), AllowedActions: make([]string, 0),
	}
	if o := c.Outcome; o != nil {
		v.Outcome = &outcomeView{Kind: string(o.Kind), PersonID: o.PersonID, Offence: o.Offence, Court: o.Court, Date: o.Date,
			Sentence: o.Sentence, SentenceLength: o.SentenceLength, RecordedAt: o.RecordedAt, RecordedBy: o.RecordedBy}
	}
	if r := c.ASBReview; r != nil {
		v.ASBReview = &asbReviewView{TriggeredAt: r.TriggeredAt, Count: r.Count, Threshold: r.Threshold, Within: r.Within, MatchedOn: r.MatchedOn}
	}
	if h := c.LegalHold; h != nil {
		v.LegalHold = &legalHoldView{Reason: h.Reason, SetAt: h.SetAt, SetBy: h.SetBy}
	}
	for _, a := range c.AllowedActions() {
		v.AllowedActions = append(v.AllowedActions, string(a))
	}
	return v
}

// mapped converts each item; nil stays nil, as the API showed it before.
func mapped[T, V any](items []T, convert func(T) V) []V {
	if items == nil {
		return nil
	}
	out := make([]V, len(items))
	for i, item := range items {
		out[i] = convert(item)
	}
	return out
}

type personBody struct {
	Role                string `json:"role"`
	Name                string `json:"name"`
	Address             string `json:"address"`
	Town                string `json:"town"`
	Phone               string `json:"phone"`
	Email               string `json:"email"`
	ProofOfIdentity     string `json:"proof_of_identity"`
	VehicleRegistration string `json:"vehicle_registration"`
	DateOfBirth         string `json:"date_of_birth"`
}

func (p personBody) domain() domain.Person {
	return domain.Person{Role: domain.Role(p.Role), Name: p.Name, Address: p.Address, Town: p.Town, Phone: p.Phone,
		Email: p.Email, ProofOfIdentity: p.ProofOfIdentity, VehicleRegistration: p.VehicleRegistration, DateOfBirth: p.DateOfBirth}
}

type evidenceBody struct {
	Kind           string    `json:"kind"`
	Description    string    `json:"description"`
	StorageRef     string    `json:"storage_ref"`
	PersonIndex    *int      `json:"person_index"` // at creation: the index in people
	PersonID       string    `json:"person_id"`
	CapturedAt     time.Time `json:"captured_at"`
	UsedAsEvidence bool      `json:"used_as_evidence"`
}

func (e evidenceBody) domain() domain.EvidenceItem {
	return domain.EvidenceItem{Kind: domain.EvidenceKind(e.Kind), Description: e.Description, StorageRef: e.StorageRef,
		PersonID: e.PersonID, CapturedAt: e.CapturedAt.UTC().Truncate(time.Microsecond), UsedAsEvidence: e.UsedAsEvidence}
}

type specialBody struct {
	Category    string `json:"category"`
	Details     string `json:"details"`
	PersonIndex *int   `json:"person_index"`
	PersonID    string `json:"person_id"`
}

type emailBody struct {
	From       string    `json:"from"`
	Subject    string    `json:"subject"`
	Body       string    `json:"body"`
	ReceivedAt time.Time `json:"received_at"`
}

func (m emailBody) domain() domain.Email {
	return domain.Email{From: m.From, Subject: m.Subject, Body: m.Body, ReceivedAt: m.ReceivedAt.UTC().Truncate(time.Microsecond)}
}

type matterBody struct {
	Summary   string   `json:"summary"`
	Locations []string `json:"locations"`
	Dates     []string `json:"dates"`
	Times     []string `json:"times"`
}

type openBody struct {
	Area       string         `json:"area"`
	Scope      string         `json:"scope"`
	HateCrime  bool           `json:"hate_crime"`
	Channel    string         `json:"channel"`
	ReceivedAt *time.Time     `json:"received_at"`
	People     []personBody   `json:"people"`
	Matter     matterBody     `json:"matter"`
	Evidence   []evidenceBody `json:"evidence"`
	Special    []specialBody  `json:"special_category_data"`
	Emails     []emailBody    `json:"emails"`
	Assigned   []string       `json:"assigned_officers"`
}

type actionBody struct {
	Kind     string `json:"kind"`
	Notes    string `json:"notes"`
	PersonID string `json:"person_id"`
	ComplyBy string `json:"comply_by"`
}

type outcomeBody struct {
	Outcome        string `json:"outcome"`
	PersonID       string `json:"person_id"`
	Offence        string `json:"offence"`
	Court          string `json:"court"`
	Date           string `json:"date"`
	Sentence       string `json:"sentence"`
	SentenceLength string `json:"sentence_length"`
}

type reasonBody struct {
	Reason string `json:"reason"`
}

type conditionBody struct {
	Recipient string `json:"recipient"`
	Condition string `json:"condition"`
	Reason    string `json:"reason"`
	PersonID  string `json:"person_id"`
}

type referralBody struct {
	Recipient  string   `json:"recipient"`
	Purpose    string   `json:"purpose"`
	Categories []string `json:"categories"`
	PersonID   string   `json:"person_id"`
}

type assignBody struct {
	Officer string `json:"officer"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
