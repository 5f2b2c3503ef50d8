package notice

import "fmt"

func (v *validator) recipients(n *Notice, raw map[string]rawRecipient) {
	for _, id := range orderedKeys(v.idx, "recipients", raw) {
		r, path := raw[id], "recipients."+id
		v.id(path, id)
		v.required(path+".name", r.Name)
		if len(r.Rules) == 0 {
			v.add(path+".rules", "is missing; a recipient needs at least one rule saying what it may receive")
		}
		rec := Recipient{ID: id, Name: r.Name, Description: r.Description, OnlyAbout: r.OnlyAbout}
		for i, g := range r.Rules {
			rec.Rules = append(rec.Rules, v.grant(n, fmt.Sprintf("%s.rules[%d]", path, i), g))
		}
		for i, p := range r.OnlyAbout {
			if _, ok := n.people[p]; !ok {
				v.add(fmt.Sprintf("%s.only_about[%d]", path, i), "unknown person %q; it is not under people", p)
			}
		}
		for i, w := range r.Withhold {
			rec.Withhold = append(rec.Withhold, v.withholding(n, fmt.Sprintf("%s.withhold[%d]", path, i), w))
		}
		n.Recipients = append(n.Recipients, rec)
	}
	for i := range n.Recipients {
		n.recipients[n.Recipients[i].ID] = &n.Recipients[i]
	}
}

func (v *validator) withholding(n *Notice, path string, w rawWithhold) Withholding {
	if _, ok := n.facts[w.When]; !ok {
		v.add(path+".when", "unknown fact %q; it is not under facts", w.When)
	}
	if len(w.Categories) == 0 {
		v.add(path+".categories", "is missing; say which categories are held back")
	}
	for i, c := range w.Categories {
		if _, ok := n.categories[c]; !ok {
			v.add(fmt.Sprintf("%s.categories[%d]", path, i), "unknown category %q; it is not under categories", c)
		}
	}
	v.required(path+".refusal", w.Refusal)
	v.required(path+".words", w.Words)
	return Withholding{When: w.When, Categories: w.Categories, Refusal: w.Refusal, Words: w.Words}
}

func (v *validator) grant(n *Notice, path string, g rawGrant) Grant {
	if len(g.Purposes) == 0 {
		v.add(path+".purposes", "is missing; say which purposes this rule serves")
	}
	for i, p := range g.Purposes {
		if _, ok := n.purposes[p]; !ok {
			v.add(fmt.Sprintf("%s.purposes[%d]", path, i), "unknown purpose %q; it is not under purposes", p)
		}
	}
	for i, c := range g.CaseTypes {
		if _, ok := n.caseTypes[c]; !ok {
			v.add(fmt.Sprintf("%s.case_types[%d]", path, i), "unknown case type %q; it is not under case_types", c)
		}
	}
	for i, s := range g.Scopes {
		if _, ok := n.scopes[s]; !ok {
			v.add(fmt.Sprintf("%s.scopes[%d]", path, i), "unknown scope %q; it is not under scopes", s)
		}
	}
	v.grantOccasion(n, path, g)
	if len(g.Categories) == 0 {
		v.add(path+".categories", "is missing; say which categories of data this rule lets go")
	}
	special, art9, seen := false, false, map[string]bool{}
	for i, c := range g.Categories {
		cp := fmt.Sprintf("%s.categories[%d]", path, i)
		cat, ok := n.categories[c]
		switch {
		case !ok:
			v.add(cp, "unknown category %q; it is not under categories", c)
		case seen[c]:
			v.add(cp, "category %q is listed twice", c)
		case cat.Special():
			special = true
			art9 = art9 || cat.Kind != KindCriminalOffence
		}
		seen[c] = true
	}
	switch {
	case g.Condition == "":
		v.add(path+".condition", "is missing; say on what condition this recipient may receive the data")
	case !knownCondition(g.Condition):
		v.add(path+".condition", "unknown condition %q; use one of %s", g.Condition, sortedKeys(defaultConditionWords))
	}
	switch {
	case special && g.SpecialCondition == "":
		v.add(path+".special_condition", "is missing; the rule grants special category or criminal offence data, which needs its own condition")
	case !special && g.SpecialCondition != "":
		v.add(path+".special_condition", "is given but the rule grants no special category or criminal offence data")
	case special && !knownCondition(g.SpecialCondition):
		v.add(path+".special_condition", "unknown condition %q; use one of %s", g.SpecialCondition, sortedKeys(defaultConditionWords))
	case special && !specialConditions[g.SpecialCondition]:
		v.add(path+".special_condition", "%q is no condition for special category or criminal offence data (UK GDPR Articles 9(2) and 10); use one of %s",
			g.SpecialCondition, sortedKeys(specialConditions))
	case art9 && g.SpecialCondition == "public_task":
		v.add(path+".special_condition", "the official authority (public_task) is a condition for criminal offence data alone (UK GDPR Article 10); "+
			"the special categories the rule grants need one of Article 9(2): explicit_consent, vital_interests or recorded_necessity")
	}
	return Grant{
		Purposes: g.Purposes, CaseTypes: g.CaseTypes, Scopes: g.Scopes, Categories: g.Categories,
		Condition: g.Condition, RecordRequired: g.RecordRequired, SpecialCondition: g.SpecialCondition, OnlyOn: g.OnlyOn,
	}
}

// grantOccasion checks that a rule is limited to one occasion at most, whether
// it says so itself or its purposes do, so it can be stated in one sentence.
func (v *validator) grantOccasion(n *Notice, path string, g rawGrant) {
	v.occasion(n, path+".only_on", g.OnlyOn)
	first := ""
	for i, p := range g.Purposes {
		purpose, ok := n.purposes[p]
		if !ok {
			continue
		}
		if i == 0 {
			first = purpose.OnlyOn
		} else if purpose.OnlyOn != first {
			v.add(fmt.Sprintf("%s.purposes[%d]", path, i), "purpose %q is not limited to the same occasion as %q; give it a rule of its own", p, g.Purposes[0])
		}
	}
	if g.OnlyOn != "" && first != "" && g.OnlyOn != first {
		v.add(path+".only_on", "the rule's purposes go only on %q, so it could never apply on %q", first, g.OnlyOn)
	}
}

func knownCondition(c string) bool {
	_, ok := defaultConditionWords[c]
	return ok
}
