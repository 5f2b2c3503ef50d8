package ports

import (
	"time"

	"casework.dev/services/investigations/internal/domain"
)

// view is a case as the API shows it to those who may read it.
type view struct {
	*domain.Investigation
	NeedToKnow     bool     `json:"need_to_know"`
	AllowedActions []string `json:"allowed_actions"`
}

func viewOf(c *domain.Investigation) view {
	actions := make([]string, 0)
	for _, a := range c.AllowedActions() {
		actions = append(actions, string(a))
	}
	return view{Investigation: c, NeedToKnow: c.NeedToKnow(), AllowedActions: actions}
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
	Kind  string `json:"kind"`
	Notes string `json:"notes"`
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
}

type referralBody struct {
	Recipient  string   `json:"recipient"`
	Purpose    string   `json:"purpose"`
	Categories []string `json:"categories"`
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
