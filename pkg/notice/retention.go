package notice

import (
	"fmt"
	"strings"
)

// RetentionRule is one retention rule as the notice states it.
type RetentionRule struct {
	ID        string
	AppliesTo string // a category, scope or case type id, or "case"
	Keep      string // as written, e.g. "6y" or "max(sentence, 7y)"
	// Period is the period kept, or for max(sentence, P) the floor P.
	Period          Period
	MaxWithSentence bool
	From            string // trigger: receipt, closure, end_of_service, end_of_sentence, capture
	When            string // the rule applies only when this fact holds
	Unless          string // when this fact holds, Then replaces Period
	Then            Period
	ThenFrom        string // trigger for Then; empty means From
	Words           string
}

// RetentionFacts are what the service knows about the record.
type RetentionFacts struct {
	// Facts that hold, e.g. "used_as_evidence", "conviction"; each must be
	// declared under retention_facts in the notice.
	Facts []string
	// Sentence is the length of the sentence, needed by max(sentence, P).
	Sentence Period
}

// RetentionPeriod is the answer: keep for Period from the Trigger event.
type RetentionPeriod struct {
	Period
	Trigger     string
	AppliesTo   string
	RuleID      string
	Rule        string // the rule in the notice's words
	Computation string // how the period was reached, for the record
}

// RetentionFor finds the rule for appliesTo given the facts and works out
// the period. A rule with a `when` that holds beats the default rule.
func (n *Notice) RetentionFor(appliesTo string, facts RetentionFacts) (RetentionPeriod, error) {
	holds := map[string]bool{}
	for _, f := range facts.Facts {
		if !contains(n.RetentionFacts, f) {
			return RetentionPeriod{}, fmt.Errorf("retention fact %q is not declared in the %s notice", f, n.Service)
		}
		holds[f] = true
	}
	var defaults, specific []RetentionRule
	for _, r := range n.Retention {
		switch {
		case r.AppliesTo != appliesTo:
		case r.When == "":
			defaults = append(defaults, r)
		case holds[r.When]:
			specific = append(specific, r)
		}
	}
	var rule RetentionRule
	switch {
	case len(specific) > 1:
		return RetentionPeriod{}, fmt.Errorf("retention for %q is ambiguous: rules %q and %q both apply", appliesTo, specific[0].ID, specific[1].ID)
	case len(specific) == 1:
		rule = specific[0]
	case len(defaults) == 1:
		rule = defaults[0]
	case !n.retainable(appliesTo):
		return RetentionPeriod{}, fmt.Errorf("%q is not a category, scope or case type of the %s notice", appliesTo, n.Service)
	default:
		return RetentionPeriod{}, fmt.Errorf("the %s notice has no retention rule for %q with facts %v", n.Service, appliesTo, facts.Facts)
	}

	out := RetentionPeriod{Period: rule.Period, Trigger: rule.From, AppliesTo: appliesTo, RuleID: rule.ID, Rule: n.ruleWords(rule)}
	out.Computation = fmt.Sprintf("%s from %s (rule %s)", rule.Period, rule.From, rule.ID)
	if rule.MaxWithSentence {
		if facts.Sentence.IsZero() {
			return RetentionPeriod{}, fmt.Errorf("rule %q keeps %s for %s, which needs the length of the sentence", rule.ID, appliesTo, rule.Keep)
		}
		out.Period = longer(facts.Sentence, rule.Period)
		out.Computation = fmt.Sprintf("longer of sentence %s and %s = %s from %s (rule %s)", facts.Sentence, rule.Period, out.Period, rule.From, rule.ID)
	}
	if rule.Unless != "" && holds[rule.Unless] {
		from := rule.From
		if rule.ThenFrom != "" {
			from = rule.ThenFrom
		}
		out.Computation = fmt.Sprintf("%s holds, so %s from %s instead of %s (rule %s)", rule.Unless, rule.Then, from, rule.Keep, rule.ID)
		out.Period, out.Trigger = rule.Then, from
	}
	return out, nil
}

// ruleWords returns the notice's words for a rule, or describes it.
func (n *Notice) ruleWords(r RetentionRule) string {
	if r.Words != "" {
		return r.Words
	}
	what := upperFirst(n.labelOf(r.AppliesTo))
	if r.When != "" {
		what += " (when " + strings.ReplaceAll(r.When, "_", " ") + ")"
	}
	return what + ": kept for " + r.summary() + "."
}

// summary describes a rule's periods and triggers in words.
func (r RetentionRule) summary() string {
	s := r.Period.Words() + " " + triggerWords[r.From]
	if r.MaxWithSentence {
		s = "the length of the sentence or " + r.Period.Words() + ", whichever is longer, " + triggerWords[r.From]
	}
	if r.Unless != "" {
		from := r.From
		if r.ThenFrom != "" {
			from = r.ThenFrom
		}
		s += fmt.Sprintf("; if %s, %s %s", strings.ReplaceAll(r.Unless, "_", " "), r.Then.Words(), triggerWords[from])
	}
	return s
}

// labelOf returns the words for a category, scope or case type id.
func (n *Notice) labelOf(id string) string {
	if c, ok := n.categories[id]; ok {
		return c.Label
	}
	if l, ok := n.scopes[id]; ok {
		return l + " records"
	}
	if l, ok := n.caseTypes[id]; ok {
		return l + " cases"
	}
	if id == "case" {
		return "the case file"
	}
	return id
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
