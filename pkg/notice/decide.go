package notice

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Request asks whether data may go to a recipient.
type Request struct {
	Recipient string
	Purpose   string
	CaseType  string // empty when the service has no case types
	Scope     string // e.g. a complaint stage; empty when the service has no scopes
	// Recorded lists the conditions the case records that may serve this
	// recipient: those recorded for it by name (e.g. "consent") and those
	// recorded for the case as a whole (e.g. "complainant_request" once the
	// complainant asked for the referral). Which recipients a condition serves
	// is the notice's to say, never the caller's.
	Recorded []string
	// Facts recorded on the case (notice facts, e.g. "anonymity_requested"); a
	// recipient's withholding rules turn on them. Unknown facts are ignored.
	Facts []string
	// Occasion is the notice occasion the data would go on (e.g. "conviction");
	// empty for an officer's request.
	Occasion string
	// Categories requested; empty means everything the grants allow.
	Categories []string
}

// Decision is the answer, ready to be written to the disclosure log.
type Decision struct {
	Allowed   bool
	Recipient string
	Purpose   string
	// Condition the data goes on; when categories go under grants with
	// different conditions they are joined with "+".
	Condition string
	// SpecialConditions recorded that released special category or criminal
	// offence data, sorted.
	SpecialConditions []string
	Categories        []string // sorted: what may go
	Withheld          []string // sorted: requested (or implied) but not allowed
	// People lists, sorted, the people (notice People) whose data may go: those
	// the recipient may hear about whose identifying category, if any, is
	// allowed. Data about anyone else, and what they supplied, stays. Nil when
	// the notice names no people.
	People        []string
	Reason        string
	NoticeVersion string
	// Rule is set when the refusal is about the occasion, not the data: the data
	// goes only on another occasion. It reads "<recipient or purpose>_via_<occasion>".
	Rule string
	// Refusal is why the data may not go, as a code (Reason says it in words);
	// empty when Allowed.
	Refusal RefusalReason
}

// Decide answers a Request; see the package documentation for the order in
// which the rules are applied. A refusal is counted in
// casework_disclosures_refused_total.
func (n *Notice) Decide(r Request) Decision {
	d := n.decide(r)
	if !d.Allowed {
		n.refusals.count(n, d)
	}
	return d
}

func (n *Notice) decide(r Request) Decision {
	d := Decision{Recipient: r.Recipient, Purpose: r.Purpose, NoticeVersion: n.Version}
	refuse := func(why RefusalReason, format string, args ...any) Decision {
		d.Withheld = uniqueSorted(r.Categories)
		d.Refusal = why
		d.Reason = fmt.Sprintf(format, args...)
		return d
	}
	rec, ok := n.recipients[r.Recipient]
	if !ok {
		return refuse(RefusedNotARecipient, "%q is not a recipient named in the %s notice (version %s); nothing may be shared with it.", r.Recipient, n.Service, n.Version)
	}
	purpose, ok := n.purposes[r.Purpose]
	if !ok {
		return refuse(RefusedUnknownPurpose, "%q is not a purpose of the %s notice; nothing may be shared with %s for it.", r.Purpose, n.Service, rec.Name)
	}
	if _, ok := n.caseTypes[r.CaseType]; r.CaseType != "" && !ok {
		return refuse(RefusedUnknownCaseType, "%q is not a case type of the %s notice; nothing may be shared with %s for it.", r.CaseType, n.Service, rec.Name)
	}
	if _, ok := n.scopes[r.Scope]; r.Scope != "" && !ok {
		return refuse(RefusedUnknownScope, "%q is not a scope of the %s notice; nothing may be shared with %s for it.", r.Scope, n.Service, rec.Name)
	}
	if _, ok := n.occasions[r.Occasion]; r.Occasion != "" && !ok {
		return refuse(RefusedUnknownOccasion, "%q is not an occasion of the %s notice; nothing may be shared with %s on it.", r.Occasion, n.Service, rec.Name)
	}
	if purpose.OnlyOn != "" && purpose.OnlyOn != r.Occasion {
		d.Rule = purpose.ID + "_via_" + purpose.OnlyOn
		return refuse(RefusedOtherOccasion, "%s", n.occasions[purpose.OnlyOn].Refusal)
	}

	var forPurpose, covered, scoped, satisfied []Grant
	for _, g := range rec.Rules {
		if contains(g.Purposes, r.Purpose) {
			forPurpose = append(forPurpose, g)
		}
	}
	if len(forPurpose) == 0 {
		return refuse(RefusedNotForPurpose, "The %s notice names %s only for %s, not for %s.", n.Service, rec.Name, n.purposeLabels(rec), purpose.Label)
	}
	for _, g := range forPurpose {
		if len(g.CaseTypes) == 0 || contains(g.CaseTypes, r.CaseType) {
			covered = append(covered, g)
		}
	}
	if len(covered) == 0 {
		return refuse(RefusedOutsideCaseTypes, "%s receives only %s cases%s.", rec.Name, n.unionLabels(forPurpose, func(g Grant) []string { return g.CaseTypes }, n.caseTypes), notThis(r.CaseType, n.caseTypes, " cases", "no case type was given"))
	}
	for _, g := range covered {
		if len(g.Scopes) == 0 || contains(g.Scopes, r.Scope) {
			scoped = append(scoped, g)
		}
	}
	if len(scoped) == 0 {
		return refuse(RefusedOutsideScope, "%s receives only %s data for %s%s.", rec.Name, n.unionLabels(covered, func(g Grant) []string { return g.Scopes }, n.scopes), purpose.Label, notThis(r.Scope, n.scopes, " data", "no scope was given"))
	}
	recorded := map[string]bool{}
	for _, c := range r.Recorded {
		recorded[c] = true
	}
	for _, g := range scoped {
		if recorded[g.Condition] || standingConditions[g.Condition] && !g.RecordRequired {
			satisfied = append(satisfied, g)
		}
	}
	if len(satisfied) == 0 {
		var words []string
		for _, g := range scoped {
			words = appendUnique(words, n.ConditionWords(g.Condition))
		}
		none := "none is recorded"
		if len(words) > 1 {
			none = "none of these is recorded"
		}
		return refuse(RefusedConditionNotRecorded, "%s is shared with %s only with %s; %s.", n.subject(r, purpose), rec.Name, strings.Join(words, " or with "), none)
	}
	onOccasion := func(g Grant) bool { return g.OnlyOn == "" || g.OnlyOn == r.Occasion }
	if !slices.ContainsFunc(satisfied, onOccasion) {
		d.Rule = rec.ID + "_via_" + satisfied[0].OnlyOn
		return refuse(RefusedOtherOccasion, "%s", n.occasions[satisfied[0].OnlyOn].Refusal)
	}
	satisfied = slices.DeleteFunc(satisfied, func(g Grant) bool { return !onOccasion(g) })
	scoped = slices.DeleteFunc(scoped, func(g Grant) bool { return !onOccasion(g) })
	return n.release(d, r, rec, purpose, scoped, satisfied, recorded)
}

// release decides category by category once a grant's condition holds.
func (n *Notice) release(d Decision, r Request, rec *Recipient, purpose *Purpose, scoped, satisfied []Grant, recorded map[string]bool) Decision {
	requested := uniqueInOrder(r.Categories)
	if len(requested) == 0 {
		for _, g := range satisfied {
			for _, c := range g.Categories {
				requested = appendUnique(requested, c)
			}
		}
	}
	held := heldBack(rec, r.Facts)
	var conditions, allowedLabels, notes []string
	var applied []*Withholding // the withholdings that held something back
	for _, c := range requested {
		cat, known := n.categories[c]
		if !known {
			d.Withheld = append(d.Withheld, c)
			notes = append(notes, fmt.Sprintf("%q is not a category of this notice", c))
			continue
		}
		grant, special, note := n.grantFor(cat, rec, purpose, scoped, satisfied, recorded)
		if grant == nil {
			d.Withheld = append(d.Withheld, c)
			notes = append(notes, note)
			continue
		}
		if w := held[c]; w != nil {
			d.Withheld = append(d.Withheld, c)
			if !slices.Contains(applied, w) {
				applied = append(applied, w)
			}
			continue
		}
		d.Categories = append(d.Categories, c)
		allowedLabels = append(allowedLabels, cat.Label)
		conditions = appendUnique(conditions, grant.Condition)
		if special != "" {
			d.SpecialConditions = appendUnique(d.SpecialConditions, special)
		}
	}
	sort.Strings(d.Categories)
	sort.Strings(d.Withheld)
	sort.Strings(d.SpecialConditions)
	if len(d.Categories) == 0 {
		d.Refusal = RefusedCategoriesNotAllowed
		if len(applied) > 0 { // what the notice would have let go was held back
			d.Refusal = RefusedWithheld
			notes = nil
			for _, w := range applied {
				notes = append(notes, w.Refusal)
			}
		}
		d.Reason = fmt.Sprintf("Nothing may be shared with %s: %s.", rec.Name, strings.Join(notes, "; "))
		return d
	}
	d.Allowed = true
	d.Condition = strings.Join(conditions, "+")
	var basis []string
	for _, c := range conditions {
		basis = append(basis, n.ConditionWords(c))
	}
	forPurpose := ""
	if r.Scope != "" || r.CaseType != "" {
		forPurpose = " for " + purpose.Label // otherwise the subject already names it
	}
	d.Reason = fmt.Sprintf("%s may be shared with %s%s on the basis of %s: %s.", n.subject(r, purpose), rec.Name, forPurpose, strings.Join(basis, " and "), strings.Join(allowedLabels, ", "))
	if len(notes) > 0 {
		d.Reason += " Withheld: " + strings.Join(notes, "; ") + "."
	}
	for _, w := range applied {
		d.Reason += " " + w.Words
	}
	d.People = n.peopleFor(rec, d.Categories)
	return d
}

// heldBack maps each category a recipient's withholdings hold back, given the
// facts recorded on the case, to the first withholding that does.
func heldBack(rec *Recipient, facts []string) map[string]*Withholding {
	held := map[string]*Withholding{}
	for i := range rec.Withhold {
		w := &rec.Withhold[i]
		if !slices.Contains(facts, w.When) {
			continue
		}
		for _, c := range w.Categories {
			if held[c] == nil {
				held[c] = w
			}
		}
	}
	return held
}

// PeopleFor lists, sorted, the people (notice People) whose data a disclosure of these
// categories to recipient may carry, as Decide does: e.g. whom a logged disclosure concerns.
// Nil for a recipient the notice does not name.
func (n *Notice) PeopleFor(recipient string, categories []string) []string {
	rec, ok := n.recipients[recipient]
	if !ok {
		return nil
	}
	return n.peopleFor(rec, categories)
}

// peopleFor lists the people whose data may go to rec with these categories.
func (n *Notice) peopleFor(rec *Recipient, categories []string) []string {
	if len(n.People) == 0 {
		return nil
	}
	out := []string{}
	for _, p := range n.People {
		if len(rec.OnlyAbout) > 0 && !contains(rec.OnlyAbout, p.ID) {
			continue
		}
		if c, ok := n.identifiedBy[p.ID]; ok && !contains(categories, c) {
			continue
		}
		out = append(out, p.ID)
	}
	sort.Strings(out)
	return out
}

// grantFor finds the satisfied grant that releases cat, or says why none does.
func (n *Notice) grantFor(cat *Category, rec *Recipient, purpose *Purpose, scoped, satisfied []Grant, recorded map[string]bool) (g *Grant, special, why string) {
	var listed []Grant
	for _, g := range satisfied {
		if contains(g.Categories, cat.ID) {
			listed = append(listed, g)
		}
	}
	if len(listed) == 0 {
		for _, g := range scoped {
			if contains(g.Categories, cat.ID) {
				return nil, "", fmt.Sprintf("%s goes only with %s, which is not recorded", cat.Label, n.ConditionWords(g.Condition))
			}
		}
		return nil, "", fmt.Sprintf("%s is not among the data %s may receive for %s", cat.Label, rec.Name, purpose.Label)
	}
	if !cat.Special() {
		return &listed[0], "", ""
	}
	for i, g := range listed {
		if recorded[g.SpecialCondition] {
			return &listed[i], g.SpecialCondition, ""
		}
	}
	kind := "special category data"
	if cat.Kind == KindCriminalOffence {
		kind = "criminal offence data"
	}
	return nil, "", fmt.Sprintf("%s is %s and goes only with %s as well, which is not recorded", cat.Label, kind, n.ConditionWords(listed[0].SpecialCondition))
}

// subject names the data being asked about, e.g. "Stage 1 complaint data".
func (n *Notice) subject(r Request, purpose *Purpose) string {
	switch {
	case r.Scope != "":
		return upperFirst(n.scopes[r.Scope]) + " data"
	case r.CaseType != "":
		return upperFirst(n.caseTypes[r.CaseType]) + " case data"
	}
	return "Data for " + purpose.Label
}

func (n *Notice) purposeLabels(rec *Recipient) string {
	var labels []string
	for _, g := range rec.Rules {
		for _, p := range g.Purposes {
			labels = appendUnique(labels, n.purposes[p].Label)
		}
	}
	return joinWords(labels, "and")
}

func (n *Notice) unionLabels(grants []Grant, ids func(Grant) []string, words map[string]string) string {
	var labels []string
	for _, g := range grants {
		for _, id := range ids(g) {
			labels = appendUnique(labels, words[id])
		}
	}
	return joinWords(labels, "or")
}

func notThis(id string, words map[string]string, suffix, missing string) string {
	if id == "" {
		return "; " + missing
	}
	return ", not " + words[id] + suffix
}

// joinWords writes "a", "a or b", "a, b or c".
func joinWords(items []string, conj string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}

func appendUnique(list []string, s string) []string {
	if contains(list, s) {
		return list
	}
	return append(list, s)
}

func uniqueInOrder(list []string) []string {
	var out []string
	for _, s := range list {
		out = appendUnique(out, s)
	}
	return out
}

func uniqueSorted(list []string) []string {
	out := uniqueInOrder(list)
	sort.Strings(out)
	return out
}

// Minimise keeps only the categories the decision lets go. values is keyed
// by category id. A refused decision, or one made under another version of
// the notice, lets nothing through.
func (n *Notice) Minimise(d Decision, values map[string]any) map[string]any {
	out := map[string]any{}
	if !d.Allowed || d.NoticeVersion != n.Version {
		return out
	}
	for _, c := range d.Categories {
		if v, ok := values[c]; ok {
			out[c] = v
		}
	}
	return out
}

// MinimiseFields is Minimise for values keyed by case field: a field goes
// only when the category covering it is allowed. Fields no category covers
// never go.
func (n *Notice) MinimiseFields(d Decision, fields map[string]any) map[string]any {
	out := map[string]any{}
	if !d.Allowed || d.NoticeVersion != n.Version {
		return out
	}
	for f, v := range fields {
		if c, ok := n.fieldCategory[f]; ok && contains(d.Categories, c) {
			out[f] = v
		}
	}
	return out
}

// MinimiseFilled is MinimiseFields without the fields that hold nothing (an empty string or
// nil), so a recipient is never sent an empty value, and the names of the fields that go,
// sorted.
func (n *Notice) MinimiseFilled(d Decision, fields map[string]any) (map[string]any, []string) {
	data := n.MinimiseFields(d, fields)
	names := make([]string, 0, len(data))
	for f, v := range data {
		if v == "" || v == nil {
			delete(data, f)
			continue
		}
		names = append(names, f)
	}
	sort.Strings(names)
	return data, names
}

// FieldsFor lists, sorted, the case fields the given categories cover.
func (n *Notice) FieldsFor(categories []string) []string {
	var out []string
	for _, c := range categories {
		if cat, ok := n.categories[c]; ok {
			out = append(out, cat.Fields...)
		}
	}
	return uniqueSorted(out)
}
