package notice

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Notice is a validated privacy notice. It is read-only after Load, so one
// value may serve concurrent requests.
type Notice struct {
	Service              string
	Title                string
	Version              string
	Controller           Controller
	SupervisoryAuthority Contact
	CollectedFrom        []string
	Purposes             []Purpose  // in file order
	Categories           []Category // in file order
	CaseTypes            []Label
	Scopes               []Label
	Occasions            []Occasion  // events on which the service itself sends data
	Facts                []Label     // case facts that hold data back (Recipient.Withhold)
	People               []Label     // the parts people play in a case: reporter, witness...
	Recipients           []Recipient // in file order
	RetentionFacts       []string
	Retention            []RetentionRule
	Rights               []Right
	// ErasureMayBeRefusedFor lists the lawful reasons on which an erasure
	// request may be refused; the reason used must be recorded.
	ErasureMayBeRefusedFor []Reason
	// Statistics is nil when the notice says nothing about publishing them.
	Statistics *StatisticsRule
	Notes      []string

	conditionWords map[string]string
	purposes       map[string]*Purpose
	categories     map[string]*Category
	caseTypes      map[string]string
	scopes         map[string]string
	recipients     map[string]*Recipient
	fieldCategory  map[string]string
	occasions      map[string]*Occasion
	facts          map[string]string
	people         map[string]string
	identifiedBy   map[string]string // person id: the category that identifies them
	refusals       *refusalCounter
}

// Controller is the organisation responsible for the data.
type Controller struct {
	Name            string
	Address         string
	Phone           string
	ICORegistration string
	DPO             Contact
}

// Contact is a person or office one can write to.
type Contact struct {
	Name, Address, Phone, Email, Website string
}

// Purpose is one reason the data is processed, with its lawful basis.
type Purpose struct {
	ID          string
	Label       string // short, reads after "for": "handling your complaint"
	Basis       string // UK GDPR Art 6 basis id, e.g. public_task
	Legislation []string
	Words       string
	OnlyOn      string // an occasion: data goes for this purpose on it alone
	// Lasts is how long the data is used for the purpose each time it is, at most (an
	// entry stays on a website for 1 month); zero when the notice sets no such limit.
	Lasts Period
	// DirectMarketing: the purpose is telling people about services, which anyone may
	// object to at any time, whatever its lawful basis (UK GDPR Art 21(2)-(3)).
	DirectMarketing bool
}

// Category is one kind of data collected.
type Category struct {
	ID     string
	Kind   string // identity, contact, ordinary, evidence, special, criminal_offence
	Label  string
	Fields []string // the case fields that hold this category
	// Identifies lists the people (notice People) whose identity this category
	// is: data about them, and what they supplied, goes only with it.
	Identifies []string
}

// Special reports whether the category needs its own recorded condition.
func (c Category) Special() bool { return IsSpecialKind(c.Kind) }

// Label is an id with words, used for case types and scopes.
type Label struct {
	ID    string
	Label string
}

// Recipient is an organisation the notice names as one that may receive data.
type Recipient struct {
	ID          string
	Name        string
	Description string
	Rules       []Grant
	// OnlyAbout limits the recipient to data about these people (notice
	// People); empty: about anyone in the case.
	OnlyAbout []string
	Withhold  []Withholding
}

// SharesOn says whether any rule gives this recipient data on the condition, as its own
// condition or as the extra one for special categories. A condition recorded for a
// recipient that receives nothing on it would mislead: consent is not asked for where
// another lawful basis applies, and it serves no decision.
func (r Recipient) SharesOn(condition string) bool {
	for _, g := range r.Rules {
		if g.Condition == condition || g.SpecialCondition == condition {
			return true
		}
	}
	return false
}

// Unrecordable is why a condition may not be recorded for recipient r: none of its rules
// shares on it ("" when one does). Its words name the notice, the recipient and the
// condition as a person reads it ("explicit consent").
func (n *Notice) Unrecordable(r Recipient, condition string) string {
	if r.SharesOn(condition) {
		return ""
	}
	words := strings.ReplaceAll(condition, "_", " ")
	return fmt.Sprintf("the %s notice shares nothing with %s on %s, so there is no %s to record", n.Service, r.Name, words, words)
}

// Withholding holds categories back from a recipient, whatever its grants say,
// when a fact is recorded on the case.
type Withholding struct {
	When       string   // a notice fact
	Categories []string // held back
	Refusal    string   // reads after "Nothing may be shared with <recipient>: "
	Words      string   // a sentence added to a decision that held something back
}

// Occasion is an event on which the service itself sends data.
type Occasion struct {
	ID      string
	Label   string // reads after "only": "when a conviction is recorded"
	Refusal string // the reason given when data limited to it is asked for otherwise
}

// Grant is one permission: for these purposes, case types and scopes, on this
// condition, these categories may go.
type Grant struct {
	Purposes         []string
	CaseTypes        []string // empty: every case type
	Scopes           []string // empty: every scope
	Categories       []string
	Condition        string
	RecordRequired   bool   // a standing condition that must still be recorded per case
	SpecialCondition string // needed, and recorded, for special and criminal offence categories
	OnlyOn           string // an occasion: the grant applies on it alone
}

// Right is a data subject right that applies to this service.
type Right struct {
	ID    string
	Words string
}

// Offers reports whether the notice lists right (an id of the rights vocabulary) among the
// rights that apply to the service's data. A right the purposes' lawful bases exclude
// (portability without consent or contract, objection without public task or legitimate
// interests) never loads, so it is never offered.
func (n *Notice) Offers(right string) bool {
	for _, r := range n.Rights {
		if r.ID == right {
			return true
		}
	}
	return false
}

// ObjectionToMarketingOnly reports whether the right to object reaches only the notice's
// direct marketing (UK GDPR Art 21(2)): no purpose rests on public task or legitimate
// interests (Art 21(1)). An objection then ends the marketing and restricts nothing.
func (n *Notice) ObjectionToMarketingOnly() bool {
	marketing := false
	for _, p := range n.Purposes {
		if p.Basis == "public_task" || p.Basis == "legitimate_interests" {
			return false
		}
		marketing = marketing || p.DirectMarketing
	}
	return marketing
}

// MarketingRecipients lists the recipients that receive data only for direct marketing:
// an objection to it ends what they receive (UK GDPR Art 21(3)).
func (n *Notice) MarketingRecipients() []string {
	var out []string
	for _, r := range n.Recipients {
		only := len(r.Rules) > 0
		for _, g := range r.Rules {
			for _, p := range g.Purposes {
				only = only && n.purposes[p] != nil && n.purposes[p].DirectMarketing
			}
		}
		if only {
			out = append(out, r.ID)
		}
	}
	return out
}

// Reason is a lawful reason for refusing erasure.
type Reason struct {
	ID    string
	Words string
}

// StatisticsRule says how statistics drawn from the service may be published.
type StatisticsRule struct {
	AnonymousOnly bool
	// SuppressBelow: a count smaller than this must not be published.
	SuppressBelow int
	Words         string
}

// Suppressed reports whether a count must be withheld from publication.
func (s StatisticsRule) Suppressed(count int) bool { return count < s.SuppressBelow }

// Load decodes and validates a notice. The error, if any, is a
// *ValidationError listing every problem with its key path and line.
func Load(data []byte, opts ...Option) (*Notice, error) { return load("notice", data, opts) }

// LoadFile reads and validates the notice at path; errors name the file.
func LoadFile(path string, opts ...Option) (*Notice, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read notice: %w", err)
	}
	return load(filepath.Base(path), data, opts)
}

// RecipientIDs are the ids of the recipients the notice names, in file order.
func (n *Notice) RecipientIDs() []string {
	ids := make([]string, len(n.Recipients))
	for i, r := range n.Recipients {
		ids[i] = r.ID
	}
	return ids
}

// Recipient returns the recipient with this id.
func (n *Notice) Recipient(id string) (Recipient, bool) {
	r, ok := n.recipients[id]
	if !ok {
		return Recipient{}, false
	}
	return *r, true
}

// Category returns the category with this id.
func (n *Notice) Category(id string) (Category, bool) {
	c, ok := n.categories[id]
	if !ok {
		return Category{}, false
	}
	return *c, true
}

// Purpose returns the purpose with this id.
func (n *Notice) Purpose(id string) (Purpose, bool) {
	p, ok := n.purposes[id]
	if !ok {
		return Purpose{}, false
	}
	return *p, true
}

// CategoryOfField returns the category that covers a case field.
func (n *Notice) CategoryOfField(field string) (string, bool) {
	c, ok := n.fieldCategory[field]
	return c, ok
}

// ConditionWords returns the words the notice uses for a sharing condition.
func (n *Notice) ConditionWords(condition string) string {
	if w, ok := n.conditionWords[condition]; ok {
		return w
	}
	return condition
}
