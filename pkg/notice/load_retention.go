package notice

import (
	"fmt"
	"strings"
)

func (v *validator) retention(n *Notice, raw rawNotice) {
	facts := map[string]bool{}
	for i, f := range raw.RetentionFacts {
		p := fmt.Sprintf("retention_facts[%d]", i)
		if !v.id(p, f) {
			continue
		}
		if facts[f] {
			v.add(p, "duplicate fact %q", f)
		}
		facts[f] = true
		n.RetentionFacts = append(n.RetentionFacts, f)
	}
	ids := map[string]bool{}
	ruleFor := map[string]string{} // applies_to + "|" + when -> rule id
	for i, r := range raw.Retention {
		path := fmt.Sprintf("retention[%d]", i)
		if v.id(path+".id", r.ID) {
			if ids[r.ID] {
				v.add(path+".id", "duplicate id %q", r.ID)
			}
			ids[r.ID] = true
		}
		rule := RetentionRule{ID: r.ID, AppliesTo: r.AppliesTo, Keep: r.Keep, From: r.From, When: r.When, Unless: r.Unless, ThenFrom: r.ThenFrom, Words: r.Words}
		switch {
		case r.AppliesTo == "":
			v.add(path+".applies_to", "is missing; name the category, scope or case type this rule keeps")
		case !n.retainable(r.AppliesTo):
			v.add(path+".applies_to", "unknown category, scope or case type %q", r.AppliesTo)
		}
		v.keep(path, r, &rule)
		v.trigger(path+".from", r.From, true)
		if r.When != "" && !facts[r.When] {
			v.add(path+".when", "unknown fact %q; declare it under retention_facts", r.When)
		}
		if r.Unless != "" && !facts[r.Unless] {
			v.add(path+".unless", "unknown fact %q; declare it under retention_facts", r.Unless)
		}
		switch {
		case r.Unless != "" && r.Then == "":
			v.add(path+".then", "is missing; unless needs a then period")
		case r.Unless == "" && r.Then != "":
			v.add(path+".then", "is given without unless")
		case r.Then != "":
			p, err := ParsePeriod(r.Then)
			if err != nil {
				v.add(path+".then", "%v", err)
			}
			rule.Then = p
		}
		if r.ThenFrom != "" {
			if r.Then == "" {
				v.add(path+".then_from", "is given without then")
			}
			v.trigger(path+".then_from", r.ThenFrom, false)
		}
		key := r.AppliesTo + "|" + r.When
		if prev, dup := ruleFor[key]; dup && r.AppliesTo != "" {
			v.add(path, "rule %q keeps %s %s as rule %q already does; merge them", r.ID, r.AppliesTo, whenWords(r.When), prev)
		}
		ruleFor[key] = r.ID
		n.Retention = append(n.Retention, rule)
	}
}

func (v *validator) keep(path string, r rawRetention, rule *RetentionRule) {
	if r.Keep == "" {
		v.add(path+".keep", "is missing; give a period such as 6y, 30d or max(sentence, 7y)")
		return
	}
	floor, isMax, err := parseMaxSentence(r.Keep)
	if isMax {
		if err != nil {
			v.add(path+".keep", "%v", err)
		}
		rule.Period, rule.MaxWithSentence = floor, true
		return
	}
	p, err := ParsePeriod(r.Keep)
	if err != nil {
		v.add(path+".keep", "%v", err)
	}
	rule.Period = p
}

func (v *validator) trigger(path, t string, required bool) {
	if t == "" {
		if required {
			v.add(path, "is missing; say what the period runs from (%s)", sortedKeys(triggerWords))
		}
		return
	}
	if _, ok := triggerWords[t]; !ok {
		v.add(path, "unknown trigger %q; use one of %s", t, sortedKeys(triggerWords))
	}
}

func whenWords(when string) string {
	if when == "" {
		return "by default"
	}
	return "when " + when
}

// retainable reports whether a retention rule may apply to id.
func (n *Notice) retainable(id string) bool {
	if id == "case" {
		return true
	}
	_, cat := n.categories[id]
	_, scope := n.scopes[id]
	_, ct := n.caseTypes[id]
	return cat || scope || ct
}

func (v *validator) rights(n *Notice, raw rawNotice) {
	if len(raw.Rights) == 0 {
		v.add("rights", "is missing; list the rights that apply")
	}
	seen := map[string]bool{}
	for i, r := range raw.Rights {
		p := fmt.Sprintf("rights[%d]", i)
		switch {
		case !contains(rightIDs, r.ID):
			v.add(p+".id", "unknown right %q; use one of %v", r.ID, rightIDs)
		case seen[r.ID]:
			v.add(p+".id", "duplicate right %q", r.ID)
		}
		seen[r.ID] = true
		v.required(p+".words", r.Words)
		v.rightBases(n, p+".id", r.ID)
		n.Rights = append(n.Rights, Right(r))
	}
	seen = map[string]bool{}
	for i, r := range raw.ErasureMayBeRefusedFor {
		p := fmt.Sprintf("erasure_may_be_refused_for[%d]", i)
		if v.id(p+".id", r.ID) && seen[r.ID] {
			v.add(p+".id", "duplicate reason %q", r.ID)
		}
		seen[r.ID] = true
		v.required(p+".words", r.Words)
		n.ErasureMayBeRefusedFor = append(n.ErasureMayBeRefusedFor, Reason(r))
	}
}

// rightBases refuses a right the lawful bases of the notice's purposes exclude: data
// portability needs a purpose on consent or contract, the right to object one on public
// task or legitimate interests, or one of direct marketing (Art 21(2), whatever its basis).
func (v *validator) rightBases(n *Notice, path, right string) {
	rule, bound := basisBoundRights[right]
	if !bound {
		return
	}
	var have []string
	for _, p := range n.Purposes {
		if contains(rule.bases, p.Basis) || right == "objection" && p.DirectMarketing {
			return
		}
		if _, known := lawfulBases[p.Basis]; known && !contains(have, p.Basis) {
			have = append(have, p.Basis)
		}
	}
	need := make([]string, len(rule.bases))
	for i, b := range rule.bases {
		need[i] = lawfulBases[b]
	}
	marketing := ""
	if right == "objection" {
		marketing = " or is direct marketing (UK GDPR Article 21(2))"
	}
	v.add(path, "right %q cannot be offered: %s applies only to processing on %s, and no purpose of this notice rests on %s%s (its bases: %s); remove the right or add the purpose it applies to",
		right, rule.law, strings.Join(need, " or "), strings.Join(rule.bases, " or "), marketing, strings.Join(have, ", "))
}
