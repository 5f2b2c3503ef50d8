package notice

import (
	"bytes"
	"fmt"
	"sort"

	"gopkg.in/yaml.v3"
)

// load decodes strictly, then validates; file names the notice in errors.
func load(file string, data []byte, opts []Option) (*Notice, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &ValidationError{File: file, Problems: decodeProblems(err, nodeIndex{})}
	}
	if len(root.Content) == 0 {
		return nil, &ValidationError{File: file, Problems: []Problem{{Message: "the notice is empty"}}}
	}
	idx := indexDocument(&root)

	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var raw rawNotice
	if err := dec.Decode(&raw); err != nil {
		return nil, &ValidationError{File: file, Problems: decodeProblems(err, idx)}
	}

	v := &validator{idx: idx}
	n := v.build(raw)
	if len(v.problems) > 0 {
		sort.SliceStable(v.problems, func(i, j int) bool { return v.problems[i].Line < v.problems[j].Line })
		return nil, &ValidationError{File: file, Problems: v.problems}
	}
	n.refusals = newRefusalCounter(opts)
	return n, nil
}

// validator collects problems while building a Notice from the raw file.
type validator struct {
	idx      nodeIndex
	problems []Problem
}

func (v *validator) add(path, format string, args ...any) {
	v.problems = append(v.problems, Problem{Path: path, Line: v.idx.line(path), Message: fmt.Sprintf(format, args...)})
}

func (v *validator) required(path, value string) {
	if value == "" {
		v.add(path, "is missing; it must be given")
	}
}

// id checks an identifier's spelling: lower case letters, digits, _ and -.
func (v *validator) id(path, id string) bool {
	if id == "" {
		v.add(path, "id is missing")
		return false
	}
	for i, r := range id {
		ok := r >= 'a' && r <= 'z' || i > 0 && (r >= '0' && r <= '9' || r == '_' || r == '-')
		if !ok {
			v.add(path, "id %q must start with a lower-case letter and use only a-z, 0-9, _ and -", id)
			return false
		}
	}
	return true
}

// orderedKeys returns a raw map's keys in file order.
func orderedKeys[T any](idx nodeIndex, path string, m map[string]T) []string {
	keys := make([]string, 0, len(m))
	for _, k := range idx.keys(path) {
		if _, ok := m[k]; ok {
			keys = append(keys, k)
		}
	}
	return keys
}

func (v *validator) build(raw rawNotice) *Notice {
	n := &Notice{
		Service:       raw.Service,
		Title:         raw.Title,
		Version:       raw.Version,
		CollectedFrom: raw.CollectedFrom,
		Notes:         raw.Notes,
		purposes:      map[string]*Purpose{},
		categories:    map[string]*Category{},
		caseTypes:     map[string]string{},
		scopes:        map[string]string{},
		recipients:    map[string]*Recipient{},
		fieldCategory: map[string]string{},
		occasions:     map[string]*Occasion{},
		facts:         map[string]string{},
		people:        map[string]string{},
		identifiedBy:  map[string]string{},
	}
	if raw.Service == "" {
		v.add("service", "is missing; name the service this notice governs")
	} else {
		v.id("service", raw.Service)
	}
	if raw.Version == "" {
		v.add("version", "is missing; every notice needs a version so each disclosure can record the notice it was made under")
	}
	v.controller(n, raw)
	v.occasions(n, raw.Occasions)
	n.Facts = v.words("facts", raw.Facts, n.facts)
	n.People = v.labels("people", raw.People, n.people)
	v.purposes(n, raw.Purposes)
	v.categories(n, raw.Categories)
	n.CaseTypes = v.labels("case_types", raw.CaseTypes, n.caseTypes)
	n.Scopes = v.labels("scopes", raw.Scopes, n.scopes)
	v.conditions(n, raw.Conditions)
	v.recipients(n, raw.Recipients)
	v.retention(n, raw)
	v.rights(n, raw)
	if s := raw.Statistics; s != nil {
		if s.SuppressBelow < 0 {
			v.add("statistics.suppress_below", "must be zero or more, not %d", s.SuppressBelow)
		}
		n.Statistics = &StatisticsRule{AnonymousOnly: s.AnonymousOnly, SuppressBelow: s.SuppressBelow, Words: s.Words}
	}
	return n
}

func (v *validator) controller(n *Notice, raw rawNotice) {
	c := raw.Controller
	v.required("controller.name", c.Name)
	switch {
	case c.ICORegistration == "":
		v.add("controller.ico_registration", "is missing; give the controller's ICO registration number")
	case !icoRegistration(c.ICORegistration):
		v.add("controller.ico_registration", "%q is not an ICO registration number (Z followed by 7 letters or digits)", c.ICORegistration)
	}
	if c.DPO.Email == "" && c.DPO.Phone == "" && c.DPO.Address == "" {
		v.add("controller.dpo", "gives no way to contact the data protection officer; give an email, phone or address")
	}
	v.required("supervisory_authority.name", raw.SupervisoryAuthority.Name)
	n.Controller = Controller{Name: c.Name, Address: c.Address, Phone: c.Phone, ICORegistration: c.ICORegistration, DPO: Contact(c.DPO)}
	n.SupervisoryAuthority = Contact(raw.SupervisoryAuthority)
}

func icoRegistration(s string) bool {
	if len(s) != 8 || s[0] != 'Z' {
		return false
	}
	for _, r := range s[1:] {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func (v *validator) purposes(n *Notice, raw map[string]rawPurpose) {
	if len(raw) == 0 {
		v.add("purposes", "is missing; name at least one purpose and its lawful basis")
	}
	for _, id := range orderedKeys(v.idx, "purposes", raw) {
		p, path := raw[id], "purposes."+id
		v.id(path, id)
		v.required(path+".label", p.Label)
		v.required(path+".words", p.Words)
		if _, ok := lawfulBases[p.Basis]; !ok {
			v.add(path+".basis", "unknown lawful basis %q; use one of %s", p.Basis, sortedKeys(lawfulBases))
		}
		v.occasion(n, path+".only_on", p.OnlyOn)
		var lasts Period
		if p.Lasts != "" {
			var err error
			if lasts, err = ParsePeriod(p.Lasts); err != nil {
				v.add(path+".lasts", "%v", err)
			}
		}
		n.Purposes = append(n.Purposes, Purpose{ID: id, Label: p.Label, Basis: p.Basis, Legislation: p.Legislation, Words: p.Words,
			OnlyOn: p.OnlyOn, Lasts: lasts, DirectMarketing: p.DirectMarketing})
	}
	for i := range n.Purposes {
		n.purposes[n.Purposes[i].ID] = &n.Purposes[i]
	}
}

func (v *validator) categories(n *Notice, raw map[string]rawCategory) {
	if len(raw) == 0 {
		v.add("categories", "is missing; list the categories of data collected")
	}
	fieldPath := map[string]string{}
	for _, id := range orderedKeys(v.idx, "categories", raw) {
		c, path := raw[id], "categories."+id
		v.id(path, id)
		v.required(path+".label", c.Label)
		if !contains(categoryKinds, c.Kind) {
			v.add(path+".kind", "unknown kind %q; use one of %v", c.Kind, categoryKinds)
		}
		for i, f := range c.Fields {
			fp := fmt.Sprintf("%s.fields[%d]", path, i)
			if !v.id(fp, f) {
				continue
			}
			if prev, dup := n.fieldCategory[f]; dup {
				v.add(fp, "field %q is already covered by category %q (%s); a field belongs to one category", f, prev, fieldPath[f])
				continue
			}
			n.fieldCategory[f], fieldPath[f] = id, fp
		}
		for i, p := range c.Identifies {
			pp := fmt.Sprintf("%s.identifies[%d]", path, i)
			_, known := n.people[p]
			switch prev, dup := n.identifiedBy[p]; {
			case !known:
				v.add(pp, "unknown person %q; it is not under people", p)
			case dup:
				v.add(pp, "%q is already identified by category %q; one category identifies a person", p, prev)
			default:
				n.identifiedBy[p] = id
			}
		}
		n.Categories = append(n.Categories, Category{ID: id, Kind: c.Kind, Label: c.Label, Fields: c.Fields, Identifies: c.Identifies})
	}
	for i := range n.Categories {
		n.categories[n.Categories[i].ID] = &n.Categories[i]
	}
}

func (v *validator) labels(path string, raw []rawLabel, into map[string]string) []Label {
	out := make([]Label, 0, len(raw))
	for i, l := range raw {
		p := fmt.Sprintf("%s[%d]", path, i)
		if !v.id(p+".id", l.ID) {
			continue
		}
		v.required(p+".label", l.Label)
		if _, dup := into[l.ID]; dup {
			v.add(p+".id", "duplicate id %q", l.ID)
			continue
		}
		into[l.ID] = l.Label
		out = append(out, Label(l))
	}
	return out
}

func (v *validator) occasions(n *Notice, raw map[string]rawOccasion) {
	for _, id := range orderedKeys(v.idx, "occasions", raw) {
		o, path := raw[id], "occasions."+id
		v.id(path, id)
		v.required(path+".label", o.Label)
		v.required(path+".refusal", o.Refusal)
		n.Occasions = append(n.Occasions, Occasion{ID: id, Label: o.Label, Refusal: o.Refusal})
	}
	for i := range n.Occasions {
		n.occasions[n.Occasions[i].ID] = &n.Occasions[i]
	}
}

// occasion checks a reference to an occasion; empty means none.
func (v *validator) occasion(n *Notice, path, id string) {
	if _, ok := n.occasions[id]; id != "" && !ok {
		v.add(path, "unknown occasion %q; it is not under occasions", id)
	}
}

// words loads a map of ids to words, in file order.
func (v *validator) words(path string, raw map[string]string, into map[string]string) []Label {
	var out []Label
	for _, id := range orderedKeys(v.idx, path, raw) {
		v.id(path+"."+id, id)
		v.required(path+"."+id, raw[id])
		into[id] = raw[id]
		out = append(out, Label{ID: id, Label: raw[id]})
	}
	return out
}

func (v *validator) conditions(n *Notice, raw map[string]string) {
	n.conditionWords = map[string]string{}
	for c, w := range defaultConditionWords {
		n.conditionWords[c] = w
	}
	for _, c := range orderedKeys(v.idx, "conditions", raw) {
		if _, ok := defaultConditionWords[c]; !ok {
			v.add("conditions."+c, "unknown condition %q; use one of %s", c, sortedKeys(defaultConditionWords))
			continue
		}
		if raw[c] == "" {
			v.add("conditions."+c, "words are missing")
			continue
		}
		n.conditionWords[c] = raw[c]
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys[T any](m map[string]T) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return fmt.Sprint(keys)
}
